/**
 * The embedded league store: one SQLite file (better-sqlite3, WAL) in the store directory,
 * written by one process (store-lock.ts). Schema changes go through SQLITE_MIGRATIONS
 * (schema.ts), tracked by `PRAGMA user_version`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { MemberSchema, type Member } from '../population/member.ts';
import {
  LOCAL_NODE_ID,
  type AgentRow,
  type ArenaMatchFilter,
  type ArenaMatchRow,
  type ArenaMatchStatus,
  type ExpiredNodes,
  type LeagueRow,
  type LeagueStore,
  type MatchRow,
  type MatchStatus,
  type MatchSummary,
  type NodeRow,
  type OutcomeCount,
  type RateArenaMatch,
  type RatingRow,
  type StartArenaMatch,
} from './league-store.ts';
import { SQLITE_MIGRATIONS } from './schema.ts';
import { acquireStoreLock, type StoreLock } from './store-lock.ts';
import { StoreError } from './store-error.ts';
import { LeagueError } from '../league-error.ts';

const MIGRATIONS = SQLITE_MIGRATIONS;

export const STORE_FILE = 'ludus.sqlite';

/** Prefix of the token_hash of an agent whose token was revoked. */
const REVOKED = 'revoked:';

interface LeagueDbRow {
  id: number;
  name: string;
  env: string;
  config: string;
  config_hash: string;
  seed: number;
  created_at: string;
  rated_through: number;
}
interface ArenaMatchDbRow {
  match_id: string;
  league_id: number;
  env: string;
  seats: string;
  status: string;
  idx: number | null;
  created_at: string;
  ended_at: string | null;
  node_id: string;
}
interface MatchDbRow {
  idx: number;
  seed: number;
  seats: string;
  returns: string;
  length: number;
  status: string;
  fault: string | null;
  record?: string | null;
  notes?: string | null;
}

export class SqliteStore implements LeagueStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insertMatch: Database.Statement;
  private readonly insertRating: Database.Statement;
  private readonly setRatedThrough: Database.Statement;
  /** The writer's lock on the store directory (none for ':memory:' and read-only stores). */
  private readonly lock: StoreLock | undefined;

  /**
   * Opens (creating if needed) the store in `dir`, or an in-memory store for ':memory:'.
   * `readonly` opens an existing store for reading (standings, exports) and never creates one.
   */
  /** Statements are compiled once per store: the arena stores a match on every finish. */
  private readonly statements = new Map<string, Statement>();
  /** Settles when the finish in progress is stored (finishArenaMatch). */
  private finishing: Promise<void> = Promise.resolve();

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  constructor(dir: string, options: { readonly?: boolean } = {}) {
    const readonly = options.readonly === true;
    this.path = dir === ':memory:' ? dir : join(dir, STORE_FILE);
    if (readonly && (dir === ':memory:' || !existsSync(this.path))) {
      throw new StoreError(
        'store-missing',
        `there is no league store at ${dir}`,
        'run a league first (`ludus league run --config FILE`), or pass the --store it used',
      );
    }
    if (dir !== ':memory:' && !readonly) {
      // Owner only: the store holds agent token hashes, league salts and full replays.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.lock = acquireStoreLock(dir);
      // SQLite gives the -wal and -shm files the database file's mode.
      if (!existsSync(this.path)) closeSync(openSync(this.path, 'a', 0o600));
    }
    try {
      this.db = new Database(this.path, { readonly });
    } catch (error) {
      this.lock?.release();
      throw new StoreError(
        'store-unavailable',
        `cannot open the league store at ${this.path}: ${(error as Error).message}`,
        'check the --store path and its permissions',
      );
    }
    this.db.pragma('busy_timeout = 5000');
    if (!readonly) {
      try {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.pragma('foreign_keys = ON');
        this.migrate();
      } catch (error) {
        this.closeSync();
        throw error;
      }
    } else if ((this.db.pragma('user_version', { simple: true }) as number) !== MIGRATIONS.length) {
      this.db.close();
      throw new StoreError(
        'store-outdated',
        `the store at ${this.path} has another schema version than this Ludus`,
        'run `ludus league run` on it once to upgrade it, or use the Ludus that wrote it',
      );
    }
    this.insertMatch = this.sql(
      'INSERT INTO matches (league_id, idx, seed, seats, returns, length, status, fault, record, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertRating = this.sql('INSERT INTO ratings (league_id, idx, agent_id, elo, mu, sigma) VALUES (?, ?, ?, ?, ?, ?)');
    this.setRatedThrough = this.sql('UPDATE leagues SET rated_through = ? WHERE id = ?');
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        'store-too-new',
        `the store at ${this.path} has schema version ${version}, newer than this Ludus (${MIGRATIONS.length})`,
        'upgrade Ludus or use another --store',
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async openLeague(input: Omit<LeagueRow, 'id' | 'createdAt' | 'ratedThrough'>): Promise<LeagueRow> {
    const existing = this.leagueByName(input.name);
    if (existing) return existing;
    this.sql('INSERT INTO leagues (name, env, config, config_hash, seed, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      input.name,
      input.env,
      JSON.stringify(input.config),
      input.configHash,
      input.seed,
      new Date().toISOString(),
    );
    return this.leagueByName(input.name)!;
  }

  async getLeague(name: string): Promise<LeagueRow | undefined> {
    return this.leagueByName(name);
  }

  private leagueByName(name: string): LeagueRow | undefined {
    const row = this.sql('SELECT * FROM leagues WHERE name = ?').get(name) as LeagueDbRow | undefined;
    return row && toLeague(row);
  }

  async leagueSalt(leagueId: number): Promise<string> {
    return this.db.transaction(() => {
      const row = this.sql('SELECT salt FROM leagues WHERE id = ?').get(leagueId) as { salt: string | null } | undefined;
      if (row === undefined) throw new LeagueError('unknown-league', `no league with id ${leagueId} in the store`, 'open the league first');
      if (row.salt !== null) return row.salt;
      const salt = randomBytes(32).toString('base64url');
      this.sql('UPDATE leagues SET salt = ? WHERE id = ?').run(salt, leagueId);
      return salt;
    })();
  }

  async listLeagues(): Promise<LeagueRow[]> {
    return (this.sql('SELECT * FROM leagues ORDER BY id').all() as LeagueDbRow[]).map(toLeague);
  }

  async upsertMembers(leagueId: number, members: readonly Member[]): Promise<void> {
    const stmt = this.sql(
      'INSERT INTO members (league_id, agent_id, data) VALUES (?, ?, ?) ON CONFLICT (league_id, agent_id) DO UPDATE SET data = excluded.data',
    );
    this.db.transaction(() => {
      for (const m of members) stmt.run(leagueId, m.agentId, JSON.stringify(m));
    })();
  }

  async listMembers(leagueId: number): Promise<Member[]> {
    const rows = this.sql('SELECT data FROM members WHERE league_id = ? ORDER BY rowid').all(leagueId) as { data: string }[];
    return rows.map((r) => MemberSchema.parse(JSON.parse(r.data)));
  }

  async commit(leagueId: number, matches: readonly MatchRow[], ratings: readonly RatingRow[], ratedThrough?: number): Promise<void> {
    this.commitNow(leagueId, matches, ratings, ratedThrough);
  }

  private commitNow(leagueId: number, matches: readonly MatchRow[], ratings: readonly RatingRow[], ratedThrough?: number): void {
    this.db.transaction(() => {
      if (ratedThrough !== undefined) this.setRatedThrough.run(ratedThrough, leagueId);
      for (const m of matches) {
        this.insertMatch.run(
          leagueId,
          m.index,
          m.seed,
          JSON.stringify(m.seats),
          JSON.stringify(m.returns),
          m.length,
          m.status,
          m.fault ? JSON.stringify(m.fault) : null,
          m.record ? JSON.stringify(m.record) : null,
          m.record && m.notes ? JSON.stringify(m.notes) : null,
        );
      }
      // In key order (agent, then match): a wave's rows land agent by agent on the B-tree
      // instead of hopping between every member's pages (bench:league scaling).
      const ordered =
        ratings.length > 1 ? ratings.slice().sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : x.index - y.index)) : ratings;
      for (const r of ordered) this.insertRating.run(leagueId, r.index, r.agentId, r.elo, r.mu ?? null, r.sigma ?? null);
    })();
  }

  async countMatches(leagueId: number): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM matches WHERE league_id = ?').get(leagueId) as { n: number }).n;
  }

  async matchSummaries(leagueId: number, fromIndex = 0, toIndex = Number.MAX_SAFE_INTEGER): Promise<MatchSummary[]> {
    const rows = this.sql('SELECT idx, seed, seats, returns, length, status, fault FROM matches WHERE league_id = ? AND idx >= ? AND idx < ? ORDER BY idx').all(
      leagueId,
      fromIndex,
      toIndex,
    ) as MatchDbRow[];
    return rows.map(toSummary);
  }

  async recentMatchSummaries(leagueId: number, page: { readonly limit: number; readonly before?: number; readonly agentId?: string }): Promise<MatchSummary[]> {
    const before = page.before ?? Number.MAX_SAFE_INTEGER;
    const columns = 'idx, seed, seats, returns, length, status, fault';
    const rows =
      page.agentId === undefined
        ? this.sql(`SELECT ${columns} FROM matches WHERE league_id = ? AND idx < ? ORDER BY idx DESC LIMIT ?`).all(leagueId, before, page.limit)
        : this.sql(`SELECT ${columns} FROM matches WHERE league_id = ? AND idx < ? AND EXISTS (SELECT 1 FROM json_each(seats) WHERE value = ?)
          ORDER BY idx DESC LIMIT ?`).all(leagueId, before, page.agentId, page.limit);
    return (rows as MatchDbRow[]).map(toSummary).reverse();
  }

  async outcomeCounts(leagueId: number): Promise<OutcomeCount[]> {
    const rows = this.sql(`SELECT seats, returns, status, json_extract(fault, '$.seat') AS faultSeat, COUNT(*) AS count
      FROM matches WHERE league_id = ? GROUP BY seats, returns, status, faultSeat`).all(leagueId) as {
      seats: string;
      returns: string;
      status: string;
      faultSeat: number | null;
      count: number;
    }[];
    return rows.map((r) => ({
      seats: JSON.parse(r.seats),
      returns: JSON.parse(r.returns),
      status: r.status as MatchStatus,
      faultSeat: r.faultSeat,
      count: r.count,
    }));
  }

  async getMatch(leagueId: number, index: number): Promise<MatchRow | undefined> {
    const row = this.sql('SELECT * FROM matches WHERE league_id = ? AND idx = ?').get(leagueId, index) as MatchDbRow | undefined;
    return row && { ...toSummary(row), record: row.record ? JSON.parse(row.record) : null, notes: row.notes ? JSON.parse(row.notes) : null };
  }

  async latestRatings(leagueId: number): Promise<Map<string, number>> {
    return new Map([...this.ratingRowsNow(leagueId)].map(([id, r]) => [id, r.elo]));
  }

  async latestRatingRows(leagueId: number): Promise<Map<string, RatingRow>> {
    return this.ratingRowsNow(leagueId);
  }

  private ratingRowsNow(leagueId: number): Map<string, RatingRow> {
    const rows = this.sql(`SELECT r.idx AS "index", r.agent_id AS agentId, r.elo AS elo, r.mu AS mu, r.sigma AS sigma FROM ratings r
      JOIN (SELECT agent_id, MAX(idx) AS idx FROM ratings WHERE league_id = ? GROUP BY agent_id) last
      ON r.agent_id = last.agent_id AND r.idx = last.idx WHERE r.league_id = ?`).all(leagueId, leagueId) as DbRatingRow[];
    return new Map(rows.map((r) => [r.agentId, toRating(r)]));
  }

  async ratingHistory(leagueId: number, agentId?: string, fromIndex = 0, toIndex = Number.MAX_SAFE_INTEGER): Promise<RatingRow[]> {
    const columns = 'idx AS "index", agent_id AS agentId, elo, mu, sigma';
    const rows =
      agentId === undefined
        ? this.sql(`SELECT ${columns} FROM ratings WHERE league_id = ? AND idx >= ? AND idx < ? ORDER BY idx, agent_id`).all(leagueId, fromIndex, toIndex)
        : this.sql(`SELECT ${columns} FROM ratings WHERE league_id = ? AND agent_id = ? AND idx >= ? AND idx < ? ORDER BY idx`).all(
            leagueId,
            agentId,
            fromIndex,
            toIndex,
          );
    return (rows as DbRatingRow[]).map(toRating);
  }

  async startArenaMatch(row: StartArenaMatch): Promise<void> {
    this.sql("INSERT INTO arena_matches (match_id, league_id, env, seats, status, created_at, node_id) VALUES (?, ?, ?, ?, 'live', ?, ?)").run(
      row.matchId,
      row.leagueId,
      row.env,
      JSON.stringify(row.seats),
      row.createdAt,
      row.nodeId ?? LOCAL_NODE_ID,
    );
  }

  /**
   * SQLite serialises writers, but a better-sqlite3 transaction cannot span the await of `rate`:
   * finishes run one at a time (`finishing`), the index is read before `rate` and checked again
   * in the synchronous transaction that writes the match, its rating rows and the live row.
   */
  async finishArenaMatch(matchId: string, match: Omit<MatchRow, 'index'>, rate?: RateArenaMatch): Promise<number> {
    const previous = this.finishing;
    let done!: () => void;
    this.finishing = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      const { leagueId, index } = this.nextArenaIndex(matchId);
      const { record: _record, notes: _notes, ...summary } = { ...match, index };
      const ratings = rate ? await rate(summary, leagueId, this) : [];
      this.db.transaction(() => {
        if (this.nextArenaIndex(matchId).index !== index) {
          throw new StoreError('append-conflict', `league ${leagueId} got another match while "${matchId}" was rated`, 'finish the match again');
        }
        this.commitNow(leagueId, [{ ...match, index }], ratings, rate ? index + 1 : undefined);
        this.sql('UPDATE arena_matches SET status = ?, idx = ?, ended_at = ? WHERE match_id = ?').run(match.status, index, new Date().toISOString(), matchId);
      })();
      return index;
    } finally {
      done();
    }
  }

  /** The live row's league and the index its match would take. */
  private nextArenaIndex(matchId: string): { leagueId: number; index: number } {
    const live = this.sql('SELECT league_id FROM arena_matches WHERE match_id = ?').get(matchId) as { league_id: number } | undefined;
    if (!live) throw new StoreError('unknown-match', `no arena match "${matchId}" in the store`, 'start it with startArenaMatch first');
    const index = (this.sql('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM matches WHERE league_id = ?').get(live.league_id) as { n: number }).n;
    return { leagueId: live.league_id, index };
  }

  async abortLiveArenaMatches(nodeId: string = LOCAL_NODE_ID): Promise<string[]> {
    return this.db.transaction(() => this.abortLiveOf([nodeId]))();
  }

  /** Marks the live matches of these nodes aborted; their ids. Call inside a transaction. */
  private abortLiveOf(nodeIds: readonly string[]): string[] {
    const ids: string[] = [];
    const endedAt = new Date().toISOString();
    for (const nodeId of nodeIds) {
      const rows = this.sql("SELECT match_id FROM arena_matches WHERE status = 'live' AND node_id = ?").all(nodeId) as { match_id: string }[];
      this.sql("UPDATE arena_matches SET status = 'aborted', ended_at = ? WHERE status = 'live' AND node_id = ?").run(endedAt, nodeId);
      ids.push(...rows.map((r) => r.match_id));
    }
    return ids;
  }

  async heartbeatNode(nodeId: string, publicUrl: string): Promise<void> {
    this.sql(
      'INSERT INTO nodes (node_id, public_url, heartbeat_at) VALUES (?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET public_url = excluded.public_url, heartbeat_at = excluded.heartbeat_at',
    ).run(nodeId, publicUrl, new Date().toISOString());
  }

  async listNodes(): Promise<NodeRow[]> {
    const rows = this.sql('SELECT node_id, public_url, heartbeat_at FROM nodes ORDER BY node_id').all() as {
      node_id: string;
      public_url: string;
      heartbeat_at: string;
    }[];
    return rows.map((r) => ({ nodeId: r.node_id, publicUrl: r.public_url, heartbeatAt: r.heartbeat_at }));
  }

  async abortExpiredNodes(olderThanMs: number): Promise<ExpiredNodes> {
    const before = new Date(Date.now() - olderThanMs).toISOString();
    return this.db.transaction(() => {
      const nodeIds = (this.sql('SELECT node_id FROM nodes WHERE heartbeat_at < ? ORDER BY node_id').all(before) as { node_id: string }[]).map(
        (r) => r.node_id,
      );
      this.sql('DELETE FROM nodes WHERE heartbeat_at < ?').run(before);
      return { nodeIds, matchIds: this.abortLiveOf(nodeIds).sort() };
    })();
  }

  async getArenaMatch(matchId: string): Promise<ArenaMatchRow | undefined> {
    const row = this.sql('SELECT * FROM arena_matches WHERE match_id = ?').get(matchId) as ArenaMatchDbRow | undefined;
    return row && toArenaMatch(row);
  }

  async listArenaMatches(filter: ArenaMatchFilter = {}): Promise<ArenaMatchRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.statuses !== undefined) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...filter.statuses);
    }
    if (filter.env !== undefined) {
      where.push('env = ?');
      args.push(filter.env);
    }
    if (filter.leagueId !== undefined) {
      where.push('league_id = ?');
      args.push(filter.leagueId);
    }
    if (filter.agentId !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(seats) WHERE value = ?)');
      args.push(filter.agentId);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const rows = this.sql(`SELECT * FROM arena_matches ${clause} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(
      ...args,
      filter.limit ?? 100,
      filter.offset ?? 0,
    );
    return (rows as ArenaMatchDbRow[]).map(toArenaMatch);
  }

  async registerAgent(agentId: string, token: string): Promise<AgentRow> {
    const createdAt = new Date().toISOString();
    const result = this.sql('INSERT INTO agents (agent_id, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
      agentId,
      tokenHash(token),
      createdAt,
    );
    if (result.changes === 0) throw new StoreError('agent-exists', `agent "${agentId}" is already registered`, 'pick another agentId');
    return { agentId, createdAt };
  }

  async issueAgentToken(agentId: string, token: string): Promise<AgentRow> {
    const createdAt = new Date().toISOString();
    this.sql(
      'INSERT INTO agents (agent_id, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash',
    ).run(agentId, tokenHash(token), createdAt);
    const row = this.sql('SELECT created_at FROM agents WHERE agent_id = ?').get(agentId) as { created_at: string };
    return { agentId, createdAt: row.created_at };
  }

  async rotateAgentToken(agentId: string, token: string): Promise<AgentRow | undefined> {
    const result = this.sql('UPDATE agents SET token_hash = ? WHERE agent_id = ?').run(tokenHash(token), agentId);
    if (result.changes === 0) return undefined;
    const row = this.sql('SELECT created_at FROM agents WHERE agent_id = ?').get(agentId) as { created_at: string };
    return { agentId, createdAt: row.created_at };
  }

  async revokeAgentToken(agentId: string): Promise<boolean> {
    // The hash column is NOT NULL UNIQUE: a marker no sha256 hex digest can equal stands for "no token".
    return this.sql('UPDATE agents SET token_hash = ? WHERE agent_id = ?').run(`${REVOKED}${agentId}`, agentId).changes > 0;
  }

  async verifyAgentToken(token: string): Promise<string | undefined> {
    // The hash is the lookup key: tokens are long random strings, so no per-token salt is needed.
    const row = this.sql('SELECT agent_id FROM agents WHERE token_hash = ?').get(tokenHash(token)) as { agent_id: string } | undefined;
    return row?.agent_id;
  }

  async listAgents(): Promise<AgentRow[]> {
    const rows = this.sql('SELECT agent_id, created_at, token_hash FROM agents ORDER BY created_at, agent_id').all() as {
      agent_id: string;
      created_at: string;
      token_hash: string;
    }[];
    return rows.map((r) => ({ agentId: r.agent_id, createdAt: r.created_at, ...(r.token_hash.startsWith(REVOKED) ? { revoked: true } : {}) }));
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  private closeSync(): void {
    try {
      this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}

const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

function toArenaMatch(row: ArenaMatchDbRow): ArenaMatchRow {
  return {
    matchId: row.match_id,
    leagueId: row.league_id,
    env: row.env,
    seats: JSON.parse(row.seats),
    status: row.status as ArenaMatchStatus,
    index: row.idx,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    nodeId: row.node_id,
  };
}

interface DbRatingRow {
  index: number;
  agentId: string;
  elo: number;
  mu: number | null;
  sigma: number | null;
}

/** OpenSkill columns are present only when the league rates with OpenSkill too. */
function toRating(r: DbRatingRow): RatingRow {
  return r.mu === null || r.sigma === null
    ? { index: r.index, agentId: r.agentId, elo: r.elo }
    : { index: r.index, agentId: r.agentId, elo: r.elo, mu: r.mu, sigma: r.sigma };
}

function toLeague(row: LeagueDbRow): LeagueRow {
  return {
    id: row.id,
    name: row.name,
    env: row.env,
    config: JSON.parse(row.config),
    configHash: row.config_hash,
    seed: row.seed,
    createdAt: row.created_at,
    ratedThrough: row.rated_through,
  };
}

function toSummary(row: MatchDbRow): MatchSummary {
  return {
    index: row.idx,
    seed: row.seed,
    seats: JSON.parse(row.seats),
    returns: JSON.parse(row.returns),
    length: row.length,
    status: row.status as MatchSummary['status'],
    fault: row.fault ? JSON.parse(row.fault) : null,
  };
}
