/**
 * What `buildArena` adds for one process of a cluster: the ClusterNode (Redis, bus, registry,
 * agent hub), the MatchManager hooks that tell the cluster which process runs which match and
 * when it ends, the shared env queue, the league's cluster host and lock, the abort messages
 * other processes send about this process's matches, and the heartbeat into the store, whose
 * sweep marks a dead process's live matches aborted.
 */
import type { LeagueStore } from '../../league/storage/league-store.ts';
import type { MatchManagerOptions } from '../lobby/match-manager.ts';
import type { MatchManagerApi } from '../lobby/match-manager-api.ts';
import type { MatchQueueOptions } from '../lobby/match-queue.ts';
import { AdvisoryLock } from './advisory-lock.ts';
import { ClusterLeagueHost } from './cluster-league-host.ts';
import { ClusterNode } from './cluster-node.ts';
import { ClusterError, clusterConfig, type ClusterOptions } from './cluster-options.ts';
import { ClusterQueue } from './cluster-queue.ts';

export interface ArenaClusterDeps {
  readonly store: LeagueStore;
  /** The PostgreSQL URL of the store: the league locks are held there. */
  readonly databaseUrl: string | undefined;
  readonly adminToken: string;
  /** Background failures (a Redis write, a heartbeat). */
  readonly onError: (error: unknown) => void;
  /** The Colyseus path prefix (part of the public address). */
  readonly colyseusPrefix?: string;
}

export class ArenaCluster {
  readonly node: ClusterNode;
  private readonly deps: ArenaClusterDeps;
  private live = 0;
  private readonly locks: AdvisoryLock[] = [];
  private readonly hosts: ClusterLeagueHost[] = [];
  private queueOf: ClusterQueue | undefined;

  private constructor(node: ClusterNode, deps: ArenaClusterDeps) {
    this.node = node;
    this.deps = deps;
  }

  /** Checks the options and connects to Redis; throws 'bad-cluster-config' or 'cluster-unavailable'. */
  static async join(options: ClusterOptions, deps: ArenaClusterDeps): Promise<ArenaCluster> {
    const config = clusterConfig(options, deps.colyseusPrefix);
    if (deps.databaseUrl === undefined) {
      throw new ClusterError(
        'bad-cluster-config',
        'a cluster needs a PostgreSQL store shared by its processes',
        'add --database postgres://... (or LUDUS_DATABASE_URL) next to --redis',
      );
    }
    let cluster: ArenaCluster | undefined;
    const node = await ClusterNode.join(config, {
      liveMatches: () => cluster?.live ?? 0,
      onBeat: () => cluster?.beat() ?? Promise.resolve(),
      onError: deps.onError,
    });
    cluster = new ArenaCluster(node, deps);
    return cluster;
  }

  get nodeId(): string {
    return this.node.config.nodeId;
  }

  /** The MatchManager's hooks: this process runs the match (its room is placed here), and the league hears its end. */
  managerHooks(): Pick<MatchManagerOptions, 'onCreated' | 'onEnded' | 'sharedStore'> {
    return {
      sharedStore: true,
      onCreated: (matchId, agentIds) => {
        this.live++;
        this.node.claim(matchId, agentIds);
      },
      onEnded: (result, league, agentIds) => {
        this.live--;
        this.node.release(result.matchId, agentIds);
        this.node.bus
          .toAll({
            type: 'match-ended',
            matchId: result.matchId,
            league,
            returns: result.returns.slice(),
            reason: result.reason,
            ...(result.ratingChange === undefined ? {} : { ratingChange: result.ratingChange.slice() }),
          })
          .catch(this.deps.onError);
      },
    };
  }

  /** The URL of the other live process that runs this match; undefined when it runs here, has ended or is unknown. */
  async ownerUrl(matchId: string): Promise<string | undefined> {
    const row = await this.deps.store.getArenaMatch(matchId);
    if (row?.status !== 'live' || row.nodeId === this.nodeId) return undefined;
    return (await this.node.registry.lookup(row.nodeId))?.url;
  }

  /** Follows the messages about this process's matches (aborts other processes ask for). */
  attach(matches: MatchManagerApi): void {
    this.node.bus.on((message) => {
      if (message.type !== 'abort') return;
      const runner = matches.get(message.matchId);
      if (runner === undefined || runner.isOver || (message.unstarted && runner.isStarted)) return;
      runner.abort();
    });
  }

  /** The env queue shared by every process. */
  queue(matches: MatchManagerApi, options: MatchQueueOptions): ClusterQueue {
    this.queueOf = new ClusterQueue(this.node, matches, options, this.deps.onError);
    const queue = this.queueOf;
    this.node.registry.onDead((nodeIds) => queue.dropNodes(nodeIds));
    return queue;
  }

  /** Where the league's scheduler places its matches (every live process). */
  leagueHost(matches: MatchManagerApi): ClusterLeagueHost {
    const host = new ClusterLeagueHost({ node: this.node, matches, store: this.deps.store, adminToken: this.deps.adminToken, onError: this.deps.onError });
    this.hosts.push(host);
    return host;
  }

  /** The lock that makes one process the league's scheduler. */
  leagueLock(leagueName: string): AdvisoryLock {
    const lock = new AdvisoryLock(this.deps.databaseUrl!, `ludus:league:${leagueName}`);
    this.locks.push(lock);
    return lock;
  }

  /** Announces this process (call once it listens); queue entries an earlier run of this node left are dropped. */
  async start(): Promise<void> {
    await this.queueOf?.dropNodes([this.nodeId]);
    await this.node.start();
  }

  /** Leaves the cluster: league locks released, no more heartbeats, Redis closed. Call after the matches and transports closed. */
  async close(): Promise<void> {
    for (const host of this.hosts) host.close();
    await Promise.all(this.locks.map((lock) => lock.stop()));
    await this.node.close();
  }

  /** Each heartbeat: this process's row in the store, then the sweep that aborts the live matches of processes gone silent. */
  private async beat(): Promise<void> {
    const { store } = this.deps;
    await store.heartbeatNode(this.nodeId, this.node.config.publicUrl);
    await store.abortExpiredNodes(this.node.config.nodeTimeoutMs);
  }
}
