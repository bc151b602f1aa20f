/**
 * How one arena process joins a cluster (README: Running on several machines): the Redis it
 * shares rooms, online agents and the queue through, the address others reach it at, and its
 * node id (the owner of the matches it runs, in the store). The catalog of the cluster's
 * errors lives here too.
 */
import { errorClass } from '../../envs/index.ts';

export const CLUSTER_ERROR_CODES = {
  'bad-cluster-config': 'the cluster flags do not fit together (a public address is required with --redis, a PostgreSQL store with a cluster)',
  'cluster-unavailable': { description: 'Redis or PostgreSQL did not answer when the process joined the cluster', status: 503, exit: 1 },
} as const;

export class ClusterError extends errorClass<keyof typeof CLUSTER_ERROR_CODES>('ClusterError', CLUSTER_ERROR_CODES) {}

export interface ClusterOptions {
  /** redis://host:port[/db]: Colyseus presence and driver, the socket.io adapter, shared agents and queue. */
  readonly redisUrl: string;
  /**
   * Where clients and the other processes reach this one: `host:port`, or `https://host:port`
   * behind TLS. Colyseus room sockets are dialled at `<address>/colyseus/<process>/<room>`.
   */
  readonly publicAddress: string;
  /** This process's owner id in the store; default the public address (a restart on it aborts what it left live). */
  readonly nodeId?: string;
  /** Prefix of every Redis key and channel (several clusters, or test runs, on one Redis). Default 'ludus:'. */
  readonly keyPrefix?: string;
  /** Heartbeat period. Default 1 s. */
  readonly heartbeatMs?: number;
  /** A process silent this long is dead: its live matches are aborted, its agents offline. Default 10 s. */
  readonly nodeTimeoutMs?: number;
}

/** The resolved options of a cluster node. */
export interface ClusterConfig {
  readonly redisUrl: string;
  /** `http(s)://host:port`: what `match:assigned` names and the other processes call. */
  readonly publicUrl: string;
  /** `host:port/colyseus` (no scheme): Colyseus's publicAddress. */
  readonly colyseusAddress: string;
  readonly nodeId: string;
  readonly keyPrefix: string;
  readonly heartbeatMs: number;
  readonly nodeTimeoutMs: number;
}

export const DEFAULT_HEARTBEAT_MS = 1000;
export const DEFAULT_NODE_TIMEOUT_MS = 10_000;

/** Checks and completes the options; throws 'bad-cluster-config' naming the flag. */
export function clusterConfig(options: ClusterOptions, colyseusPrefix = '/colyseus'): ClusterConfig {
  if (!/^rediss?:\/\//.test(options.redisUrl)) {
    throw new ClusterError('bad-cluster-config', `--redis must be a redis:// URL, got "${options.redisUrl}"`, 'e.g. --redis redis://127.0.0.1:6379');
  }
  const address = options.publicAddress.trim();
  const parsed = /^(?:(https?):\/\/)?([^/\s:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(address);
  if (parsed === null || Number(parsed[3]) === 0 || Number(parsed[3]) > 65_535) {
    throw new ClusterError(
      'bad-cluster-config',
      `--public-address must be host:port (or https://host:port), got "${options.publicAddress}"`,
      'the address clients and the other processes reach this process at, e.g. 10.0.0.5:2567',
    );
  }
  const [, scheme = 'http', host, port] = parsed;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
  if (nodeTimeoutMs < 3 * heartbeatMs) {
    throw new ClusterError(
      'bad-cluster-config',
      `the node timeout (${nodeTimeoutMs} ms) must be at least 3 heartbeats (${heartbeatMs} ms)`,
      'raise the timeout',
    );
  }
  const keyPrefix = options.keyPrefix ?? 'ludus:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(keyPrefix)) {
    throw new ClusterError('bad-cluster-config', `the Redis key prefix "${keyPrefix}" must be 1-64 letters, digits or :_.-`, 'e.g. ludus:');
  }
  return {
    redisUrl: options.redisUrl,
    publicUrl: `${scheme}://${host}:${port}`,
    colyseusAddress: `${host}:${port}${colyseusPrefix}`,
    nodeId: options.nodeId ?? `${host}:${port}`,
    keyPrefix,
    heartbeatMs,
    nodeTimeoutMs,
  };
}
