/**
 * Runs the arena on one port: opens the store, builds the arena and listens. The admin
 * token comes from the caller or `LUDUS_ADMIN_TOKEN`; when neither gives one, a fresh token
 * is generated (and `generatedToken` says so, so the caller can print it once).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { LeagueStore } from '../league/storage/league-store.ts';
import { openLeagueStore } from '../league/storage/open-league-store.ts';
import { buildArena, type Arena, type BuildArenaOptions } from './build-arena.ts';
import { checkAdminToken, newSecret } from './http/admin-auth.ts';

export const DEFAULT_PORT = 2567;
export const DEFAULT_STORE_DIR = './data';

export interface ArenaServerOptions extends Partial<Omit<BuildArenaOptions, 'store' | 'adminToken'>> {
  /** 0 picks a free port. Default 2567. */
  readonly port?: number;
  /** Default 127.0.0.1 (local only); '0.0.0.0' to serve the network. */
  readonly host?: string;
  /** Data directory (the SQLite store unless `database` is given; model folders), or ':memory:'. Default ./data. */
  readonly storeDir?: string;
  /** A postgres:// URL: the league store lives there instead of in `storeDir` (several servers may share it). */
  readonly database?: string;
  readonly adminToken?: string;
}

export interface ArenaServer {
  readonly arena: Arena;
  /** The league store the arena writes (open until `close`). */
  readonly store: LeagueStore;
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  /** True when the token was generated here (nobody knows it yet: print it). */
  readonly generatedToken: boolean;
  /** Matches the previous run left live, now marked aborted. */
  readonly recoveredAborted: readonly string[];
  /** Closes the arena (running matches are stored as aborted), then the store. Idempotent. */
  close(): Promise<void>;
}

export async function startArenaServer(options: ArenaServerOptions = {}): Promise<ArenaServer> {
  const given = options.adminToken ?? process.env['LUDUS_ADMIN_TOKEN'];
  const adminToken = given !== undefined && given !== '' ? given : newSecret('ladm');
  checkAdminToken(adminToken); // before the store is opened (and locked)
  const store = await openLeagueStore(options.database ?? options.storeDir ?? DEFAULT_STORE_DIR);
  let arena: Arena;
  try {
    const storeDir = options.storeDir ?? DEFAULT_STORE_DIR;
    const runsDir = options.runsDir ?? (storeDir === ':memory:' ? undefined : join(storeDir, 'models'));
    arena = await buildArena({ ...options, store, adminToken, ...(runsDir === undefined ? {} : { runsDir }) });
    await arena.app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? '127.0.0.1' });
    await arena.league?.start();
  } catch (error) {
    await store.close();
    throw error;
  }
  const { port } = arena.app.server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  let closing: Promise<void> | undefined;
  return {
    arena,
    store,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    adminToken,
    generatedToken: adminToken !== given,
    recoveredAborted: arena.matches.recoveredAborted,
    close: () => (closing ??= arena.close().finally(() => store.close())),
  };
}
