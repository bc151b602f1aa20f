/**
 * One seeded random playout: chance is sampled by the Episode's own RNG from
 * `chanceOutcomes`, decisions are uniform over the legal actions with an RNG derived from
 * the same seed. `randomPlayout(env, params, seed)` replays exactly the episode a
 * conformance failure names.
 */
import type { ActionId, AnyEnv, TextVerdict, Turn } from '../core/env.ts';
import { Episode } from '../core/episode.ts';
import { deriveSeed, Rng } from '../core/rng.ts';
import { SEED_STREAMS } from '../core/seed-streams.ts';
import { deepFreeze } from './deep-freeze.ts';
import { fail, type Where } from './where.ts';

/** Share of decisions a text env answers with an invalid reply (when the env has one). */
const INVALID_TEXT_RATE = 0.15;
/** Share of decisions a discrete env that also judges text answers with text instead of an id. */
const TEXT_RATE = 0.5;
/** Chance nodes allowed beyond maxGameLength before a playout counts as endless. */
const MAX_CHANCE_STEPS = 100_000;

export interface PlayoutVisit {
  readonly episode: Episode;
  readonly state: unknown;
  readonly turn: Turn;
  readonly where: Where;
}

export interface PlayoutOptions {
  /** Deep-freeze every state before the env sees it (default true): catches mutation. */
  readonly freeze?: boolean;
  /** Called at every state, terminal included, before the next transition. */
  readonly visit?: (visit: PlayoutVisit) => void;
}

export interface PlayoutResult {
  readonly episode: Episode;
  /** Decision and simultaneous steps, comparable to `maxGameLength`. */
  readonly length: number;
  /** Per-seat sums of the rewards Episode derived after every transition. */
  readonly rewardSums: readonly number[];
}

/** Seeds for the i-th playout of a suite: small, so they are easy to type back in. */
export const playoutSeed = (base: number, index: number): number => base + index;

function randomJoint(env: AnyEnv, state: unknown, seats: readonly number[], numPlayers: number, rng: Rng): (ActionId | null)[] {
  const actions: (ActionId | null)[] = new Array<ActionId | null>(numPlayers).fill(null);
  for (const seat of seats) actions[seat] = rng.pick(env.legalActions(state, seat));
  return actions;
}

/**
 * One random decision. Text envs get a sampled reply (sometimes an invalid one), and the
 * verdict must agree with what the sampler promised; discrete envs that also judge text
 * get a text half of the time.
 */
function decide(env: AnyEnv, episode: Episode, seat: number, rng: Rng, where: Where): void {
  const legal = env.legalActions(episode.state, seat);
  const judgesText = env.dims(episode.params).textActions !== undefined;
  if (!judgesText || (legal.length > 0 && rng.float() >= TEXT_RATE)) {
    episode.step(seat, rng.pick(legal));
    return;
  }
  if (!env.sampleText) fail(where, 'an env that judges text (dims.textActions) needs sampleText for random playouts');
  let valid = rng.float() >= INVALID_TEXT_RATE;
  let text = env.sampleText(episode.state, seat, rng, valid);
  if (text === undefined && !valid) {
    valid = true;
    text = env.sampleText(episode.state, seat, rng, true);
  }
  if (text === undefined) fail({ ...where, seat }, 'sampleText returned no valid reply for the seat to act');
  let verdict: TextVerdict;
  try {
    verdict = episode.stepText(seat, text);
  } catch (error) {
    fail({ ...where, seat }, `stepText(${JSON.stringify(text)}) threw ${String(error)}; invalid text must be a verdict`);
  }
  if (verdict.kind !== (valid ? 'move' : 'invalid')) {
    fail(
      { ...where, seat },
      `sampleText promised ${valid ? 'a valid' : 'an invalid'} reply, but ${JSON.stringify(text)} got verdict ${JSON.stringify(verdict)}`,
    );
  }
}

export function randomPlayout(env: AnyEnv, params: unknown, seed: number, options: PlayoutOptions = {}): PlayoutResult {
  const episode = new Episode(env, params, seed);
  const dims = env.dims(episode.params);
  const rng = new Rng(deriveSeed(seed, SEED_STREAMS.conformancePolicy));
  const freeze = options.freeze ?? true;
  const rewardSums = new Array<number>(dims.numPlayers).fill(0);
  let length = 0;
  for (;;) {
    if (freeze) deepFreeze(episode.state);
    const turn = episode.turn;
    const where: Where = { key: env.key, params: episode.params, seed, step: episode.stepIndex };
    options.visit?.({ episode, state: episode.state, turn, where });
    if (turn.kind === 'terminal') break;
    if (turn.kind === 'chance') {
      if (episode.stepIndex - length >= MAX_CHANCE_STEPS) fail(where, `more than ${MAX_CHANCE_STEPS} chance nodes: the episode never ends`);
      episode.resolveChance();
    } else {
      if (length >= dims.maxGameLength) fail(where, `the episode is still running after maxGameLength = ${dims.maxGameLength} steps`);
      if (turn.kind === 'decision') decide(env, episode, turn.seat, rng, where);
      else episode.stepJoint(randomJoint(env, episode.state, turn.seats, dims.numPlayers, rng));
      length++;
    }
    episode.rewards.forEach((r, seat) => (rewardSums[seat] = (rewardSums[seat] ?? 0) + r));
  }
  return { episode, length, rewardSums };
}
