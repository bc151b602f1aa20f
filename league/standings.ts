/**
 * The leaderboard: each agent's latest online Elo beside its offline Bradley–Terry rating
 * (order-independent, with a 95% bootstrap CI and Chatbot Arena's rank upper bound). In
 * games whose returns are amounts won (chip games: poker, multi-round games), also the
 * margin rating, expected chips per game (ratings/margin.ts), and the list is ranked by it:
 * win/loss ratings ignore how much is won and can rank a losing player first. Each row says
 * which rating the list is ranked by (`rankedBy`), the one to read: in team envs OpenSkill
 * (ordinal μ − 3σ, rated team against team, ratings/team-outcome.ts). Built from grouped
 * outcomes, so it is cheap for millions of stored matches.
 */
import { getEnv } from '../envs/index.ts';
import { LeagueConfigSchema } from './config/league-config.ts';
import { bootstrapBradleyTerry, fitBradleyTerry, PairCounts } from './ratings/bradley-terry.ts';
import { fitMargins, type MarginGames } from './ratings/margin.ts';
import { ratedOutcome, type ResultPolicy } from './ratings/outcome.ts';
import type { EnvDims, Utility } from '../envs/index.ts';
import type { LeagueRow, LeagueStore, OutcomeCount } from './storage/league-store.ts';
import { hasTeams, teamMatch } from './ratings/team-outcome.ts';

/** The rating a standings list is ranked by, and the one to read. */
export type RankedBy = 'openskill' | 'margin' | 'bradley-terry';

/** Expected chips (the env's return unit) per game, from the margin rating. */
export interface MarginStanding {
  /** Against an average member of the league (members' mean is 0), opponent-corrected. */
  readonly perGame: number;
  readonly ci: readonly [number, number];
  readonly rankUpper: number;
  /** Plain mean margin per game over the games played (depends on who it met). */
  readonly meanMargin: number;
}

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
  /** Chip games only: the margin rating (expected chips per game). */
  readonly margin?: MarginStanding;
  /** What the list is ranked by: 'openskill' (its ordinal) in team envs, 'margin' in chip games, else 'bradley-terry' (`rating`). */
  readonly rankedBy: RankedBy;
}

/**
 * Chip games: zero- or constant-sum games whose returns span more than a win, a draw and a
 * loss (Kuhn and Leduc poker with chip scoring, multi-round rock-paper-scissors); there the
 * margin says more than who won.
 */
export function isMarginGame(utility: Utility, dims: Pick<EnvDims, 'minUtility' | 'maxUtility'>): boolean {
  return (utility === 'zero-sum' || utility === 'constant-sum') && dims.maxUtility - dims.minUtility > 2;
}

/**
 * Rated outcomes as margins. A forfeit counts as the largest loss against every other seat
 * (the faulting seat gets the env's minimum, the others its maximum), so faulting never
 * saves chips; with the 'no-result' policy faulted matches are left out, as in the other ratings.
 */
export function marginGamesFromOutcomes(
  outcomes: readonly OutcomeCount[],
  faults: ResultPolicy,
  dims: Pick<EnvDims, 'minUtility' | 'maxUtility'>,
): MarginGames[] {
  const games: MarginGames[] = [];
  for (const o of outcomes) {
    if (o.status === 'aborted' || new Set(o.seats).size < o.seats.length) continue;
    if (o.faultSeat === null) {
      games.push({ seats: o.seats, returns: o.returns, count: o.count });
      continue;
    }
    if (faults === 'no-result') continue;
    games.push({ seats: o.seats, returns: o.seats.map((_, seat) => (seat === o.faultSeat ? dims.minUtility : dims.maxUtility)), count: o.count });
  }
  return games;
}

/** Adds one rated match (or `count` identical ones) to pairwise counts. */
export function addToPairs(pairs: PairCounts, seats: readonly string[], scores: readonly (readonly number[])[], count = 1): void {
  for (let i = 0; i < seats.length; i++) {
    for (let j = i + 1; j < seats.length; j++) pairs.add(seats[i]!, seats[j]!, scores[i]![j]!, count);
  }
}

/** Pass `dims` of a team env to count members across the net only, with their team's result (ratings/team-outcome.ts). */
export function pairCountsFromOutcomes(outcomes: readonly OutcomeCount[], faults: ResultPolicy, utility: Utility, dims?: EnvDims): PairCounts {
  const pairs = new PairCounts();
  const teams = dims && hasTeams(dims) ? dims : undefined;
  for (const o of outcomes) {
    if (o.status === 'aborted') continue;
    const outcome = ratedOutcome({ returns: o.returns, fault: o.faultSeat === null ? undefined : { seat: o.faultSeat } }, faults, utility);
    if (outcome.kind !== 'rated') continue;
    if (!teams) {
      addToPairs(pairs, o.seats, outcome.scores, o.count);
      continue;
    }
    const tm = teamMatch(teams, o.seats, outcome.ranks);
    if (!tm) continue;
    for (let i = 0; i < tm.teams.length; i++) {
      for (let j = i + 1; j < tm.teams.length; j++) {
        for (const a of tm.teams[i]!) for (const b of tm.teams[j]!) pairs.add(a, b, tm.scores[i]![j]!, o.count);
      }
    }
  }
  return pairs;
}

/** Rated matches per member in a team env (a member counted once per match). */
function ratedTeamGames(outcomes: readonly OutcomeCount[], faults: ResultPolicy, utility: Utility, dims: EnvDims): Map<string, number> {
  const games = new Map<string, number>();
  for (const o of outcomes) {
    if (o.status === 'aborted') continue;
    const outcome = ratedOutcome({ returns: o.returns, fault: o.faultSeat === null ? undefined : { seat: o.faultSeat } }, faults, utility);
    if (outcome.kind !== 'rated' || !teamMatch(dims, o.seats, outcome.ranks)) continue;
    for (const id of new Set(o.seats)) games.set(id, (games.get(id) ?? 0) + o.count);
  }
  return games;
}

function rankedByFor(utility: Utility, dims: EnvDims): RankedBy {
  if (hasTeams(dims)) return 'openskill';
  return isMarginGame(utility, dims) ? 'margin' : 'bradley-terry';
}

/** Current Bradley–Terry ratings (no bootstrap): the convergence check of `league run`. */
export function bradleyTerryRatings(pairs: PairCounts): Map<string, number> {
  if (pairs.size < 2 || pairs.total === 0) return new Map();
  const fit = fitBradleyTerry(pairs);
  return new Map(fit.agentIds.map((id, i) => [id, fit.ratings[i]!]));
}

/** Which rating a league's standings are ranked by. */
export function rankedByOf(league: LeagueRow): RankedBy {
  const env = getEnv(league.env);
  const config = LeagueConfigSchema.parse(league.config);
  return rankedByFor(env.spec.utility, env.dims(env.parseParams(config.params)));
}

export async function computeStandings(store: LeagueStore, league: LeagueRow): Promise<Standing[]> {
  const config = LeagueConfigSchema.parse(league.config);
  const env = getEnv(league.env);
  const dims = env.dims(env.parseParams(config.params));
  const outcomes = await store.outcomeCounts(league.id);
  const pairs = pairCountsFromOutcomes(outcomes, config.ratings.faults, env.spec.utility, dims);
  const latest = await store.latestRatingRows(league.id);
  if (pairs.size < 2 || pairs.total === 0) return [];
  const rankedBy = rankedByFor(env.spec.utility, dims);
  // Team envs: BT counts a member once per opposing member; games are matches played.
  const teamGames = rankedBy === 'openskill' ? ratedTeamGames(outcomes, config.ratings.faults, env.spec.utility, dims) : undefined;
  const ratings = bootstrapBradleyTerry(pairs, { rounds: config.ratings.bootstrapRounds, seed: league.seed });
  const margins =
    rankedBy === 'margin'
      ? new Map(
          fitMargins(marginGamesFromOutcomes(outcomes, config.ratings.faults, dims), { rounds: config.ratings.bootstrapRounds, seed: league.seed }).map(
            ({ agentId, perGame, ci, rankUpper, meanMargin }) => [agentId, { perGame, ci, rankUpper, meanMargin }],
          ),
        )
      : undefined;
  const standings = ratings.map((r): Standing => {
    const row = latest.get(r.agentId);
    const margin = margins?.get(r.agentId);
    return {
      agentId: r.agentId,
      elo: row?.elo ?? config.ratings.elo.initial,
      rating: r.rating,
      ci: r.ci,
      rankUpper: r.rankUpper,
      games: teamGames?.get(r.agentId) ?? r.games,
      ...(row?.mu === undefined || row.sigma === undefined ? {} : { openskill: { mu: row.mu, sigma: row.sigma, ordinal: row.mu - 3 * row.sigma } }),
      ...(margin ? { margin } : {}),
      rankedBy,
    };
  });
  if (rankedBy === 'openskill') standings.sort((a, b) => (b.openskill?.ordinal ?? -Infinity) - (a.openskill?.ordinal ?? -Infinity));
  if (rankedBy === 'margin') standings.sort((a, b) => (b.margin?.perGame ?? -Infinity) - (a.margin?.perGame ?? -Infinity));
  return standings;
}
