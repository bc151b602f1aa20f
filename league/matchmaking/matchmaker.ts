/**
 * The matchmaking contract and the pieces every strategy shares. A strategy picks a focal
 * member and its opponents (a Pairing); seats are then shuffled with the same rng, so each
 * member plays every seat equally often. All randomness comes from `ctx.rng`: the same
 * population, payoff, ratings and rng state give the same match.
 */
import { z } from 'zod';
import type { Rng } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';
import type { Population } from '../population/population.ts';
import { MatchmakingError } from './matchmaking-error.ts';
import type { PayoffTable } from './payoff-table.ts';

export interface MatchmakingContext {
  readonly population: Population;
  readonly payoff: PayoffTable;
  readonly elo: (agentId: string) => number;
  readonly rng: Rng;
  readonly numPlayers: number;
}

/** What a strategy decided for one match, before seats are assigned. */
export interface Pairing {
  readonly focal: string;
  /** numPlayers - 1 agentIds; may repeat, and may include the focal member (self-play). */
  readonly opponents: readonly string[];
  /** The rule that chose the opponents, e.g. 'pfsp', 'self-play', 'verification-exploiters'. */
  readonly branch: string;
}

export interface Matchmaker {
  /** agentIds, one per seat, in seat order. */
  next(ctx: MatchmakingContext): string[];
  /** The same draw before seating, with the focal member and branch visible (logs, tests, training routing). */
  pick(ctx: MatchmakingContext): Pairing;
}

/**
 * Who the focal player is. `learners`: uniform over non-frozen learners, or over all members
 * when there is none (a ladder of scripted agents). `any`: uniform over all members.
 */
export const FocalRuleSchema = z.enum(['learners', 'any']);
export type FocalRule = z.infer<typeof FocalRuleSchema>;

/** All members, or a typed error when there is nobody to match. */
export function requireMembers(ctx: MatchmakingContext): readonly Member[] {
  if (!Number.isInteger(ctx.numPlayers) || ctx.numPlayers < 1) {
    throw new MatchmakingError('no-opponents', `numPlayers must be a positive integer, got ${ctx.numPlayers}`, 'pass the env dims numPlayers');
  }
  const members = ctx.population.all();
  if (members.length === 0) throw new MatchmakingError('empty-population', 'the population has no members', 'add members before matchmaking');
  return members;
}

export function pickFocal(ctx: MatchmakingContext, rule: FocalRule): Member {
  const members = requireMembers(ctx);
  const learners = rule === 'learners' ? ctx.population.learners() : [];
  return ctx.rng.pick(learners.length > 0 ? learners : members);
}

/** numPlayers - 1 independent draws from one opponent distribution. */
export function drawOpponents(ctx: MatchmakingContext, draw: () => string): string[] {
  const out: string[] = [];
  for (let i = 1; i < ctx.numPlayers; i++) out.push(draw());
  return out;
}

/** Focal and opponents in a random seat order. */
export function seatOrder(rng: Rng, pairing: Pairing): string[] {
  return rng.shuffle([pairing.focal, ...pairing.opponents]);
}

export function matchmakerFrom(pick: (ctx: MatchmakingContext) => Pairing): Matchmaker {
  return {
    pick,
    next: (ctx) => seatOrder(ctx.rng, pick(ctx)),
  };
}
