/**
 * Which league store a command uses: PostgreSQL when it is given a `postgres://` URL
 * (`--database`, else the LUDUS_DATABASE_URL environment variable), else the embedded SQLite
 * store in the data directory (`--store`, which also holds model folders either way).
 */
import type { LeagueStore } from './league-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import { StoreError } from './store-error.ts';

export const DATABASE_URL_ENV = 'LUDUS_DATABASE_URL';

export interface OpenStoreOptions {
  /** Reads only (standings, exports): never creates or migrates a store. */
  readonly readonly?: boolean;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/**
 * The store at `location`: a `postgres://` / `postgresql://` URL, or a SQLite store directory
 * (':memory:' for an in-memory one). PostgreSQL's driver is loaded only when used.
 */
export async function openLeagueStore(location: string, options: OpenStoreOptions = {}): Promise<LeagueStore> {
  if (isPostgresUrl(location)) {
    const { PgStore } = await import('./pg-store.ts');
    return PgStore.open(location, options);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new StoreError('store-unavailable', `unsupported database URL scheme in "${location.split('://')[0]}://..."`, 'use postgres://user@host:5432/db');
  }
  return new SqliteStore(location, options);
}

/** The database a command was given: `--database`, else LUDUS_DATABASE_URL; undefined for the SQLite default. Empty counts as unset. */
export function databaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env[DATABASE_URL_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/** `{ database }` for a command's options when it was given one (exactOptionalPropertyTypes: no undefined). */
export function databaseOption(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { database?: string } {
  const url = databaseUrl(flag, env);
  return url === undefined ? {} : { database: url };
}

/** Where a command's league store is: `--database`, else LUDUS_DATABASE_URL, else the SQLite store in `storeDir`. */
export function storeLocation(flags: { readonly database?: string | undefined; readonly storeDir: string }, env: NodeJS.ProcessEnv = process.env): string {
  return databaseUrl(flags.database, env) ?? flags.storeDir;
}

/** The --database line of every store command's help. */
export const DATABASE_HELP = `  --database URL  keep the league store in PostgreSQL (postgres://user@host:5432/db) instead of
                  the SQLite file in --store (default: the ${DATABASE_URL_ENV} environment variable)`;
