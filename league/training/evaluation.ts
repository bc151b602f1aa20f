/**
 * The learner against fixed anchors: `games` episodes per anchor, the learner's seat
 * rotating, all of them stepped in lock-step (one forward pass per step for the learner).
 * In team envs the learner plays every seat of one team (the team rotating) and the anchor
 * every seat of the others; in a one-team cooperative env (Overcooked) the anchor is the
 * learner's partner in the other seat.
 * Results come back per anchor and as match rows for the league store.
 */
import { collectRollout, type EpisodeOutcome } from '../../agents/learn/rollout.ts';
import type { PolicyModel } from '../../agents/runtime/policy-model.ts';
import { deriveSeed, numSides, Rng, sideOf } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';
import type { MatchRow } from '../storage/league-store.ts';
import type { OpponentPool } from './opponent-pool.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

export interface AnchorResult {
  readonly games: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  readonly winRate: number;
  /** (wins + draws) / games. */
  readonly noLossRate: number;
  readonly meanReturn: number;
}

export interface AnchorEvaluation {
  readonly vs: Record<string, AnchorResult>;
  /** One row per game, seats named by agentId (`learnerId` for the learner); index filled by the caller. */
  readonly matches: Omit<MatchRow, 'index'>[];
}

export interface EvaluateOptions {
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly model: PolicyModel;
  readonly learnerId: string;
  readonly anchors: readonly Member[];
  readonly games: number;
  readonly greedy: boolean;
  readonly pool: OpponentPool;
  /** Seeds the games (with the update index, so every evaluation plays fresh deals). */
  readonly seed: number;
  readonly update: number;
}

export async function evaluateAgainstAnchors(options: EvaluateOptions): Promise<AnchorEvaluation> {
  const { env, anchors, games, learnerId } = options;
  const dims = env.dims(env.parseParams(options.params ?? {}));
  const { numPlayers } = dims;
  const sides = numSides(dims);
  const seedOf = (i: number) => deriveSeed(options.seed, SEED_STREAMS.evaluation, options.update, i);
  const { episodes } = await collectRollout({
    env,
    params: options.params,
    model: options.model,
    episodes: anchors.length * games,
    greedy: options.greedy,
    rng: new Rng(deriveSeed(options.seed, SEED_STREAMS.evaluation, options.update)),
    setup: (i) => {
      const anchor = anchors[Math.floor(i / games)]!;
      const learnerSide = i % sides;
      return {
        agents: Array.from({ length: numPlayers }, (_, seat) => (sideOf(dims, seat) === learnerSide ? null : options.pool.agentFor(anchor))),
        seed: seedOf(i),
      };
    },
  });
  return tally(episodes, anchors, games, learnerId);
}

/** Per-anchor results and league match rows of episodes laid out `games` per anchor, in anchor order. */
export function tally(episodes: readonly EpisodeOutcome[], anchors: readonly Member[], games: number, learnerId: string): AnchorEvaluation {
  const vs: Record<string, AnchorResult> = {};
  anchors.forEach((anchor, k) => {
    vs[anchor.agentId] = summarize(episodes.slice(k * games, (k + 1) * games));
  });
  const matches = episodes.map((e) => {
    const anchor = anchors[Math.floor(e.index / games)]!.agentId;
    return {
      seed: e.seed,
      seats: e.returns.map((_, seat) => (e.learnerSeats.includes(seat) ? learnerId : anchor)),
      returns: e.returns,
      length: e.length,
      status: 'finished' as const,
      fault: null,
      record: null,
    };
  });
  return { vs, matches };
}

export function summarize(episodes: readonly EpisodeOutcome[]): AnchorResult {
  let wins = 0;
  let draws = 0;
  let total = 0;
  for (const e of episodes) {
    const seat = e.learnerSeats[0]!;
    const mine = e.returns[seat]!;
    const best = Math.max(...e.returns.filter((_, s) => !e.learnerSeats.includes(s)));
    if (mine > best) wins++;
    else if (mine === best) draws++;
    total += mine;
  }
  const games = episodes.length;
  const rate = (x: number) => (games > 0 ? x / games : 0);
  return { games, wins, draws, losses: games - wins - draws, winRate: rate(wins), noLossRate: rate(wins + draws), meanReturn: rate(total) };
}
