/**
 * PostgreSQL for tests: the server at LUDUS_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres
 * if it answers. Each suite gets its own database (random name), dropped when the suite ends,
 * passed or failed. Without a server the suite fails in CI and is reported as not run elsewhere.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env['LUDUS_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when the admin URL accepts a connection within a few seconds. */
export async function postgresAnswers(url = ADMIN_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  /** URL of the new, empty database. */
  readonly url: string;
  readonly name: string;
  /** Drops it, closing whatever connections are left. */
  drop(): Promise<void>;
}

export async function createTestDatabase(adminUrl = ADMIN_URL): Promise<TestDatabase> {
  const name = `ludus_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Mocha hooks for a suite on PostgreSQL: `before` creates the database (or fails in CI / marks
 * the suite as not run without a server), `after` drops it. Read `db()` inside the tests.
 */
export function usePostgres(): () => TestDatabase {
  let database: TestDatabase | undefined;
  before(async function () {
    this.timeout(30_000);
    if (!(await postgresAnswers())) {
      const where = ADMIN_URL.replace(/:[^:@/]*@/, ':***@');
      if (process.env['CI']) throw new Error(`PostgreSQL does not answer at ${where}; CI needs it (set LUDUS_PG_URL, see .ci/run)`);
      process.stderr.write(`  PostgreSQL does not answer at ${where}: the PostgreSQL store tests are not run (set LUDUS_PG_URL)\n`);
      this.skip();
    }
    database = await createTestDatabase();
  });
  after(async function () {
    this.timeout(30_000);
    await database?.drop();
  });
  return () => {
    if (database === undefined) throw new Error('usePostgres: no database (the before hook did not run)');
    return database;
  };
}
