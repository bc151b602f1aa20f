/**
 * The league store's schema, one migration list per engine with the same versions side by side:
 * version N of SQLite and version N of PostgreSQL hold the same tables and columns. SQLite
 * tracks its version in `PRAGMA user_version`, PostgreSQL in the `schema_version` table.
 *
 * PostgreSQL differences: seeds are BIGINT (uint32 exceeds INTEGER), JSON columns are JSONB,
 * times are TIMESTAMPTZ, and identity columns keep the insertion order SQLite's rowid gives
 * (members in the order they joined, arena matches created in the same millisecond).
 */

export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE leagues (
     id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, env TEXT NOT NULL, config TEXT NOT NULL,
     config_hash TEXT NOT NULL, seed INTEGER NOT NULL, created_at TEXT NOT NULL,
     rated_through INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE members (
     league_id INTEGER NOT NULL REFERENCES leagues(id), agent_id TEXT NOT NULL, data TEXT NOT NULL,
     PRIMARY KEY (league_id, agent_id));
   CREATE TABLE matches (
     league_id INTEGER NOT NULL REFERENCES leagues(id), idx INTEGER NOT NULL, seed INTEGER NOT NULL,
     seats TEXT NOT NULL, returns TEXT NOT NULL, length INTEGER NOT NULL, status TEXT NOT NULL,
     fault TEXT, record TEXT, PRIMARY KEY (league_id, idx)) WITHOUT ROWID;
   CREATE TABLE ratings (
     league_id INTEGER NOT NULL REFERENCES leagues(id), idx INTEGER NOT NULL, agent_id TEXT NOT NULL,
     elo REAL NOT NULL, PRIMARY KEY (league_id, agent_id, idx)) WITHOUT ROWID;`,
  // v2: OpenSkill beside Elo.
  `ALTER TABLE ratings ADD COLUMN mu REAL;
   ALTER TABLE ratings ADD COLUMN sigma REAL;`,
  // v3: arena match lifecycle (live -> ended, crash recovery) and external agent credentials.
  `CREATE TABLE arena_matches (
     match_id TEXT PRIMARY KEY, league_id INTEGER NOT NULL REFERENCES leagues(id), env TEXT NOT NULL,
     seats TEXT NOT NULL, status TEXT NOT NULL, idx INTEGER, created_at TEXT NOT NULL, ended_at TEXT);
   CREATE INDEX arena_matches_status ON arena_matches (status, created_at);
   CREATE TABLE agents (
     agent_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);`,
  // v4: agents' per-move notes (language-model replies, tokens, latency) beside the replay record.
  'ALTER TABLE matches ADD COLUMN notes TEXT;',
  // v5: a secret salt per league: live-league deal seeds are an HMAC of it (never derivable from public data).
  `ALTER TABLE leagues ADD COLUMN salt TEXT;`,
  // v6: the process that owns a live arena match, and the processes' heartbeats (a cluster on a shared store).
  `ALTER TABLE arena_matches ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
   CREATE INDEX arena_matches_node ON arena_matches (node_id, status);
   CREATE TABLE nodes (node_id TEXT PRIMARY KEY, public_url TEXT NOT NULL, heartbeat_at TEXT NOT NULL);`,
];

export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE leagues (
     id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, env TEXT NOT NULL, config JSONB NOT NULL,
     config_hash TEXT NOT NULL, seed BIGINT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     rated_through INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE members (
     league_id INTEGER NOT NULL REFERENCES leagues(id), agent_id TEXT NOT NULL, data JSONB NOT NULL,
     position BIGINT GENERATED ALWAYS AS IDENTITY, PRIMARY KEY (league_id, agent_id));
   CREATE TABLE matches (
     league_id INTEGER NOT NULL REFERENCES leagues(id), idx INTEGER NOT NULL, seed BIGINT NOT NULL,
     seats JSONB NOT NULL, returns JSONB NOT NULL, length INTEGER NOT NULL, status TEXT NOT NULL,
     fault JSONB, record JSONB, PRIMARY KEY (league_id, idx));
   CREATE TABLE ratings (
     league_id INTEGER NOT NULL REFERENCES leagues(id), idx INTEGER NOT NULL, agent_id TEXT NOT NULL,
     elo DOUBLE PRECISION NOT NULL, PRIMARY KEY (league_id, agent_id, idx));`,
  `ALTER TABLE ratings ADD COLUMN mu DOUBLE PRECISION;
   ALTER TABLE ratings ADD COLUMN sigma DOUBLE PRECISION;`,
  `CREATE TABLE arena_matches (
     match_id TEXT PRIMARY KEY, league_id INTEGER NOT NULL REFERENCES leagues(id), env TEXT NOT NULL,
     seats JSONB NOT NULL, status TEXT NOT NULL, idx INTEGER, created_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ,
     position BIGINT GENERATED ALWAYS AS IDENTITY);
   CREATE INDEX arena_matches_status ON arena_matches (status, created_at);
   CREATE TABLE agents (
     agent_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TIMESTAMPTZ NOT NULL);`,
  'ALTER TABLE matches ADD COLUMN notes JSONB;',
  'ALTER TABLE leagues ADD COLUMN salt TEXT;',
  `ALTER TABLE arena_matches ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
   CREATE INDEX arena_matches_node ON arena_matches (node_id, status);
   CREATE TABLE nodes (node_id TEXT PRIMARY KEY, public_url TEXT NOT NULL, heartbeat_at TIMESTAMPTZ NOT NULL);
   -- An arena finish: lock the league row (appends to one league are serialised, so indexes are
   -- contiguous and each finish sees the previous one's rows), then take the next index. NO KEY
   -- UPDATE: rows that reference the league (a match starting, members) need not wait for it.
   CREATE FUNCTION ludus_lock_arena_match(p_match_id TEXT, OUT o_league INTEGER, OUT o_index INTEGER)
   LANGUAGE plpgsql AS $$
   BEGIN
     SELECT a.league_id INTO o_league FROM arena_matches a WHERE a.match_id = p_match_id;
     IF o_league IS NULL THEN
       RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format('no arena match "%s" in the store', p_match_id);
     END IF;
     PERFORM 1 FROM leagues l WHERE l.id = o_league FOR NO KEY UPDATE;
     SELECT COALESCE(MAX(m.idx) + 1, 0) INTO o_index FROM matches m WHERE m.league_id = o_league;
   END $$;
   -- ... then store the match at that index with its rating rows, and close the live row.
   CREATE FUNCTION ludus_store_arena_match(p_match_id TEXT, p_league INTEGER, p_index INTEGER, p_match JSON, p_ratings JSON, p_rated BOOLEAN)
   RETURNS VOID LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO matches (league_id, idx, seed, seats, returns, length, status, fault, record, notes)
       SELECT p_league, p_index, x.seed, x.seats, x.returns, x.length, x.status, x.fault, x.record, x.notes
       FROM json_to_record(p_match) AS x(seed BIGINT, seats JSONB, returns JSONB, length INTEGER, status TEXT, fault JSONB, record JSON, notes JSON);
     INSERT INTO ratings (league_id, idx, agent_id, elo, mu, sigma)
       SELECT p_league, r.index, r."agentId", r.elo, r.mu, r.sigma
       FROM json_to_recordset(p_ratings) AS r("index" INTEGER, "agentId" TEXT, elo DOUBLE PRECISION, mu DOUBLE PRECISION, sigma DOUBLE PRECISION);
     IF p_rated THEN
       UPDATE leagues SET rated_through = p_index + 1 WHERE id = p_league;
     END IF;
     UPDATE arena_matches SET status = p_match->>'status', idx = p_index, ended_at = now() WHERE match_id = p_match_id;
   END $$;
   -- Both in one call, for a finish without ratings: one round trip.
   CREATE FUNCTION ludus_finish_arena_match(p_match_id TEXT, p_match JSON) RETURNS INTEGER
   LANGUAGE plpgsql AS $$
   DECLARE
     v_league INTEGER;
     v_index INTEGER;
   BEGIN
     SELECT o_league, o_index INTO v_league, v_index FROM ludus_lock_arena_match(p_match_id);
     PERFORM ludus_store_arena_match(p_match_id, v_league, v_index, p_match, '[]', FALSE);
     RETURN v_index;
   END $$;`,
];
