/**
 * `npm run bench:store [-- --json] [--pg URL] [--writers N] [--finishes N] [--waves N] [--async-commit]`: the
 * league store's write paths on SQLite (a file in a temporary directory) and on PostgreSQL (a
 * database of its own, created at --pg, else LUDUS_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres,
 * and dropped at the end; left out when no server answers).
 *  - arenaFinishesPerSec: rated arena finishes into ONE league (the serialised path: each holds
 *    the league's appends while it rates); SQLite from one process, PostgreSQL from --writers
 *    processes' worth of pools at once (each with 4 finishes in flight).
 *  - waveMatchesPerSec: headless wave commits of 64 matches with their rating rows (one
 *    transaction each), replays included.
 * The PostgreSQL figures depend on the server's fsync and synchronous_commit settings, printed;
 * --async-commit sets synchronous_commit = off on the bench database (ALTER DATABASE), as an
 * operator may for the arena (a crash can lose the last fraction of a second of commits).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { LeagueStore, MatchRow, RatingRow } from '../league/storage/league-store.ts';
import { PgStore } from '../league/storage/pg-store.ts';
import { SqliteStore } from '../league/storage/sqlite-store.ts';
import { flag } from './flags.ts';

const RECORD = {
  format: 1 as const,
  env: 'tic-tac-toe',
  version: 1,
  params: {},
  seed: 1,
  history: [0, 4, 8, 2, 6, 3, 5].map((action, i) => ({ kind: 'decision' as const, seat: i % 2, action })),
};
const row = (index: number): MatchRow => ({
  index,
  seed: index,
  seats: ['a', 'b'],
  returns: [1, -1],
  length: 7,
  status: 'finished',
  fault: null,
  record: RECORD,
});
const rows = (index: number): RatingRow[] => [
  { index, agentId: 'a', elo: 1000 + index / 7 },
  { index, agentId: 'b', elo: 1000 - index / 7 },
];

/** Finishes `perWriter` arena matches through each store at once, `inFlight` per store; matches/s. */
async function arenaFinishes(stores: readonly LeagueStore[], perWriter: number, inFlight: number): Promise<number> {
  const league = await stores[0]!.openLeague({ name: 'bench-arena', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
  for (const [w, store] of stores.entries()) {
    for (let i = 0; i < perWriter; i++) {
      await store.startArenaMatch({
        matchId: `w${w}-${i}`,
        leagueId: league.id,
        env: 'tic-tac-toe-v1',
        seats: ['a', 'b'],
        createdAt: new Date().toISOString(),
      });
    }
  }
  const { index: _index, ...ended } = row(0);
  const started = performance.now();
  await Promise.all(
    stores.map(async (store, w) => {
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < perWriter; i = next++) await store.finishArenaMatch(`w${w}-${i}`, ended, async (stored) => rows(stored.index));
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
    }),
  );
  return (stores.length * perWriter) / ((performance.now() - started) / 1000);
}

/** Commits `waves` waves of 64 matches with their rating rows; matches/s. */
async function waveCommits(store: LeagueStore, waves: number): Promise<number> {
  const league = await store.openLeague({ name: 'bench-waves', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
  const started = performance.now();
  for (let w = 0; w < waves; w++) {
    const matches = Array.from({ length: 64 }, (_, i) => row(w * 64 + i));
    await store.commit(
      league.id,
      matches,
      matches.flatMap((m) => rows(m.index)),
      (w + 1) * 64,
    );
  }
  return (waves * 64) / ((performance.now() - started) / 1000);
}

async function sqlite(finishes: number, waves: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-store-'));
  const store = new SqliteStore(dir);
  try {
    return { arenaFinishesPerSec: Math.round(await arenaFinishes([store], finishes, 4)), waveMatchesPerSec: Math.round(await waveCommits(store, waves)) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(adminUrl: string, writers: number, finishes: number, waves: number, asyncCommit: boolean) {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `no PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}` };
  }
  const name = `ludus_bench_${randomBytes(5).toString('hex')}`;
  const settings = await admin.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')");
  await admin.query(`CREATE DATABASE ${name}`);
  if (asyncCommit) await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const stores: PgStore[] = [];
  try {
    for (let w = 0; w < writers; w++) stores.push(await PgStore.open(url.toString(), { poolSize: 4 }));
    return {
      server: { ...Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])), ...(asyncCommit ? { synchronous_commit: 'off (this database)' } : {}) },
      writers,
      arenaFinishesPerSec: Math.round(await arenaFinishes(stores, Math.ceil(finishes / writers), 4)),
      waveMatchesPerSec: Math.round(await waveCommits(stores[0]!, waves)),
    };
  } finally {
    for (const store of stores) await store.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      'async-commit': { type: 'boolean' },
      pg: { type: 'string' },
      writers: { type: 'string' },
      finishes: { type: 'string' },
      waves: { type: 'string' },
    },
  });
  const writers = values.writers === undefined ? 4 : flag('writers', values.writers, true);
  const finishes = values.finishes === undefined ? 2000 : flag('finishes', values.finishes, true);
  const waves = values.waves === undefined ? 100 : flag('waves', values.waves, true);
  const adminUrl = values.pg ?? (process.env['LUDUS_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres');
  const result = {
    finishes,
    waveSize: 64,
    waves,
    sqlite: await sqlite(finishes, waves),
    postgres: await postgres(adminUrl, writers, finishes, waves, values['async-commit'] === true),
  };
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
}

await main();
