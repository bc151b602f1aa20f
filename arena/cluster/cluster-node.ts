/**
 * One arena process as a member of a cluster (README: Running on several machines): its Redis
 * links, the bus to the other processes, the registry of live processes with this one's
 * heartbeat, the cluster-wide agent hub, and which process runs which match (the hash
 * `match-owner`, matchId -> nodeId, that places a match's Colyseus room on its runner's
 * process). `build-arena.ts` joins it before the transports attach and hands each its part.
 */
import { matchMaker } from '@colyseus/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import type { ColyseusCluster } from '../rooms/attach-colyseus.ts';
import { ClusterBus } from './cluster-bus.ts';
import { ClusterHub } from './cluster-hub.ts';
import type { ClusterConfig } from './cluster-options.ts';
import { NodeRegistry, type NodeInfo } from './node-registry.ts';
import { RedisLinks } from './redis-links.ts';

const OWNER_KEY = 'match-owner';
const RESYNC_MS = 5000;
/** Unfinished matches per agentId over the cluster (the queue's per-agent cap). */
export const ACTIVE_KEY = 'active';
/** matchId -> its agentIds, per process: what to take off `active` when the process dies. */
const nodeMatchesKey = (nodeId: string): string => `node-matches:${nodeId}`;

/** Takes a dead process's matches off `active` and forgets them, once (the first survivor to run it does the work). */
const DROP_NODE_MATCHES = `
local rows = redis.call('HGETALL', KEYS[1])
for i = 2, #rows, 2 do
  for _, agent in ipairs(cjson.decode(rows[i])) do
    if redis.call('HINCRBY', KEYS[2], agent, -1) <= 0 then redis.call('HDEL', KEYS[2], agent) end
  end
end
redis.call('DEL', KEYS[1])
return #rows / 2
`;

export interface ClusterNodeOptions {
  /** Matches this process runs now (its heartbeat carries the count; placement reads it). */
  readonly liveMatches: () => number;
  /** After each heartbeat: the store's heartbeat and its sweep of expired processes. */
  readonly onBeat?: () => Promise<void>;
  /** A background failure (a Redis write, a heartbeat): logged, never fatal. */
  readonly onError?: (error: unknown) => void;
}

export class ClusterNode {
  readonly config: ClusterConfig;
  readonly links: RedisLinks;
  readonly bus: ClusterBus;
  readonly hub: ClusterHub;
  readonly registry: NodeRegistry;
  private readonly onError: (error: unknown) => void;
  private closing: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  private constructor(config: ClusterConfig, links: RedisLinks, options: ClusterNodeOptions) {
    this.config = config;
    this.links = links;
    this.onError = options.onError ?? (() => {});
    this.bus = new ClusterBus(links, config.nodeId);
    this.hub = new ClusterHub(links, this.bus, config.nodeId, this.onError);
    this.registry = new NodeRegistry(links, config, {
      self: () => this.self(options.liveMatches()),
      ...(options.onBeat === undefined ? {} : { onBeat: options.onBeat }),
      onError: this.onError,
    });
    this.registry.onDead((nodeIds) => this.forgetOwners(nodeIds));
    links.command.defineCommand('ludusDropNodeMatches', { numberOfKeys: 2, lua: DROP_NODE_MATCHES });
  }

  /** Connects to Redis (throws 'cluster-unavailable' when it does not answer). Nothing is announced until `start`. */
  static async join(config: ClusterConfig, options: ClusterNodeOptions): Promise<ClusterNode> {
    return new ClusterNode(config, await RedisLinks.open(config, options.onError), options);
  }

  /** Announces this process (first heartbeat), then follows the others' agents. Call once the transports are attached. */
  async start(): Promise<void> {
    // Matches an earlier run of this node owned died with it.
    await this.forgetOwners([this.config.nodeId]);
    await this.bus.start();
    await this.registry.start();
    await this.hub.start(this.registry);
    // A lost online/offline message (a Redis reconnection) is put right by the next re-read.
    this.resyncTimer = setInterval(() => void this.hub.resync().catch(this.onError), RESYNC_MS);
    this.resyncTimer.unref();
  }

  /** Colyseus's side: presence and driver on Redis, this process's public address, rooms placed on their match's process. */
  colyseus(): ColyseusCluster {
    return {
      presence: this.links.presence,
      driver: this.links.driver,
      publicAddress: this.config.colyseusAddress,
      nodeId: this.config.nodeId,
      ownerOf: async (matchId) => {
        const nodeId = await this.links.command.hget(OWNER_KEY, matchId);
        if (nodeId === null) return undefined;
        return nodeId === this.config.nodeId ? matchMaker.processId : (await this.registry.lookup(nodeId))?.processId;
      },
    };
  }

  /** socket.io's side: the Redis adapter (its channels under this cluster's prefix). */
  socketAdapter(): ServerOptions['adapter'] {
    return createAdapter(this.links.adapterPub, this.links.adapterSub, { key: this.links.channel('sio'), publishOnSpecificResponseChannel: true });
  }

  /** This process runs the match from now on (its room is created here; its players hold one more unfinished match). */
  claim(matchId: string, agentIds: readonly string[]): void {
    const agents = [...new Set(agentIds)];
    const multi = this.links.command
      .multi()
      .hset(OWNER_KEY, matchId, this.config.nodeId)
      .hset(nodeMatchesKey(this.config.nodeId), matchId, JSON.stringify(agents));
    for (const agentId of agents) multi.hincrby(ACTIVE_KEY, agentId, 1);
    multi.exec().catch(this.onError);
  }

  /** The match ended: nothing to place any more, one unfinished match less for its players. */
  release(matchId: string, agentIds: readonly string[]): void {
    const agents = [...new Set(agentIds)];
    const multi = this.links.command.multi().hdel(OWNER_KEY, matchId).hdel(nodeMatchesKey(this.config.nodeId), matchId);
    for (const agentId of agents) multi.hincrby(ACTIVE_KEY, agentId, -1);
    multi.exec().catch(this.onError);
  }

  /** The processes alive at the last heartbeat, this one included. */
  nodes(): readonly NodeInfo[] {
    return this.registry.nodes();
  }

  /** Leaves the cluster: no more heartbeats (the others see this process gone), bus and hub stopped, Redis closed last. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.resyncTimer);
      await this.registry.stop();
      this.hub.stop();
      await this.bus.stop().catch(() => undefined);
      await this.links.close();
    })();
    return this.closing;
  }

  private self(live: number): NodeInfo {
    return { nodeId: this.config.nodeId, url: this.config.publicUrl, processId: matchMaker.processId ?? '', live };
  }

  /** Owner entries and active counts of dead processes: their matches are gone (every survivor may do this; the work happens once). */
  private async forgetOwners(nodeIds: readonly string[]): Promise<void> {
    const command = this.links.command as unknown as { ludusDropNodeMatches(key: string, active: string): Promise<number> };
    for (const nodeId of nodeIds) await command.ludusDropNodeMatches(nodeMatchesKey(nodeId), ACTIVE_KEY);
    const dead = new Set(nodeIds);
    const owners = await this.links.command.hgetall(OWNER_KEY);
    const gone = Object.entries(owners)
      .filter(([, nodeId]) => dead.has(nodeId))
      .map(([matchId]) => matchId);
    if (gone.length > 0) await this.links.command.hdel(OWNER_KEY, ...gone);
  }
}
