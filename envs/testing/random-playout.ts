/**
 * One seeded random playout: chance is sampled by the Episode's own RNG from
 * `chanceOutcomes`, decisions are uniform over the legal actions with an RNG derived from
 * the same seed. `randomPlayout(env, params, seed)` replays exactly the episode a
 * conformance failure names.
 */
import type { ActionId, AnyEnv, Turn } from '../core/env.ts';
import { Episode } from '../core/episode.ts';
import { stepEpisode } from '../core/step-episode.ts';
import { deriveSeed, Rng } from '../core/rng.ts';
import { deepFreeze } from './deep-freeze.ts';
import { fail, type Where } from './where.ts';
import { SEED_STREAMS } from '../core/seed-streams.ts';

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
      stepEpisode(episode, (seat) => rng.pick(env.legalActions(episode.state, seat)));
      length++;
    }
    episode.rewards.forEach((r, seat) => (rewardSums[seat] = (rewardSums[seat] ?? 0) + r));
  }
  return { episode, length, rewardSums };
}
