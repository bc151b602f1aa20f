/**
 * The shared conformance suite (docs/ARCHITECTURE.md, Tests), shipped like pettingzoo.test.api_test:
 * `describeConformance(env)` registers mocha tests that every env must pass, on its default
 * params and any extra param sets. envs/testing is test tooling, so unlike the rest of envs/
 * it imports mocha and chai.
 */
import { describe, it } from 'mocha';
import type { AnyEnv } from '../core/env.ts';
import { Episode } from '../core/episode.ts';
import { deriveSeed, Rng } from '../core/rng.ts';
import { checkDims, checkEnd, checkInit, checkSpec } from './checks.ts';
import { checkIllegalInput } from './illegal-input.ts';
import { checkNoLeak } from './leak-test.ts';
import { checkGoldenPlaythrough, type GoldenPlaythrough } from './playthrough.ts';
import { playoutSeed, randomPlayout } from './random-playout.ts';
import { checkState } from './state-checks.ts';
import { expectSame, jsonRoundTrip, type Where } from './where.ts';
import { SEED_STREAMS } from '../core/seed-streams.ts';

export interface ConformanceOptions {
  /** Random playouts per param set for the invariant checks (default 200). */
  readonly episodes?: number;
  /** Param sets tested in addition to the defaults ({}). */
  readonly params?: readonly unknown[];
  /** Base seed; playout i uses seed + i (default 0). */
  readonly seed?: number;
  /**
   * Golden transcript of `renderPlaythrough(env)` (default params, seed 0), read by the caller
   * (envs/ does no I/O). `expected: undefined` means the file is missing: the test fails.
   * Omit the option to skip the golden test.
   */
  readonly playthrough?: GoldenPlaythrough;
}

interface ParamsContext {
  readonly env: AnyEnv;
  readonly input: unknown;
  readonly episodes: number;
  readonly seed: number;
}

export function describeConformance(env: AnyEnv, options: ConformanceOptions = {}): void {
  const episodes = options.episodes ?? 200;
  const seed = options.seed ?? 0;
  describe(`conformance: ${env.key}`, () => {
    it('has a well-formed spec', () => checkSpec(env));
    for (const input of [{}, ...(options.params ?? [])]) {
      describe(`params ${JSON.stringify(input)}`, () => describeParams({ env, input, episodes, seed }));
    }
    const golden = options.playthrough;
    if (golden) it('matches its golden playthrough', () => checkGoldenPlaythrough(env, golden));
  });
}

function describeParams(ctx: ParamsContext): void {
  const { env, input, episodes, seed } = ctx;
  const parse = (): { params: unknown; where: Where } => {
    const params = env.parseParams(input);
    return { params, where: { key: env.key, params } };
  };
  it('has consistent dims', () => {
    const { params, where } = parse();
    checkDims(env, params, where);
  });
  it('inits deterministically', () => {
    const { params, where } = parse();
    checkInit(env, params, where);
  });
  it(`keeps every invariant over ${episodes} random playouts on deep-frozen states`, () => {
    const { params, where } = parse();
    const dims = checkDims(env, params, where);
    for (let i = 0; i < episodes; i++) {
      const s = playoutSeed(seed, i);
      const result = randomPlayout(env, params, s, { visit: (v) => checkState(env, v.state, v.where) });
      checkEnd(env, result, dims, { ...where, seed: s, step: result.episode.stepIndex });
    }
  });
  const fewer = Math.max(5, Math.ceil(episodes / 4));
  it(`rejects illegal input with IllegalActionError over ${fewer} playouts`, () => {
    const { params } = parse();
    for (let i = 0; i < fewer; i++) randomPlayout(env, params, playoutSeed(seed, i), { visit: (v) => checkIllegalInput(env, v.state, v.where) });
  });
  it('reproduces episodes from their seed and from their JSON record', () => checkReplay(env, parse().params, seed, fewer));
  if (!env.resampleHidden) {
    if (env.spec.information === 'imperfect') it('leaks no hidden information (needs resampleHidden)');
    return;
  }
  it(`leaks no hidden information to a seat or the spectator over ${fewer} playouts`, () => {
    const { params } = parse();
    const rng = new Rng(deriveSeed(seed, SEED_STREAMS.conformanceLeak));
    for (let i = 0; i < fewer; i++) {
      randomPlayout(env, params, playoutSeed(seed, i), { visit: (v) => checkNoLeak(env, v.state, v.where, { twins: 2, rng }) });
    }
  });
}

function checkReplay(env: AnyEnv, params: unknown, seed: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const s = playoutSeed(seed, i);
    const first = randomPlayout(env, params, s, { freeze: false }).episode;
    const second = randomPlayout(env, params, s, { freeze: false }).episode;
    const where: Where = { key: env.key, params: first.params, seed: s, step: first.stepIndex };
    const record = first.toRecord();
    expectSame(second.toRecord(), record, where, 'two playouts with the same seed wrote different records');
    const replayed = Episode.replay(env, jsonRoundTrip(record));
    expectSame(replayed.state, first.state, where, 'Episode.replay(JSON of the record) ends in a different state');
    expectSame(replayed.returns, first.returns, where, 'Episode.replay(JSON of the record) ends with different returns');
    expectSame(replayed.toRecord(), record, where, 'Episode.replay(JSON of the record) writes a different record');
  }
}
