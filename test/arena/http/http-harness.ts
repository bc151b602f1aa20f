/** An arena over an in-memory store, without realtime transports, for `app.inject()` tests. */
import { buildArena, type Arena } from '../../../arena/build-arena.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

export const ADMIN_TOKEN = 'test-admin-token';
export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface HttpHarness {
  readonly arena: Arena;
  readonly store: SqliteStore;
  close(): Promise<void>;
}

export async function makeHttpHarness(): Promise<HttpHarness> {
  const store = new SqliteStore(':memory:');
  const arena = await buildArena({ store, adminToken: ADMIN_TOKEN, socketio: false, colyseus: false });
  return {
    arena,
    store,
    async close() {
      await arena.close();
      await store.close();
    },
  };
}

/** Creates a match over HTTP and waits until its in-process agents have played it out. */
export async function playOverHttp(h: HttpHarness, body: unknown): Promise<string> {
  const res = await h.arena.app.inject({ method: 'POST', url: '/api/matches', headers: ADMIN, payload: body as object });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  const { matchId } = res.json() as { matchId: string };
  await h.arena.matches.get(matchId)!.whenIdle();
  return matchId;
}
