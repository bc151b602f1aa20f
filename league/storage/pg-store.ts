/**
 * The league store on PostgreSQL (node-postgres), for several processes or machines sharing one
 * store. Same interface and schema versions as the SQLite store (schema.ts); what changes:
 *
 * - Appends to one league are serialised by locking its `leagues` row, so indexes stay
 *   contiguous with any number of writers (COALESCE(MAX(idx)+1) alone races under READ COMMITTED),
 *   and each finish folds the previous one's committed rows (online Elo is sequential).
 * - An arena finish is two round trips: [BEGIN; lock and next index] and, after `rate`,
 *   [store match, rating rows and live row; COMMIT] (pg-finish.ts). A wave's commit is one
 *   statement. Migrations run in one transaction under an advisory lock.
 * - Heartbeats and end times are the database's clock (they compare across machines).
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { MemberSchema, type Member } from '../population/member.ts';
import { LeagueError } from '../league-error.ts';
import {
  LOCAL_NODE_ID,
  type AgentRow,
  type ArenaMatchFilter,
  type ArenaMatchRow,
  type ExpiredNodes,
  type LeagueRow,
  type LeagueStore,
  type LeagueTx,
  type MatchRow,
  type MatchStatus,
  type MatchSummary,
  type NodeRow,
  type OutcomeCount,
  type RateArenaMatch,
  type RatingRow,
  type StartArenaMatch,
} from './league-store.ts';
import { finishArenaMatch } from './pg-finish.ts';
import {
  commit,
  listLeagues,
  matchSummaries,
  RATING_COLUMNS,
  SUMMARY_COLUMNS,
  toArenaMatch,
  toLeague,
  toRating,
  toSummary,
  type ArenaMatchDbRow,
  type DbRatingRow,
  type LeagueDbRow,
  type MatchDbRow,
} from './pg-queries.ts';
import { PG_MIGRATIONS } from './schema.ts';
import { StoreError } from './store-error.ts';

/** int8 (seeds, counts) as numbers: every int8 Ludus keeps is below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Key of the advisory lock migrations run under (any constant; 'ludus' in ASCII). */
const MIGRATION_LOCK = 0x6c75647573;
/** First key of the per-league advisory lock member upserts take (the league id is the second). */
const MEMBERS_LOCK = 0x6c6d;
/** Prefix of the token_hash of an agent whose token was revoked (as in the SQLite store). */
const REVOKED = 'revoked:';
const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface PgStoreOptions {
  /** Reads only (standings, exports): never migrates, refuses writes, and needs an up-to-date schema. */
  readonly readonly?: boolean;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
}

export class PgStore implements LeagueStore {
  /** The database URL without its password (for messages). */
  readonly location: string;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool, location: string) {
    this.pool = pool;
    this.location = location;
  }

  /** Connects and brings the schema up to date (two processes starting together migrate once). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const location = redactUrl(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: TYPES,
      application_name: 'ludus',
      ...(options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle connection the server drops is replaced on the next query; it must not crash the process.
    pool.on('error', () => undefined);
    const store = new PgStore(pool, location);
    try {
      if (options.readonly) await store.checkVersion();
      else await store.migrate();
    } catch (error) {
      await pool.end();
      if (error instanceof StoreError) throw error;
      throw new StoreError(
        'store-unavailable',
        `cannot open the PostgreSQL league store at ${location}: ${(error as Error).message}`,
        'check --database / LUDUS_DATABASE_URL and that PostgreSQL accepts connections',
      );
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
      if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
      const version = rows[0]?.version ?? 0;
      if (version > PG_MIGRATIONS.length) {
        throw new StoreError(
          'store-too-new',
          `the store at ${this.location} has schema version ${version}, newer than this Ludus (${PG_MIGRATIONS.length})`,
          'upgrade Ludus or use another --database',
        );
      }
      for (let v = version; v < PG_MIGRATIONS.length; v++) await client.query(PG_MIGRATIONS[v]!);
      if (version < PG_MIGRATIONS.length) await client.query('UPDATE schema_version SET version = $1', [PG_MIGRATIONS.length]);
    });
  }

  private async checkVersion(): Promise<void> {
    const table = await this.pool.query<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
    const rows = table.rows[0]!.t === null ? [] : (await this.pool.query<{ version: number }>('SELECT version FROM schema_version')).rows;
    if (rows.length === 0) {
      throw new StoreError(
        'store-missing',
        `there is no league store in the database at ${this.location}`,
        'run a league first (`ludus league run --config FILE --database URL`)',
      );
    }
    if (rows[0]!.version !== PG_MIGRATIONS.length) {
      throw new StoreError(
        'store-outdated',
        `the store at ${this.location} has another schema version than this Ludus`,
        'run `ludus league run` on it once to upgrade it, or use the Ludus that wrote it',
      );
    }
  }

  /** Runs `body` in one transaction on one client; rolls back when it throws. */
  private async transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dropped from the pool, not reused.
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async openLeague(input: Omit<LeagueRow, 'id' | 'createdAt' | 'ratedThrough'>): Promise<LeagueRow> {
    await this.pool.query(
      `INSERT INTO leagues (name, env, config, config_hash, seed, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO NOTHING`,
      [input.name, input.env, JSON.stringify(input.config), input.configHash, input.seed, new Date().toISOString()],
    );
    return (await this.getLeague(input.name))!;
  }

  async getLeague(name: string): Promise<LeagueRow | undefined> {
    const { rows } = await this.pool.query<LeagueDbRow>('SELECT * FROM leagues WHERE name = $1', [name]);
    return rows[0] && toLeague(rows[0]);
  }

  async listLeagues(): Promise<LeagueRow[]> {
    return listLeagues(this.pool);
  }

  async leagueSalt(leagueId: number): Promise<string> {
    // One statement: two processes asking at once both get the salt the first one wrote.
    const { rows } = await this.pool.query<{ salt: string }>('UPDATE leagues SET salt = COALESCE(salt, $2) WHERE id = $1 RETURNING salt', [
      leagueId,
      randomBytes(32).toString('base64url'),
    ]);
    if (rows.length === 0) throw new LeagueError('unknown-league', `no league with id ${leagueId} in the store`, 'open the league first');
    return rows[0]!.salt;
  }

  async upsertMembers(leagueId: number, members: readonly Member[]): Promise<void> {
    if (members.length === 0) return;
    // One league's upserts take turns: two lists of the same members in other orders would
    // deadlock on their rows, and the joining order (position) is the order given.
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [MEMBERS_LOCK, leagueId]);
      await client.query(
        `INSERT INTO members (league_id, agent_id, data)
         SELECT $1, m->>'agentId', m FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x(m, n) ORDER BY n
         ON CONFLICT (league_id, agent_id) DO UPDATE SET data = EXCLUDED.data`,
        [leagueId, JSON.stringify(members)],
      );
    });
  }

  async listMembers(leagueId: number): Promise<Member[]> {
    const { rows } = await this.pool.query<{ data: unknown }>('SELECT data FROM members WHERE league_id = $1 ORDER BY position', [leagueId]);
    return rows.map((r) => MemberSchema.parse(r.data));
  }

  async commit(leagueId: number, matches: readonly MatchRow[], ratings: readonly RatingRow[], ratedThrough?: number): Promise<void> {
    await commit(this.pool, leagueId, matches, ratings, ratedThrough);
  }

  async countMatches(leagueId: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM matches WHERE league_id = $1', [leagueId]);
    return rows[0]!.n;
  }

  async matchSummaries(leagueId: number, fromIndex = 0, toIndex = Number.MAX_SAFE_INTEGER): Promise<MatchSummary[]> {
    return matchSummaries(this.pool, leagueId, fromIndex, toIndex);
  }

  async recentMatchSummaries(leagueId: number, page: { readonly limit: number; readonly before?: number; readonly agentId?: string }): Promise<MatchSummary[]> {
    const { rows } = await this.pool.query<MatchDbRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM matches WHERE league_id = $1 AND idx < $2::bigint AND ($3::text IS NULL OR seats @> jsonb_build_array($3::text))
       ORDER BY idx DESC LIMIT $4`,
      [leagueId, page.before ?? Number.MAX_SAFE_INTEGER, page.agentId ?? null, page.limit],
    );
    return rows.map(toSummary).reverse();
  }

  async outcomeCounts(leagueId: number): Promise<OutcomeCount[]> {
    const { rows } = await this.pool.query<{ seats: string[]; returns: number[]; status: string; fault_seat: number | null; count: number }>(
      `SELECT seats, returns, status, (fault->>'seat')::int AS fault_seat, COUNT(*) AS count
       FROM matches WHERE league_id = $1 GROUP BY seats, returns, status, fault_seat`,
      [leagueId],
    );
    return rows.map((r) => ({ seats: r.seats, returns: r.returns, status: r.status as MatchStatus, faultSeat: r.fault_seat, count: r.count }));
  }

  async getMatch(leagueId: number, index: number): Promise<MatchRow | undefined> {
    const { rows } = await this.pool.query<MatchDbRow>('SELECT * FROM matches WHERE league_id = $1 AND idx = $2::bigint', [leagueId, index]);
    const row = rows[0];
    return row && { ...toSummary(row), record: (row.record ?? null) as MatchRow['record'], notes: (row.notes ?? null) as MatchRow['notes'] };
  }

  async latestRatings(leagueId: number): Promise<Map<string, number>> {
    return new Map([...(await this.latestRatingRows(leagueId))].map(([id, r]) => [id, r.elo]));
  }

  async latestRatingRows(leagueId: number): Promise<Map<string, RatingRow>> {
    const { rows } = await this.pool.query<DbRatingRow>(
      `SELECT DISTINCT ON (agent_id) ${RATING_COLUMNS} FROM ratings WHERE league_id = $1 ORDER BY agent_id, idx DESC`,
      [leagueId],
    );
    return new Map(rows.map((r) => [r.agentId, toRating(r)]));
  }

  async ratingHistory(leagueId: number, agentId?: string, fromIndex = 0, toIndex = Number.MAX_SAFE_INTEGER): Promise<RatingRow[]> {
    // Byte order (COLLATE "C") as SQLite sorts text, whatever the database's locale.
    const { rows } = await this.pool.query<DbRatingRow>(
      `SELECT ${RATING_COLUMNS} FROM ratings WHERE league_id = $1 AND ($2::text IS NULL OR agent_id = $2::text)
       AND idx >= $3::bigint AND idx < $4::bigint ORDER BY idx, agent_id COLLATE "C"`,
      [leagueId, agentId ?? null, fromIndex, toIndex],
    );
    return rows.map(toRating);
  }

  async startArenaMatch(row: StartArenaMatch): Promise<void> {
    await this.pool.query("INSERT INTO arena_matches (match_id, league_id, env, seats, status, created_at, node_id) VALUES ($1, $2, $3, $4, 'live', $5, $6)", [
      row.matchId,
      row.leagueId,
      row.env,
      JSON.stringify(row.seats),
      row.createdAt,
      row.nodeId ?? LOCAL_NODE_ID,
    ]);
  }

  async finishArenaMatch(matchId: string, match: Omit<MatchRow, 'index'>, rate?: RateArenaMatch): Promise<number> {
    return finishArenaMatch(this.pool, matchId, match, rate, (client) => this.txView(client));
  }

  /** The store as `rate` sees it inside a finish: the finish's own client and transaction. */
  private txView(client: pg.PoolClient): LeagueTx {
    return {
      listLeagues: () => listLeagues(client),
      matchSummaries: (leagueId, fromIndex = 0, toIndex = Number.MAX_SAFE_INTEGER) => matchSummaries(client, leagueId, fromIndex, toIndex),
      commit: (leagueId, matches, ratings, ratedThrough) => commit(client, leagueId, matches, ratings, ratedThrough),
    };
  }

  async abortLiveArenaMatches(nodeId: string = LOCAL_NODE_ID): Promise<string[]> {
    const { rows } = await this.pool.query<{ match_id: string }>(
      "UPDATE arena_matches SET status = 'aborted', ended_at = now() WHERE status = 'live' AND node_id = $1 RETURNING match_id",
      [nodeId],
    );
    return rows.map((r) => r.match_id);
  }

  async heartbeatNode(nodeId: string, publicUrl: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO nodes (node_id, public_url, heartbeat_at) VALUES ($1, $2, now())
       ON CONFLICT (node_id) DO UPDATE SET public_url = EXCLUDED.public_url, heartbeat_at = EXCLUDED.heartbeat_at`,
      [nodeId, publicUrl],
    );
  }

  async listNodes(): Promise<NodeRow[]> {
    const { rows } = await this.pool.query<{ node_id: string; public_url: string; heartbeat_at: Date }>(
      'SELECT node_id, public_url, heartbeat_at FROM nodes ORDER BY node_id COLLATE "C"',
    );
    return rows.map((r) => ({ nodeId: r.node_id, publicUrl: r.public_url, heartbeatAt: r.heartbeat_at.toISOString() }));
  }

  async abortExpiredNodes(olderThanMs: number): Promise<ExpiredNodes> {
    // One statement: the expired nodes leave the table and their live matches become aborted together.
    const { rows } = await this.pool.query<{ node_id: string; match_id: string | null }>(
      `WITH gone AS (DELETE FROM nodes WHERE heartbeat_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING node_id),
       aborted AS (UPDATE arena_matches SET status = 'aborted', ended_at = now()
         WHERE status = 'live' AND node_id IN (SELECT node_id FROM gone) RETURNING node_id, match_id)
       SELECT g.node_id, a.match_id FROM gone g LEFT JOIN aborted a ON a.node_id = g.node_id`,
      [olderThanMs],
    );
    return {
      nodeIds: [...new Set(rows.map((r) => r.node_id))].sort(),
      matchIds: rows.flatMap((r) => (r.match_id === null ? [] : [r.match_id])).sort(),
    };
  }

  async getArenaMatch(matchId: string): Promise<ArenaMatchRow | undefined> {
    const { rows } = await this.pool.query<ArenaMatchDbRow>('SELECT * FROM arena_matches WHERE match_id = $1', [matchId]);
    return rows[0] && toArenaMatch(rows[0]);
  }

  async listArenaMatches(filter: ArenaMatchFilter = {}): Promise<ArenaMatchRow[]> {
    const { rows } = await this.pool.query<ArenaMatchDbRow>(
      `SELECT * FROM arena_matches WHERE ($1::text[] IS NULL OR status = ANY($1::text[])) AND ($2::text IS NULL OR env = $2::text)
       AND ($3::int IS NULL OR league_id = $3::int) AND ($4::text IS NULL OR seats @> jsonb_build_array($4::text))
       ORDER BY created_at DESC, position DESC LIMIT $5 OFFSET $6`,
      [filter.statuses ?? null, filter.env ?? null, filter.leagueId ?? null, filter.agentId ?? null, filter.limit ?? 100, filter.offset ?? 0],
    );
    return rows.map(toArenaMatch);
  }

  async registerAgent(agentId: string, token: string): Promise<AgentRow> {
    const createdAt = new Date().toISOString();
    const result = await this.pool.query('INSERT INTO agents (agent_id, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      agentId,
      tokenHash(token),
      createdAt,
    ]);
    if (result.rowCount === 0) throw new StoreError('agent-exists', `agent "${agentId}" is already registered`, 'pick another agentId');
    return { agentId, createdAt };
  }

  async issueAgentToken(agentId: string, token: string): Promise<AgentRow> {
    const { rows } = await this.pool.query<{ created_at: Date }>(
      `INSERT INTO agents (agent_id, token_hash, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (agent_id) DO UPDATE SET token_hash = EXCLUDED.token_hash RETURNING created_at`,
      [agentId, tokenHash(token), new Date().toISOString()],
    );
    return { agentId, createdAt: rows[0]!.created_at.toISOString() };
  }

  async rotateAgentToken(agentId: string, token: string): Promise<AgentRow | undefined> {
    const { rows } = await this.pool.query<{ created_at: Date }>('UPDATE agents SET token_hash = $2 WHERE agent_id = $1 RETURNING created_at', [
      agentId,
      tokenHash(token),
    ]);
    return rows[0] && { agentId, createdAt: rows[0].created_at.toISOString() };
  }

  async revokeAgentToken(agentId: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE agents SET token_hash = $2 WHERE agent_id = $1', [agentId, `${REVOKED}${agentId}`]);
    return (result.rowCount ?? 0) > 0;
  }

  async verifyAgentToken(token: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ agent_id: string }>('SELECT agent_id FROM agents WHERE token_hash = $1', [tokenHash(token)]);
    return rows[0]?.agent_id;
  }

  async listAgents(): Promise<AgentRow[]> {
    const { rows } = await this.pool.query<{ agent_id: string; created_at: Date; token_hash: string }>(
      'SELECT agent_id, created_at, token_hash FROM agents ORDER BY created_at, agent_id COLLATE "C"',
    );
    return rows.map((r) => ({
      agentId: r.agent_id,
      createdAt: r.created_at.toISOString(),
      ...(r.token_hash.startsWith(REVOKED) ? { revoked: true } : {}),
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
