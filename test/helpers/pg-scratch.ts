/**
 * Scratch PostgreSQL databases for tests and benches: the machine's server at
 * 127.0.0.1:5432, user postgres, trust auth (LUDUS_PG_ADMIN_URL to point elsewhere). Each
 * caller creates its own database and drops it afterwards, connections and all (also when the
 * test failed). Without a server the tests skip, saying why; in CI they fail.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'mocha';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.LUDUS_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

let answered: Promise<string | undefined> | undefined;

/** Skips the test (not in CI) or fails it (CI) when PostgreSQL does not answer. */
export async function needPostgres(context: Context): Promise<void> {
  answered ??= admin(async (c) => {
    await c.query('SELECT 1');
    return undefined;
  }).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  const problem = await answered;
  if (problem === undefined) return;
  const reason = `PostgreSQL at ${PG_ADMIN_URL} does not answer (${problem}); start it or set LUDUS_PG_ADMIN_URL`;
  if (process.env.CI) throw new Error(reason);
  process.stderr.write(`skipped "${context.test?.fullTitle() ?? context.currentTest?.fullTitle()}": ${reason}\n`);
  context.skip();
}

/** Creates an empty database and returns its URL. */
export async function createScratchDatabase(label = 'test'): Promise<string> {
  const name = `ludus_${label}_${process.pid}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the database of `url`, closing whatever connections are still open to it. */
export async function dropScratchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^ludus_[a-z0-9_]+$/.test(name)) throw new Error(`not a scratch database: ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
