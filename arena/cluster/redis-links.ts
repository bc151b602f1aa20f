/**
 * The Redis connections of one cluster process (ioredis, the client Colyseus's Redis packages
 * use): Colyseus's presence (a publisher and a subscriber) and driver, the socket.io adapter's
 * publisher and subscriber, and one for the cluster's own keys and scripts. Every key carries
 * the cluster's prefix (ioredis `keyPrefix`); channels are not keys, so channel names add it
 * themselves (`channel()`).
 */
import { RedisDriver } from '@colyseus/redis-driver';
import { RedisPresence } from '@colyseus/redis-presence';
import { Redis } from 'ioredis';
import { ClusterError, type ClusterConfig } from './cluster-options.ts';

const CONNECT_TIMEOUT_MS = 5000;
const ERROR_REPORT_MS = 10_000;

export class RedisLinks {
  readonly presence: RedisPresence;
  readonly driver: RedisDriver;
  /** The cluster's own keys (prefixed) and scripts. */
  readonly command: Redis;
  /** The socket.io adapter's pair (the adapter prefixes its channels with its own key). */
  readonly adapterPub: Redis;
  readonly adapterSub: Redis;
  readonly keyPrefix: string;
  private closed = false;

  private constructor(config: ClusterConfig, onError: (error: unknown) => void) {
    const options = { keyPrefix: config.keyPrefix, connectTimeout: CONNECT_TIMEOUT_MS, lazyConnect: true };
    this.keyPrefix = config.keyPrefix;
    // ioredis reconnects by itself; a lost connection is reported, at most every 10 s per link.
    const watched = (client: Redis, name: string): Redis => {
      let reportedAt = 0;
      client.on('error', (error: Error) => {
        if (Date.now() - reportedAt < ERROR_REPORT_MS) return;
        reportedAt = Date.now();
        onError(new Error(`Redis (${name}): ${error.message}`));
      });
      return client;
    };
    this.command = watched(new Redis(config.redisUrl, options), 'cluster');
    this.presence = new RedisPresence(new Redis(config.redisUrl, options));
    this.driver = new RedisDriver(watched(new Redis(config.redisUrl, options), 'Colyseus driver'));
    // The adapter uses channels only (its `key` option names them), no keys to prefix.
    this.adapterPub = watched(new Redis(config.redisUrl, { connectTimeout: CONNECT_TIMEOUT_MS, lazyConnect: true }), 'socket.io adapter');
    this.adapterSub = watched(this.adapterPub.duplicate(), 'socket.io adapter');
  }

  /** Opens the command connection (the others connect on first use); throws 'cluster-unavailable' when Redis does not answer. */
  static async open(config: ClusterConfig, onError: (error: unknown) => void = () => {}): Promise<RedisLinks> {
    const links = new RedisLinks(config, onError);
    try {
      await links.command.connect();
      await links.command.ping();
    } catch (error) {
      await links.close();
      throw new ClusterError(
        'cluster-unavailable',
        `Redis at ${redact(config.redisUrl)} did not answer: ${error instanceof Error ? error.message : String(error)}`,
        'start Redis or fix --redis',
      );
    }
    return links;
  }

  /** A channel name of this cluster. */
  channel(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Colyseus's shutdown leaves its presence and driver open: closed here, after it.
    this.presence.shutdown();
    await this.driver.shutdown().catch(() => undefined);
    const clients = [this.command, this.adapterPub, this.adapterSub];
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
