/** Issue #12, "Two servers on one store": the second refuses before touching the first one's matches. */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startArenaServer, type ArenaServer } from '../../../arena/main.ts';
import { exitCodeFor, STORE_LOCKED_EXIT_CODE } from '../../../cli/cli-error.ts';
import { SqliteStore, STORE_FILE } from '../../../league/storage/sqlite-store.ts';
import { LOCK_FILE, StoreLockedError } from '../../../league/storage/store-lock.ts';

const ADMIN_TOKEN = 'two-servers-admin-token';

describe('arena security: one server per store', () => {
  let dir: string;
  let first: ArenaServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-lock-'));
  });
  afterEach(async () => {
    await first?.close();
    first = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const options = { adminToken: ADMIN_TOKEN, socketio: false, colyseus: false } as const;

  it("refuses a second server on the same store, which leaves the first one's live matches alone", async () => {
    first = await startArenaServer({ ...options, storeDir: dir, port: 0 });
    const created = await fetch(`${first.url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] }),
    });
    const { matchId } = (await created.json()) as { matchId: string };
    expect((await first.store.getArenaMatch(matchId))!.status).to.equal('live');

    // Same store, and the port the first one holds: it must fail on the store before it could fail to bind.
    let error: unknown;
    try {
      await startArenaServer({ ...options, storeDir: dir, port: first.port });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StoreLockedError);
    expect((error as StoreLockedError).code).to.equal('store-locked');
    expect((error as StoreLockedError).message).to.include(`process ${process.pid}`);
    expect(exitCodeFor(error)).to.equal(STORE_LOCKED_EXIT_CODE);

    expect((await first.store.getArenaMatch(matchId))!.status).to.equal('live');
    const summary = await fetch(`${first.url}/api/matches/${matchId}`);
    expect(((await summary.json()) as { status: string }).status).to.equal('waiting');

    // Once the first closes, the store is free again (its match is stored aborted by its own shutdown).
    await first.close();
    first = undefined;
    const second = await startArenaServer({ ...options, storeDir: dir, port: 0 });
    expect(second.recoveredAborted).to.deep.equal([]);
    expect((await second.store.getArenaMatch(matchId))!.status).to.equal('aborted');
    await second.close();
  });

  it('takes over the lock of a process that is gone, and respects one it cannot check', async () => {
    // pid 2^22 + 1 is above Linux's largest pid: no such process.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, host: hostname(), nonce: 'dead', since: '2020-01-01T00:00:00Z' }));
    const store = new SqliteStore(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).to.equal(process.pid);
    await store.close();
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);

    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, host: 'another-machine', nonce: 'far', since: '2020-01-01T00:00:00Z' }));
    expect(() => new SqliteStore(dir)).to.throw(StoreLockedError, /another-machine/);
    // Readers never lock.
    new SqliteStore(dir, { readonly: true }).close();
  });

  it('creates store files readable by the owner only', async () => {
    const store = new SqliteStore(dir);
    await store.openLeague({ name: 'modes', env: 'tic-tac-toe-v1', config: {}, configHash: 'x', seed: 1 });
    expect(statSync(join(dir, STORE_FILE)).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, `${STORE_FILE}-wal`)).mode & 0o777).to.equal(0o600);
    await store.close();
    const fresh = join(dir, 'nested', 'store');
    new SqliteStore(fresh).close();
    expect(statSync(fresh).mode & 0o777).to.equal(0o700);
  });
});
