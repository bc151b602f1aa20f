/**
 * The services of the queue tests. Redis: the machine's server at 127.0.0.1:6379
 * (LUDUS_TEST_REDIS_URL, as scripts/ci-services.sh exports it, to point elsewhere), one fresh
 * key prefix per test, every key under it deleted afterwards (also when the test failed).
 * PostgreSQL: test/helpers/postgres.ts (LUDUS_PG_URL), one database per test. Without a
 * server the tests skip, saying why; in CI they fail.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Context } from 'mocha';
import { ADMIN_URL, postgresAnswers } from './postgres.ts';

export const REDIS_URL = process.env.LUDUS_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

let answered: Promise<string | undefined> | undefined;

/** undefined when Redis answers PING, else why not. */
function redisProblem(): Promise<string | undefined> {
  answered ??= (async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      client.disconnect();
    }
  })();
  return answered;
}

function skipOrFail(context: Context, reason: string): void {
  if (process.env.CI) throw new Error(reason);
  process.stderr.write(`skipped "${context.test?.fullTitle() ?? context.currentTest?.fullTitle()}": ${reason}\n`);
  context.skip();
}

/** Skips the test (not in CI) or fails it (CI) when Redis does not answer. */
export async function needRedis(context: Context): Promise<void> {
  const problem = await redisProblem();
  if (problem !== undefined) skipOrFail(context, `Redis at ${REDIS_URL} does not answer (${problem}); start redis-server or set LUDUS_TEST_REDIS_URL`);
}

let pgAnswers: Promise<boolean> | undefined;

/** Skips the test (not in CI) or fails it (CI) when PostgreSQL does not answer. */
export async function needPostgres(context: Context): Promise<void> {
  pgAnswers ??= postgresAnswers();
  if (!(await pgAnswers)) skipOrFail(context, `PostgreSQL at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} does not answer; start it or set LUDUS_PG_URL`);
}

/** A key prefix no other test (or run) uses. */
export const freshPrefix = (): string => `ludus-test-${process.pid}-${randomBytes(6).toString('hex')}`;

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
