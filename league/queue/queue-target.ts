/**
 * Where the match queue lives: a Redis URL and a key prefix. Every coordinator and worker
 * that shares both shares one BullMQ queue; another prefix is another queue on the same
 * server (tests isolate themselves that way).
 */
import { QueueError } from './queue-error.ts';

/** The BullMQ queue every match job goes through. */
export const MATCH_QUEUE = 'ludus-matches';
export const DEFAULT_QUEUE_PREFIX = 'ludus';

export interface QueueTarget {
  /** redis:// or rediss:// URL (user, password, port and database number as Redis URLs have them). */
  readonly url: string;
  /** Key prefix of the queue's Redis keys. */
  readonly prefix: string;
}

const PREFIX = /^[A-Za-z0-9._-]{1,64}$/;

export function parseQueueTarget(url: string, prefix: string = DEFAULT_QUEUE_PREFIX): QueueTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueError('bad-queue-url', `"${url}" is not a URL`, 'give the queue as redis://HOST:PORT, e.g. redis://127.0.0.1:6379');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueError('bad-queue-url', `the queue URL must start with redis:// or rediss://, got ${parsed.protocol}//`, 'e.g. redis://127.0.0.1:6379');
  }
  if (!PREFIX.test(prefix)) {
    throw new QueueError('bad-queue-url', `queue prefix "${prefix}" is not 1 to 64 letters, digits, ".", "_" or "-"`, `the default is ${DEFAULT_QUEUE_PREFIX}`);
  }
  return { url, prefix };
}

/** BullMQ's connection options: its blocking connections need `maxRetriesPerRequest: null`. */
export function connectionOf(target: QueueTarget): { url: string; maxRetriesPerRequest: null } {
  return { url: target.url, maxRetriesPerRequest: null };
}

/** The URL without its password, for messages. */
export function describeQueue(target: QueueTarget): string {
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return `${url.toString()} (prefix ${target.prefix})`;
}

/**
 * Fails fast with a clear error when Redis does not answer: BullMQ itself retries its
 * connection forever, which would leave a mistyped URL hanging silently.
 */
export async function checkQueueReachable(target: QueueTarget, timeoutMs = 5000): Promise<void> {
  const { Redis } = await import('ioredis'); // loaded on use: `ludus league --help` needs only the constants here
  const client = new Redis(target.url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {}); // reported through connect()
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueError(
      'queue-unreachable',
      `the queue at ${describeQueue(target)} does not answer: ${error instanceof Error ? error.message : String(error)}`,
      'start Redis (see the README: Leagues on workers) or fix --queue',
    );
  } finally {
    client.disconnect();
  }
}
