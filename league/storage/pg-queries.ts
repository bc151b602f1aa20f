/**
 * The PostgreSQL store's statements that run either on the pool or on the client of a
 * transaction (an arena finish's `rate` reads and writes through the latter), and row mapping.
 */
import type pg from 'pg';
import type { ArenaMatchRow, LeagueRow, MatchRow, MatchStatus, MatchSummary, RatingRow } from './league-store.ts';

/** What the store's queries run on: the pool, or the one client of a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export const SUMMARY_COLUMNS = 'idx, seed, seats, returns, length, status, fault';
export const RATING_COLUMNS = 'idx AS "index", agent_id AS "agentId", elo, mu, sigma';

export async function listLeagues(db: Queryable): Promise<LeagueRow[]> {
  const { rows } = await db.query<LeagueDbRow>('SELECT * FROM leagues ORDER BY id');
  return rows.map(toLeague);
}

export async function matchSummaries(db: Queryable, leagueId: number, fromIndex: number, toIndex: number): Promise<MatchSummary[]> {
  const { rows } = await db.query<MatchDbRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM matches WHERE league_id = $1 AND idx >= $2::bigint AND idx < $3::bigint ORDER BY idx`,
    [leagueId, fromIndex, toIndex],
  );
  return rows.map(toSummary);
}

/**
 * Matches, rating rows and the Elo mark in one statement (atomic on its own, and one round
 * trip for a whole wave). Replays go in as `json`, kept as written; the rest as jsonb.
 */
export async function commit(
  db: Queryable,
  leagueId: number,
  matches: readonly MatchRow[],
  ratings: readonly RatingRow[],
  ratedThrough?: number,
): Promise<void> {
  if (matches.length === 0 && ratings.length === 0 && ratedThrough === undefined) return;
  await db.query(
    `WITH m AS (
       INSERT INTO matches (league_id, idx, seed, seats, returns, length, status, fault, record, notes)
       SELECT $1, x.idx, x.seed, x.seats, x.returns, x.length, x.status, x.fault, x.record, x.notes
       FROM json_to_recordset($2::json) AS x(idx INTEGER, seed BIGINT, seats JSONB, returns JSONB, length INTEGER, status TEXT,
         fault JSONB, record JSON, notes JSON)),
     r AS (
       INSERT INTO ratings (league_id, idx, agent_id, elo, mu, sigma)
       SELECT $1, x.index, x."agentId", x.elo, x.mu, x.sigma
       FROM json_to_recordset($3::json) AS x("index" INTEGER, "agentId" TEXT, elo DOUBLE PRECISION, mu DOUBLE PRECISION, sigma DOUBLE PRECISION))
     UPDATE leagues SET rated_through = $4::int WHERE id = $1 AND $4::int IS NOT NULL`,
    [leagueId, JSON.stringify(matches.map(matchJson)), JSON.stringify(ratings), ratedThrough ?? null],
  );
}

/** A match as the JSON the statements above read (record and notes only with a record, as in SQLite). */
export function matchJson(m: Omit<MatchRow, 'index'> & { readonly index?: number }) {
  return {
    idx: m.index,
    seed: m.seed,
    seats: m.seats,
    returns: m.returns,
    length: m.length,
    status: m.status,
    fault: m.fault ?? null,
    record: m.record ?? null,
    notes: m.record && m.notes ? m.notes : null,
  };
}

// ---- rows

export interface LeagueDbRow {
  id: number;
  name: string;
  env: string;
  config: unknown;
  config_hash: string;
  seed: number;
  created_at: Date;
  rated_through: number;
}
export interface ArenaMatchDbRow {
  match_id: string;
  league_id: number;
  env: string;
  seats: string[];
  status: string;
  idx: number | null;
  created_at: Date;
  ended_at: Date | null;
  node_id: string;
}
export interface MatchDbRow {
  idx: number;
  seed: number;
  seats: string[];
  returns: number[];
  length: number;
  status: string;
  fault: MatchSummary['fault'];
  record?: unknown;
  notes?: unknown;
}
export interface DbRatingRow {
  index: number;
  agentId: string;
  elo: number;
  mu: number | null;
  sigma: number | null;
}

export function toLeague(row: LeagueDbRow): LeagueRow {
  return {
    id: row.id,
    name: row.name,
    env: row.env,
    config: row.config,
    configHash: row.config_hash,
    seed: row.seed,
    createdAt: row.created_at.toISOString(),
    ratedThrough: row.rated_through,
  };
}

export function toSummary(row: MatchDbRow): MatchSummary {
  return {
    index: row.idx,
    seed: row.seed,
    seats: row.seats,
    returns: row.returns,
    length: row.length,
    status: row.status as MatchStatus,
    fault: row.fault ?? null,
  };
}

export function toRating(r: DbRatingRow): RatingRow {
  return r.mu === null || r.sigma === null
    ? { index: r.index, agentId: r.agentId, elo: r.elo }
    : { index: r.index, agentId: r.agentId, elo: r.elo, mu: r.mu, sigma: r.sigma };
}

export function toArenaMatch(row: ArenaMatchDbRow): ArenaMatchRow {
  return {
    matchId: row.match_id,
    leagueId: row.league_id,
    env: row.env,
    seats: row.seats,
    status: row.status as ArenaMatchRow['status'],
    index: row.idx,
    createdAt: row.created_at.toISOString(),
    endedAt: row.ended_at === null ? null : row.ended_at.toISOString(),
    nodeId: row.node_id,
  };
}
