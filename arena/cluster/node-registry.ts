/**
 * The processes of a cluster and their heartbeats in Redis: each process writes its key
 * (`node:<nodeId>`: its URL, Colyseus process id and live match count) with a time to live of
 * the node timeout, every heartbeat, and lists itself in `nodes`. A process whose key expired
 * is dead: every survivor notices on its next sweep and runs the `dead` listeners (each
 * idempotent: several survivors may clean up after the same process), then forgets it.
 * Expiry is Redis's, so the processes' clocks need not agree.
 */
import type { ClusterConfig } from './cluster-options.ts';
import type { RedisLinks } from './redis-links.ts';

export interface NodeInfo {
  readonly nodeId: string;
  /** `http(s)://host:port`. */
  readonly url: string;
  /** Colyseus's process id of this run. */
  readonly processId: string;
  /** Matches it runs (waiting or live), at its last heartbeat. */
  readonly live: number;
}

export interface NodeRegistryOptions {
  /** This process's current state (its live match count changes). */
  readonly self: () => NodeInfo;
  /** Runs after each heartbeat (the store's heartbeat and its sweep of expired nodes); a throw is reported, not fatal. */
  readonly onBeat?: () => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

const NODES_KEY = 'nodes';
const nodeKey = (nodeId: string): string => `node:${nodeId}`;

export class NodeRegistry {
  private readonly links: RedisLinks;
  private readonly config: ClusterConfig;
  private readonly options: NodeRegistryOptions;
  private known: NodeInfo[] = [];
  private readonly deadListeners = new Set<(nodeIds: readonly string[]) => Promise<void> | void>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;

  constructor(links: RedisLinks, config: ClusterConfig, options: NodeRegistryOptions) {
    this.links = links;
    this.config = config;
    this.options = options;
  }

  /** Writes the first heartbeat and reads the cluster, then beats every `heartbeatMs`. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beating ??= this.beat()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.beating = undefined;
        });
    }, this.config.heartbeatMs);
    this.timer.unref();
  }

  /** The processes alive at the last sweep (this one included), by node id. */
  nodes(): readonly NodeInfo[] {
    return this.known;
  }

  node(nodeId: string): NodeInfo | undefined {
    return this.known.find((n) => n.nodeId === nodeId);
  }

  /** The process as Redis has it now (one that started since the last sweep included); undefined when dead. */
  async lookup(nodeId: string): Promise<NodeInfo | undefined> {
    return this.node(nodeId) ?? parseNode(await this.links.command.get(nodeKey(nodeId)));
  }

  /** Called with the node ids found dead; returns the unsubscribe function. */
  onDead(listener: (nodeIds: readonly string[]) => Promise<void> | void): () => void {
    this.deadListeners.add(listener);
    return () => this.deadListeners.delete(listener);
  }

  /** Leaves the cluster: stops beating and removes this process's key (the others see it gone at once). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.beating;
    const { command } = this.links;
    await command
      .multi()
      .del(nodeKey(this.config.nodeId))
      .srem(NODES_KEY, this.config.nodeId)
      .exec()
      .catch(() => undefined);
  }

  /** One heartbeat and sweep; public so tests and shutdown paths can force one. */
  async beat(): Promise<void> {
    if (this.stopped) return;
    const self = this.options.self();
    const { command } = this.links;
    let redisFailed: unknown;
    try {
      await command.multi().set(nodeKey(self.nodeId), JSON.stringify(self), 'PX', this.config.nodeTimeoutMs).sadd(NODES_KEY, self.nodeId).exec();
      await this.sweep();
    } catch (error) {
      redisFailed = error;
    }
    // The store's heartbeat decides whether this process's matches live on: it does not wait for Redis.
    await this.options.onBeat?.();
    if (redisFailed !== undefined) throw redisFailed;
  }

  private async sweep(): Promise<void> {
    const { command } = this.links;
    const ids = (await command.smembers(NODES_KEY)).sort();
    const values = ids.length === 0 ? [] : await command.mget(...ids.map(nodeKey));
    const alive: NodeInfo[] = [];
    const dead: string[] = [];
    ids.forEach((nodeId, i) => {
      const info = parseNode(values[i] ?? null);
      if (info === undefined) dead.push(nodeId);
      else alive.push(info);
    });
    this.known = alive;
    if (dead.length === 0) return;
    for (const listener of [...this.deadListeners]) await listener(dead);
    // Forgotten only once cleaned up: a survivor that dies meanwhile leaves the work to the next sweep.
    await command.srem(NODES_KEY, ...dead);
  }
}

function parseNode(raw: string | null): NodeInfo | undefined {
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<NodeInfo>;
    if (typeof value.nodeId !== 'string' || typeof value.url !== 'string' || typeof value.processId !== 'string') return undefined;
    return { nodeId: value.nodeId, url: value.url, processId: value.processId, live: typeof value.live === 'number' ? value.live : 0 };
  } catch {
    return undefined;
  }
}
