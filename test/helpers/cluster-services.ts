/**
 * Redis and PostgreSQL for the cluster tests: the services at LUDUS_TEST_REDIS_URL and
 * LUDUS_PG_URL (default the project machines' 127.0.0.1:6379 and
 * postgres://postgres@127.0.0.1:5432, trust auth; `.ci/run` starts them when missing).
 * Each test run gets its own key prefix and its own database, removed afterwards (also after
 * a failure). Outside CI a missing service skips the suite with the reason; in CI
 * (CI=true) it fails it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Context } from 'mocha';
import pg from 'pg';
import { ADMIN_URL as TEST_PG_URL } from './postgres.ts';

export { ADMIN_URL as TEST_PG_URL, createTestDatabase, type TestDatabase } from './postgres.ts';
export const TEST_REDIS_URL = process.env['LUDUS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Why Redis or PostgreSQL cannot be used here, or undefined when both answer. */
export async function servicesMissing(): Promise<string | undefined> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at ${TEST_REDIS_URL} does not answer (${error instanceof Error ? error.message : String(error)}); set LUDUS_TEST_REDIS_URL or start redis-server`;
  } finally {
    redis.disconnect();
  }
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    return `PostgreSQL at ${TEST_PG_URL} does not answer (${error instanceof Error ? error.message : String(error)}); set LUDUS_TEST_PG_URL or start postgresql`;
  } finally {
    await client.end().catch(() => undefined);
  }
  return undefined;
}

/** In a `before` hook: skips the suite (outside CI) or fails it (in CI) when a service is missing. */
export async function requireServices(context: Context): Promise<void> {
  const missing = await servicesMissing();
  if (missing === undefined) return;
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') throw new Error(`cluster tests need their services in CI: ${missing}`);
  process.stderr.write(`\n  skipped "${context.test?.parent?.fullTitle() ?? 'cluster tests'}": ${missing}\n`);
  context.skip(); // mocha shows the suite as pending
}

export interface TestRedisPrefix {
  readonly prefix: string;
  /** Deletes every key under the prefix. */
  clear(): Promise<void>;
}

/** A key prefix of its own on the test Redis. */
export function createRedisPrefix(): TestRedisPrefix {
  const prefix = `ludus-test-${randomBytes(6).toString('hex')}:`;
  return {
    prefix,
    async clear() {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
