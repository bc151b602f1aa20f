/**
 * The storage interface of the league. Everything the league persists goes through it; two
 * implementations: the embedded SQLite store (sqlite-store.ts, the default) and PostgreSQL
 * (pg-store.ts) for several processes sharing one store. No SQL lives elsewhere.
 */
import type { MoveNotes } from '../../agents/move-note.ts';
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
  /** Agents' per-move notes (text replies, tokens, latency) aligned with `record.history`; kept with the record. */
  readonly notes?: MoveNotes | null;
}

/** A match without its replay record (cheap to list and fold). */
export type MatchSummary = Omit<MatchRow, 'record' | 'notes'>;

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

/** Where an arena match stands: 'live' from creation until it ends; a crash leaves it 'live' until the next start marks it 'aborted'. */
export type ArenaMatchStatus = 'live' | MatchStatus;

export interface ArenaMatchFilter {
  /** Any of these statuses. */
  readonly statuses?: readonly ArenaMatchStatus[];
  readonly env?: string;
  /** Matches with this agentId in some seat. */
  readonly agentId?: string;
  readonly leagueId?: number;
  readonly limit?: number;
  readonly offset?: number;
}

/** The owner of arena matches in a store only one process uses (the SQLite default). */
export const LOCAL_NODE_ID = 'local';

/** An arena match's lifecycle row; its result and replay are the league MatchRow at `index` once it ended. */
export interface ArenaMatchRow {
  readonly matchId: string;
  readonly leagueId: number;
  readonly env: string;
  /** agentIds in seat order. */
  readonly seats: readonly string[];
  readonly status: ArenaMatchStatus;
  /** Index of its MatchRow in the league; null while live (and for matches aborted by a crash). */
  readonly index: number | null;
  readonly createdAt: string;
  readonly endedAt: string | null;
  /** The process that runs (or ran) the match: LOCAL_NODE_ID unless a cluster process started it. */
  readonly nodeId: string;
}

/** What startArenaMatch records: the match's row before its first move; `nodeId` defaults to LOCAL_NODE_ID. */
export type StartArenaMatch = Omit<ArenaMatchRow, 'status' | 'index' | 'endedAt' | 'nodeId'> & { readonly nodeId?: string };

/** A server process of a cluster sharing the store, as its last heartbeat left it. */
export interface NodeRow {
  readonly nodeId: string;
  /** Where other processes and clients reach it. */
  readonly publicUrl: string;
  readonly heartbeatAt: string;
}

/** What abortExpiredNodes did: the nodes it removed and their live matches it marked aborted. */
export interface ExpiredNodes {
  readonly nodeIds: string[];
  readonly matchIds: string[];
}

/** A registered external agent (its token is kept only as a hash). */
export interface AgentRow {
  readonly agentId: string;
  readonly createdAt: string;
  /** Its token was revoked: no token works until a new one is issued. */
  readonly revoked?: boolean;
}

/** What `finishArenaMatch`'s `rate` may use: the store as seen inside the finish (its transaction, in PostgreSQL). */
export type LeagueTx = Pick<LeagueStore, 'listLeagues' | 'matchSummaries' | 'commit'>;

/** Computes the rating rows of an arena match about to be stored at `stored.index`. */
export type RateArenaMatch = (stored: MatchSummary, leagueId: number, tx: LeagueTx) => Promise<readonly RatingRow[]>;

export interface LeagueStore {
  /** Creates the league, or returns the existing one with this name. */
  openLeague(input: Omit<LeagueRow, 'id' | 'createdAt' | 'ratedThrough'>): Promise<LeagueRow>;
  getLeague(name: string): Promise<LeagueRow | undefined>;
  listLeagues(): Promise<LeagueRow[]>;
  /** The league's secret salt (created on first use, then stable): operators reproduce deals from it; nothing public derives it. */
  leagueSalt(leagueId: number): Promise<string>;
  upsertMembers(leagueId: number, members: readonly Member[]): Promise<void>;
  listMembers(leagueId: number): Promise<Member[]>;
  /** Appends matches and rating rows in one transaction; `ratedThrough` advances the Elo mark. */
  commit(leagueId: number, matches: readonly MatchRow[], ratings: readonly RatingRow[], ratedThrough?: number): Promise<void>;
  countMatches(leagueId: number): Promise<number>;
  /** Summaries ordered by index, from `fromIndex` (inclusive) to `toIndex` (exclusive). */
  matchSummaries(leagueId: number, fromIndex?: number, toIndex?: number): Promise<MatchSummary[]>;
  /** The latest `limit` matches below index `before` (all when omitted), optionally only those `agentId` played; ordered by index. */
  recentMatchSummaries(leagueId: number, page: { readonly limit: number; readonly before?: number; readonly agentId?: string }): Promise<MatchSummary[]>;
  outcomeCounts(leagueId: number): Promise<OutcomeCount[]>;
  getMatch(leagueId: number, index: number): Promise<MatchRow | undefined>;
  /** Latest Elo of every agent that has played. */
  latestRatings(leagueId: number): Promise<Map<string, number>>;
  /** Latest rating row (Elo, and OpenSkill when kept) of every agent that has played. */
  latestRatingRows(leagueId: number): Promise<Map<string, RatingRow>>;
  /** Rating rows ordered by index, optionally of one agent and from `fromIndex` (inclusive) to `toIndex` (exclusive). */
  ratingHistory(leagueId: number, agentId?: string, fromIndex?: number, toIndex?: number): Promise<RatingRow[]>;
  /** Records an arena match as live (before its first move), so a crash cannot lose it silently. */
  startArenaMatch(row: StartArenaMatch): Promise<void>;
  /**
   * Appends the ended match to its league (next index) and closes its live row, atomically;
   * returns the index. `rate`, when given, runs with the stored match while the league's
   * appends are held (no other match of the league can be appended meanwhile), reading and
   * writing through `tx` only; the rating rows it returns are written with the match (and
   * `ratedThrough` moves past it), so a crash never leaves a rated league's match without its
   * Elo rows. When `rate` throws, nothing of the match is stored.
   */
  finishArenaMatch(matchId: string, match: Omit<MatchRow, 'index'>, rate?: RateArenaMatch): Promise<number>;
  /**
   * Marks the matches of `nodeId` (default LOCAL_NODE_ID) still 'live' as 'aborted' (call at
   * startup: they died with the last run of that process); returns their ids. Other nodes'
   * matches are left alone.
   */
  abortLiveArenaMatches(nodeId?: string): Promise<string[]>;
  /** Records that `nodeId` is alive and reachable at `publicUrl` (the store's clock: comparable across machines). */
  heartbeatNode(nodeId: string, publicUrl: string): Promise<void>;
  /** Nodes with a heartbeat, by nodeId. */
  listNodes(): Promise<NodeRow[]>;
  /**
   * Removes the nodes whose last heartbeat is older than `olderThanMs` and marks their live
   * matches aborted, atomically (a survivor cleaning up after a dead process).
   */
  abortExpiredNodes(olderThanMs: number): Promise<ExpiredNodes>;
  getArenaMatch(matchId: string): Promise<ArenaMatchRow | undefined>;
  /** Newest first; every filter optional. Default limit 100. */
  listArenaMatches(filter?: ArenaMatchFilter): Promise<ArenaMatchRow[]>;
  /** Stores an agent credential (only a hash of `token`); throws 'agent-exists' for a taken agentId. */
  registerAgent(agentId: string, token: string): Promise<AgentRow>;
  /** Gives an agent a fresh token (registering it when new); the old token stops working. For servers that run their own agents. */
  issueAgentToken(agentId: string, token: string): Promise<AgentRow>;
  /** Replaces a registered agent's token (the old one stops working); undefined for an unknown agentId. */
  rotateAgentToken(agentId: string, token: string): Promise<AgentRow | undefined>;
  /** Revokes a registered agent's token (none works until rotated); false for an unknown agentId. */
  revokeAgentToken(agentId: string): Promise<boolean>;
  /** The agentId this token belongs to, or undefined (also for a revoked one). */
  verifyAgentToken(token: string): Promise<string | undefined>;
  listAgents(): Promise<AgentRow[]>;
  close(): Promise<void>;
}
