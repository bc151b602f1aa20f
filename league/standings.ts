/**
 * The leaderboard: each agent's latest online Elo beside its offline Bradley–Terry rating
 * (order-independent, with a 95% bootstrap CI and Chatbot Arena's rank upper bound), best
 * first by Bradley–Terry rating. Built from grouped outcomes, so it is cheap for millions
 * of stored matches.
 */
import { getEnv } from '../envs/index.ts';
import { LeagueConfigSchema } from './config/league-config.ts';
import { bootstrapBradleyTerry, fitBradleyTerry, PairCounts } from './ratings/bradley-terry.ts';
import { ratedOutcome, type ResultPolicy } from './ratings/outcome.ts';
import type { Utility } from '../envs/index.ts';
import type { LeagueRow, LeagueStore, OutcomeCount } from './storage/league-store.ts';

export interface Standing {
  readonly agentId: string;
  readonly elo: number;
  /** Bradley–Terry rating on the Elo scale (mean 1000). */
  readonly rating: number;
  readonly ci: readonly [number, number];
  readonly rankUpper: number;
  readonly games: number;
  /** OpenSkill (Weng–Lin) rating, when the league keeps one: ordinal = mu - 3 sigma. */
  readonly openskill?: { readonly mu: number; readonly sigma: number; readonly ordinal: number };
}

/** Adds one rated match (or `count` identical ones) to pairwise counts. */
export function addToPairs(pairs: PairCounts, seats: readonly string[], scores: readonly (readonly number[])[], count = 1): void {
  for (let i = 0; i < seats.length; i++) {
    for (let j = i + 1; j < seats.length; j++) pairs.add(seats[i]!, seats[j]!, scores[i]![j]!, count);
  }
}

export function pairCountsFromOutcomes(outcomes: readonly OutcomeCount[], faults: ResultPolicy, utility: Utility): PairCounts {
  const pairs = new PairCounts();
  for (const o of outcomes) {
    if (o.status === 'aborted') continue;
    const outcome = ratedOutcome({ returns: o.returns, fault: o.faultSeat === null ? undefined : { seat: o.faultSeat } }, faults, utility);
    if (outcome.kind === 'rated') addToPairs(pairs, o.seats, outcome.scores, o.count);
  }
  return pairs;
}

/** Current Bradley–Terry ratings (no bootstrap): the convergence check of `league run`. */
export function bradleyTerryRatings(pairs: PairCounts): Map<string, number> {
  if (pairs.size < 2 || pairs.total === 0) return new Map();
  const fit = fitBradleyTerry(pairs);
  return new Map(fit.agentIds.map((id, i) => [id, fit.ratings[i]!]));
}

export function computeStandings(store: LeagueStore, league: LeagueRow): Standing[] {
  const config = LeagueConfigSchema.parse(league.config);
  const utility = getEnv(league.env).spec.utility;
  const pairs = pairCountsFromOutcomes(store.outcomeCounts(league.id), config.ratings.faults, utility);
  const latest = store.latestRatingRows(league.id);
  if (pairs.size < 2 || pairs.total === 0) return [];
  const ratings = bootstrapBradleyTerry(pairs, { rounds: config.ratings.bootstrapRounds, seed: league.seed });
  return ratings.map((r) => {
    const row = latest.get(r.agentId);
    const standing: Standing = {
      agentId: r.agentId, elo: row?.elo ?? config.ratings.elo.initial,
      rating: r.rating, ci: r.ci, rankUpper: r.rankUpper, games: r.games,
    };
    if (row?.mu === undefined || row.sigma === undefined) return standing;
    return { ...standing, openskill: { mu: row.mu, sigma: row.sigma, ordinal: row.mu - 3 * row.sigma } };
  });
}
