/**
 * The storage interface of the league. Everything the league persists goes through it, so
 * a PostgreSQL implementation can replace the embedded SQLite one; no SQL lives elsewhere.
 */
import type { EpisodeRecord } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';

export interface LeagueRow {
  readonly id: number;
  readonly name: string;
  readonly env: string;
  /** The validated league config, as JSON. */
  readonly config: unknown;
  /** Hash of the parts of the config that decide results (everything but the stopping rule). */
  readonly configHash: string;
  readonly seed: number;
  readonly createdAt: string;
  /** Matches [0, ratedThrough) have had their Elo rows written. */
  readonly ratedThrough: number;
}

export type MatchStatus = 'finished' | 'faulted' | 'aborted';

export interface MatchRow {
  /** Position in the league's schedule: 0, 1, 2, ... Results are folded in this order. */
  readonly index: number;
  readonly seed: number;
  /** agentIds in seat order. */
  readonly seats: readonly string[];
  readonly returns: readonly number[];
  /** Decision steps. */
  readonly length: number;
  readonly status: MatchStatus;
  readonly fault: { readonly seat: number; readonly code: string; readonly message: string } | null;
  readonly record: EpisodeRecord | null;
}

/** A match without its replay record (cheap to list and fold). */
export type MatchSummary = Omit<MatchRow, 'record'>;

/** Matches grouped by identical outcome: what offline ratings need, without reading every row. */
export interface OutcomeCount {
  readonly seats: readonly string[];
  readonly returns: readonly number[];
  readonly status: MatchStatus;
  readonly faultSeat: number | null;
  readonly count: number;
}

export interface RatingRow {
  readonly index: number;
  readonly agentId: string;
  readonly elo: number;
  /** OpenSkill (Weng–Lin) mean and deviation, when the league rates with it. */
  readonly mu?: number;
  readonly sigma?: number;
}

export interface LeagueStore {
  /** Creates the league, or returns the existing one with this name. */
  openLeague(input: Omit<LeagueRow, 'id' | 'createdAt' | 'ratedThrough'>): LeagueRow;
  getLeague(name: string): LeagueRow | undefined;
  listLeagues(): LeagueRow[];
  upsertMembers(leagueId: number, members: readonly Member[]): void;
  listMembers(leagueId: number): Member[];
  /** Appends matches and rating rows in one transaction; `ratedThrough` advances the Elo mark. */
  commit(leagueId: number, matches: readonly MatchRow[], ratings: readonly RatingRow[], ratedThrough?: number): void;
  countMatches(leagueId: number): number;
  /** Summaries ordered by index, from `fromIndex` (inclusive) to `toIndex` (exclusive). */
  matchSummaries(leagueId: number, fromIndex?: number, toIndex?: number): MatchSummary[];
  outcomeCounts(leagueId: number): OutcomeCount[];
  getMatch(leagueId: number, index: number): MatchRow | undefined;
  /** Latest Elo of every agent that has played. */
  latestRatings(leagueId: number): Map<string, number>;
  /** Latest rating row (Elo, and OpenSkill when kept) of every agent that has played. */
  latestRatingRows(leagueId: number): Map<string, RatingRow>;
  ratingHistory(leagueId: number, agentId?: string): RatingRow[];
  close(): void;
}
