/**
 * What only the SQLite store has: a file (token hashes only, owner-only modes), upgrading an
 * older file in place, and read-only opening. The shared contract is in league-store.test.ts;
 * the directory lock in test/arena/security/two-servers.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SQLITE_MIGRATIONS } from '../../../league/storage/schema.ts';
import { SqliteStore, STORE_FILE } from '../../../league/storage/sqlite-store.ts';

const readWal = (dir: string): string => {
  const wal = join(dir, `${STORE_FILE}-wal`);
  return existsSync(wal) ? readFileSync(wal).toString('latin1') : '';
};

describe('league/storage/sqlite-store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only a hash of agent tokens in its file, readable by its owner only', async () => {
    const store = new SqliteStore(dir);
    await store.registerAgent('bot', 'secret-token');
    expect(await store.verifyAgentToken('secret-token')).to.equal('bot');
    await store.close();
    const raw = readFileSync(join(dir, STORE_FILE)).toString('latin1') + readWal(dir);
    expect(raw).to.not.include('secret-token');
    expect(statSync(join(dir, STORE_FILE)).mode & 0o077).to.equal(0);
  });

  it('upgrades a store written before arena matches had owners: its live matches are local', async () => {
    mkdirSync(dir, { recursive: true });
    const old = new Database(join(dir, STORE_FILE));
    for (const [v, sql] of SQLITE_MIGRATIONS.slice(0, 5).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${v + 1}`);
    }
    old.prepare("INSERT INTO leagues (name, env, config, config_hash, seed, created_at) VALUES ('old', 'tic-tac-toe-v1', '{}', 'h', 1, 'then')").run();
    old
      .prepare(
        "INSERT INTO arena_matches (match_id, league_id, env, seats, status, created_at) VALUES ('m1', 1, 'tic-tac-toe-v1', '[\"a\",\"b\"]', 'live', 'then')",
      )
      .run();
    old.close();
    const store = new SqliteStore(dir);
    expect((await store.getArenaMatch('m1'))!.nodeId).to.equal('local');
    expect(await store.abortLiveArenaMatches()).to.deep.equal(['m1']);
    await store.close();
    const upgraded = new Database(join(dir, STORE_FILE), { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).to.equal(SQLITE_MIGRATIONS.length);
    upgraded.close();
  });

  it('opens read-only only an existing, current store', async () => {
    assert.throws(
      () => new SqliteStore(join(dir, 'none'), { readonly: true }),
      (e: { code?: string }) => e.code === 'store-missing',
    );
    const store = new SqliteStore(dir);
    await store.openLeague({ name: 'l', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 });
    await store.close();
    const reader = new SqliteStore(dir, { readonly: true });
    expect((await reader.listLeagues()).map((l) => l.name)).to.deep.equal(['l']);
    await assert.rejects(reader.openLeague({ name: 'm', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 1 }), /readonly/);
    await reader.close();
    const db = new Database(join(dir, STORE_FILE));
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length - 1}`);
    db.close();
    assert.throws(
      () => new SqliteStore(dir, { readonly: true }),
      (e: { code?: string }) => e.code === 'store-outdated',
    );
  });
});
