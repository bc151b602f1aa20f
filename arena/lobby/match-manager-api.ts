/**
 * The contract between the arena's match registry and its transports (HTTP routes, the
 * socket.io gateway, Colyseus rooms). The implementation (match-manager.ts) creates
 * MatchRunners, hands out seat tokens, and writes finished matches to the league store.
 * Transports only look matches up and forward messages; they never touch an Episode.
 */
import type { SeatInput } from '../../protocol/http-api.ts';
import type { MatchRunner } from '../match/match-runner.ts';

export interface CreateMatchInput {
  /** Env key, e.g. 'connect-four-v1'. */
  readonly env: string;
  readonly params?: unknown;
  /** Default: drawn from a secure random source (never guessable from earlier matches). */
  readonly seed?: number;
  /** One entry per seat: an external player (gets a seat token), or an in-process agent spec ("mcts:sims=200"). */
  readonly seats: readonly SeatInput[];
  readonly settings?: unknown;
  /** League this match counts for (ratings and storage); default: the server's arena league. */
  readonly league?: string;
}

export interface CreatedMatch {
  readonly matchId: string;
  /** Seat tokens for the remote seats, by seat (null for in-process agents). Secret: give each to its player only. */
  readonly seatTokens: readonly (string | null)[];
}

export interface MatchSummaryView {
  readonly matchId: string;
  readonly env: string;
  readonly status: 'waiting' | 'live' | 'finished' | 'aborted';
  readonly seats: readonly { readonly seat: number; readonly agentId: string | null; readonly connected: boolean }[];
  readonly stepIndex: number;
  readonly returns: readonly number[] | null;
  readonly createdAt: string;
  /** The league the match counts for. */
  readonly league?: string;
}

/** How the server itself sets up a match (never from client input). */
export interface CreateMatchOptions {
  /** Abort the match if its remote seats have not all joined by then; default the manager's. */
  readonly startTimeoutMs?: number;
}

/** `GET /api/matches`: filters and a page (newest first). */
export interface MatchListQuery {
  readonly status?: MatchSummaryView['status'];
  readonly env?: string;
  /** Matches with this agentId in a seat. */
  readonly agentId?: string;
  /** Only matches of this league. */
  readonly league?: string;
  /** Page size; at most MAX_MATCH_PAGE (200). Default 50. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface MatchPage {
  readonly matches: MatchSummaryView[];
  /** The offset of the next page, or null when this is the last one. */
  readonly nextOffset: number | null;
}

export { MAX_MATCH_PAGE } from '../../protocol/http-api.ts';
export const DEFAULT_MATCH_PAGE = 50;

export interface MatchManagerApi {
  create(input: CreateMatchInput, options?: CreateMatchOptions): Promise<CreatedMatch>;
  /** Matches not ended yet (waiting or live) in which `agentId` holds a seat. */
  activeMatches(agentId: string): number;
  get(matchId: string): MatchRunner | undefined;
  /** The match a seat token belongs to. */
  byToken(seatToken: string): { readonly matchId: string; readonly seat: number } | undefined;
  list(query?: MatchListQuery): Promise<MatchPage>;
  summary(matchId: string): Promise<MatchSummaryView | undefined>;
  close(): Promise<void>;
}
