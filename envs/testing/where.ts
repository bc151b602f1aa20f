/**
 * Failure context for the conformance suite: every message names the env, params, seed,
 * step and seat, so a failure can be replayed with `randomPlayout(env, params, seed)`.
 * envs/testing is test tooling (like pettingzoo.test): it may import chai and mocha,
 * which the rest of envs/ never does.
 */
import { AssertionError, expect, util } from 'chai';
import type { Actor, Viewer } from '../core/env.ts';

export interface Where {
  readonly key: string;
  /** Parsed params (every default filled in), so the message alone reproduces the run. */
  readonly params: unknown;
  readonly seed?: number;
  /** Transitions applied so far (chance included), as `Episode.stepIndex`. */
  readonly step?: number;
  readonly seat?: Viewer | Actor;
}

export function describeWhere(where: Where): string {
  const parts = [where.key, `params=${JSON.stringify(where.params)}`];
  if (where.seed !== undefined) parts.push(`seed=${where.seed}`);
  if (where.step !== undefined) parts.push(`step=${where.step}`);
  if (where.seat !== undefined) parts.push(`seat=${where.seat}`);
  return `[${parts.join(' ')}]`;
}

const replayHint = (where: Where): string =>
  where.seed === undefined ? '' : ` (replay: randomPlayout(env, ${JSON.stringify(where.params)}, ${where.seed}) from envs/testing)`;

export function fail(where: Where, message: string): never {
  throw new AssertionError(`${describeWhere(where)} ${message}${replayHint(where)}`);
}

export function check(ok: boolean, where: Where, message: string | (() => string)): asserts ok {
  if (!ok) fail(where, typeof message === 'string' ? message : message());
}

/** Deep equality with chai's diff, prefixed with the context. */
export function expectSame(actual: unknown, expected: unknown, where: Where, what: string): void {
  // The fast check first: building chai's assertion and the message costs more than the comparison.
  if (!util.eql(actual, expected)) expect(actual, `${describeWhere(where)} ${what}${replayHint(where)}`).to.deep.equal(expected);
}

/** JSON text of a value, or undefined when it is not JSON (undefined, functions). */
export function jsonRoundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
