/**
 * How a finished match becomes rating input: pairwise scores (1 / 0.5 / 0 by comparing
 * returns) for Elo and Bradley–Terry, ranks for OpenSkill, and the policy for faulted matches
 * (timeouts, crashes, illegal actions; league.md §10). The decision is always explicit: a
 * rated outcome says when it is a forfeit, an unrated one says why.
 */
import { z } from 'zod';
import type { Seat, Utility } from '../../envs/index.ts';
import { RatingError } from './rating-error.ts';

/**
 * 'forfeit': the faulting seat loses to every other seat; the others did not finish their
 * game, so they draw among themselves (and share rank 1). 'no-result': the match is not rated.
 */
export const ResultPolicySchema = z.enum(['forfeit', 'no-result']);
export type ResultPolicy = z.infer<typeof ResultPolicySchema>;

export interface MatchOutcomeInput {
  readonly returns: readonly number[];
  /** Set when the match ended with a fault; extra fields (code, message) are ignored. */
  readonly fault?: { readonly seat: Seat } | undefined;
}

export interface RatedMatch {
  readonly kind: 'rated';
  /** scores[i][j]: seat i's score against seat j; scores[j][i] = 1 − scores[i][j]; diagonal 0.5. */
  readonly scores: number[][];
  /** Per seat, 1 = best; equal returns share a rank (1, 1, 3). OpenSkill's `rank` option. */
  readonly ranks: number[];
  /** The faulting seat when the result is a forfeit. */
  readonly forfeit?: Seat;
}

export interface UnratedMatch {
  readonly kind: 'unrated';
  readonly reason: 'fault' | 'identical-utility';
  readonly message: string;
}

export type MatchOutcome = RatedMatch | UnratedMatch;

/** Returns closer than this (relative to their size) tie: summed stepwise rewards round. */
const TIE_TOLERANCE = 1e-9;

/**
 * `utility` is the env's (spec.utility). In an 'identical'-utility game every seat gets the
 * same payoff, so the match says nothing about who is stronger: it is never rated.
 */
export function ratedOutcome(result: MatchOutcomeInput, policy: ResultPolicy, utility: Utility = 'general-sum'): MatchOutcome {
  const { returns, fault } = result;
  checkResult(returns, fault);
  if (utility === 'identical') {
    return { kind: 'unrated', reason: 'identical-utility', message: 'all seats share one payoff (cooperative game): nothing to rank' };
  }
  if (fault) {
    if (policy === 'no-result') {
      return { kind: 'unrated', reason: 'fault', message: `seat ${fault.seat} faulted; the result policy is 'no-result'` };
    }
    const ranks = returns.map((_, seat) => (seat === fault.seat ? 2 : 1));
    return { kind: 'rated', scores: scoresFromRanks(ranks), ranks, forfeit: fault.seat };
  }
  const ranks = returns.map((r) => 1 + returns.filter((other) => compare(other, r) > 0).length);
  return { kind: 'rated', scores: scoresFromRanks(ranks), ranks };
}

/** 1 if a > b, −1 if a < b, 0 if they tie within TIE_TOLERANCE. */
function compare(a: number, b: number): number {
  if (Math.abs(a - b) <= TIE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) return 0;
  return a > b ? 1 : -1;
}

function scoresFromRanks(ranks: readonly number[]): number[][] {
  return ranks.map((ri) => ranks.map((rj) => (ri < rj ? 1 : ri > rj ? 0 : 0.5)));
}

function checkResult(returns: readonly number[], fault: { readonly seat: Seat } | undefined): void {
  if (returns.length < 2 || !returns.every(Number.isFinite)) {
    throw new RatingError('bad-match', `returns [${returns.join(', ')}] are not finite numbers for 2 or more seats`, 'pass the match returns, one per seat');
  }
  if (fault && !(Number.isInteger(fault.seat) && fault.seat >= 0 && fault.seat < returns.length)) {
    throw new RatingError('bad-match', `fault seat ${fault.seat} is not one of the ${returns.length} seats`, 'name the seat that faulted');
  }
}
