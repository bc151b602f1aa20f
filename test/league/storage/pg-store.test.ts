/**
 * What only the PostgreSQL store has: migrations under an advisory lock (two processes starting
 * together), writers on separate pools appending to one league (the next-index race), and
 * opening by URL. The shared contract is in league-store.test.ts.
 */
import assert from 'node:assert/strict';
import { expect } from 'chai';
import pg from 'pg';
import type { LeagueStore, MatchRow } from '../../../league/storage/league-store.ts';
import { isPostgresUrl, openLeagueStore, storeLocation } from '../../../league/storage/open-league-store.ts';
import { PgStore, redactUrl } from '../../../league/storage/pg-store.ts';
import { PG_MIGRATIONS, SQLITE_MIGRATIONS } from '../../../league/storage/schema.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { createTestDatabase, usePostgres } from '../../helpers/postgres.ts';

const ended = (seats: string[], returns: number[]): Omit<MatchRow, 'index'> => ({
  seed: 7,
  seats,
  returns,
  length: 5,
  status: 'finished',
  fault: null,
  record: null,
});

describe('league/storage/pg-store', () => {
  const db = usePostgres();

  it('has one schema version per SQLite version', () => {
    expect(PG_MIGRATIONS).to.have.length(SQLITE_MIGRATIONS.length);
  });

  it('migrates once when two processes open a fresh database together, and opens read-only only a current store', async () => {
    const fresh = await createTestDatabase();
    try {
      await assert.rejects(PgStore.open(fresh.url, { readonly: true }), (e: { code?: string }) => e.code === 'store-missing');
      const stores = await Promise.all([PgStore.open(fresh.url), PgStore.open(fresh.url), PgStore.open(fresh.url)]);
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM schema_version');
      expect(rows).to.deep.equal([{ version: PG_MIGRATIONS.length }]);
      await client.query('UPDATE schema_version SET version = version + 1');
      await assert.rejects(PgStore.open(fresh.url), (e: { code?: string }) => e.code === 'store-too-new');
      await assert.rejects(PgStore.open(fresh.url, { readonly: true }), (e: { code?: string }) => e.code === 'store-outdated');
      await client.query('UPDATE schema_version SET version = version - 1');
      await client.end();
      await stores[0]!.openLeague({ name: 'l', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
      const reader = await PgStore.open(fresh.url, { readonly: true });
      expect((await reader.listLeagues()).map((l) => l.name)).to.deep.equal(['l']);
      await assert.rejects(reader.openLeague({ name: 'm', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 }), /read-only/);
      await reader.close();
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('refuses an unreachable server with a typed error that hides the password', async () => {
    const url = 'postgres://ludus:hunter2@127.0.0.1:1/nowhere';
    const error = await PgStore.open(url).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message: string },
    );
    expect(error?.code).to.equal('store-unavailable');
    expect(error?.message).to.include('postgres://ludus:***@127.0.0.1:1/nowhere');
    expect(error?.message).to.not.include('hunter2');
    expect(redactUrl('postgres://u@h/db')).to.equal('postgres://u@h/db');
  });

  it('is chosen by URL: --database, then LUDUS_DATABASE_URL, then the SQLite store directory', async () => {
    expect(isPostgresUrl('postgres://h/db')).to.equal(true);
    expect(isPostgresUrl('postgresql://h/db')).to.equal(true);
    expect(isPostgresUrl('./data')).to.equal(false);
    expect(storeLocation({ database: 'postgres://a/x', storeDir: 'd' }, { LUDUS_DATABASE_URL: 'postgres://b/y' })).to.equal('postgres://a/x');
    expect(storeLocation({ storeDir: 'd' }, { LUDUS_DATABASE_URL: 'postgres://b/y' })).to.equal('postgres://b/y');
    expect(storeLocation({ storeDir: 'd' }, { LUDUS_DATABASE_URL: '' })).to.equal('d');
    // By class name: the factory loads the driver by dynamic import (another module instance under mocha).
    const store = await openLeagueStore(db().url);
    expect(store.constructor.name).to.equal('PgStore');
    await store.close();
    const memory = await openLeagueStore(':memory:');
    expect(memory.constructor.name).to.equal(SqliteStore.name);
    await memory.close();
    await assert.rejects(openLeagueStore('mysql://h/db'), (e: { code?: string }) => e.code === 'store-unavailable');
  });

  it('lets writers on separate pools append to one league: contiguous indexes, every result once, rated in order', async function () {
    this.timeout(120_000);
    const WRITERS = 4;
    const PER_WRITER = 40;
    const stores: LeagueStore[] = [];
    for (let w = 0; w < WRITERS; w++) stores.push(await PgStore.open(db().url, { poolSize: 4 }));
    try {
      const league = await stores[0]!.openLeague({ name: 'race', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
      const ids: string[][] = stores.map((_, w) => Array.from({ length: PER_WRITER }, (_, i) => `w${w}-m${i}`));
      for (const [w, store] of stores.entries()) {
        for (const matchId of ids[w]!) {
          await store.startArenaMatch({ matchId, leagueId: league.id, env: 'tic-tac-toe-v1', seats: [`w${w}`, 'x'], createdAt: new Date().toISOString() });
        }
      }
      // Each finish rates with a running count read through its transaction: it must see every earlier match.
      const finishes = stores.flatMap((store, w) =>
        ids[w]!.map((matchId, i) =>
          store.finishArenaMatch(matchId, ended([`w${w}`, 'x'], [i % 3 === 0 ? 1 : -1, 0]), async (stored, leagueId, tx) => {
            const before = await tx.matchSummaries(leagueId, 0, stored.index);
            expect(before.map((m) => m.index)).to.deep.equal(before.map((_, k) => k));
            return [{ index: stored.index, agentId: `w${w}`, elo: before.length }];
          }),
        ),
      );
      const indexes = await Promise.all(finishes);
      const total = WRITERS * PER_WRITER;
      expect(indexes.slice().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: total }, (_, i) => i));
      const summaries = await stores[1]!.matchSummaries(league.id);
      expect(summaries.map((m) => m.index)).to.deep.equal(Array.from({ length: total }, (_, i) => i));
      // Every arena match is stored exactly once, at the index its finish returned.
      const rows = await Promise.all(ids.flat().map((id) => stores[2]!.getArenaMatch(id)));
      expect(rows.every((r) => r!.status === 'finished')).to.equal(true);
      expect(new Set(rows.map((r) => r!.index)).size).to.equal(total);
      const history = await stores[3]!.ratingHistory(league.id);
      expect(history.map((r) => r.elo)).to.deep.equal(history.map((r) => r.index));
      expect((await stores[0]!.getLeague('race'))!.ratedThrough).to.equal(total);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps wave commits from two pools on two leagues apart, and refuses a duplicate index atomically', async () => {
    const [a, b] = [await PgStore.open(db().url), await PgStore.open(db().url)];
    try {
      const la = await a.openLeague({ name: 'wave-a', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
      const lb = await b.openLeague({ name: 'wave-b', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
      const wave = (from: number) => Array.from({ length: 64 }, (_, i) => ({ ...ended(['p', 'q'], [1, -1]), index: from + i }));
      await Promise.all([a.commit(la.id, wave(0), [], 64), b.commit(lb.id, wave(0), [], 64), a.commit(la.id, wave(64), [], 128)]);
      expect(await b.countMatches(la.id)).to.equal(128);
      expect(await a.countMatches(lb.id)).to.equal(64);
      await assert.rejects(b.commit(lb.id, wave(63), [{ index: 63, agentId: 'p', elo: 1 }], 127), (e: { code?: string }) => e.code === '23505');
      expect(await a.countMatches(lb.id)).to.equal(64);
      expect(await a.ratingHistory(lb.id)).to.deep.equal([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
