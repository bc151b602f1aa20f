/**
 * Where a live league's matches run in a cluster: the league's one scheduler (the process
 * holding its lock) spreads them over the live processes, each new match to the process
 * running the fewest of the league's matches (then the fewest matches overall). A match for
 * this process is created on its MatchManager; one for another process through that
 * process's `POST /api/matches` (the cluster shares the admin token), and the scheduler then
 * hears its end from the bus (`match-ended`, which every process publishes for its matches),
 * or, should that message be lost or the process die, from the store, which it checks every
 * `reconcileMs`. Aborting a remote match is a message to its process.
 */
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { ArenaError } from '../arena-error.ts';
import { localHostedMatch, type HostedMatch, type HostedMatchEnd, type LeagueMatchHost } from '../league/league-host.ts';
import type { CreatedMatch, CreateMatchInput, MatchManagerApi } from '../lobby/match-manager-api.ts';
import type { BusMessage } from './cluster-bus.ts';
import type { ClusterNode } from './cluster-node.ts';
import type { NodeInfo } from './node-registry.ts';

export interface ClusterLeagueHostOptions {
  readonly node: ClusterNode;
  readonly matches: MatchManagerApi;
  readonly store: LeagueStore;
  /** The cluster's admin token: creates matches on the other processes. */
  readonly adminToken: string;
  /** How often the store is checked for ends the bus did not bring. Default 2 s. */
  readonly reconcileMs?: number;
  readonly onError?: (error: unknown) => void;
}

const REMOTE_CREATE_TIMEOUT_MS = 10_000;

/** A match on another process: the scheduler knows only its tokens, its process and (later) its end. */
class RemoteMatch implements HostedMatch {
  readonly matchId: string;
  readonly seatTokens: readonly (string | null)[];
  readonly server: string | undefined;
  readonly nodeId: string;
  private end: HostedMatchEnd | undefined;
  private readonly listeners: ((end: HostedMatchEnd) => void)[] = [];
  private readonly send: (message: BusMessage) => void;

  constructor(matchId: string, seatTokens: readonly (string | null)[], node: { nodeId: string; url: string | undefined }, send: (message: BusMessage) => void) {
    this.matchId = matchId;
    this.seatTokens = seatTokens;
    this.server = node.url;
    this.nodeId = node.nodeId;
    this.send = send;
  }

  get isOver(): boolean {
    return this.end !== undefined;
  }

  abort(options: { readonly unstarted?: boolean } = {}): void {
    if (this.end === undefined) this.send({ type: 'abort', matchId: this.matchId, unstarted: options.unstarted === true });
  }

  onEnded(listener: (end: HostedMatchEnd) => void): void {
    if (this.end !== undefined) listener(this.end);
    else this.listeners.push(listener);
  }

  settle(end: HostedMatchEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    for (const listener of this.listeners.splice(0)) listener(end);
  }
}

export class ClusterLeagueHost implements LeagueMatchHost {
  private readonly options: ClusterLeagueHostOptions;
  /** This scheduler's matches by id, with the process each runs on. */
  private readonly placed = new Map<string, { readonly nodeId: string; readonly match: HostedMatch }>();
  private readonly remote = new Map<string, RemoteMatch>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private reconciling = false;

  constructor(options: ClusterLeagueHostOptions) {
    this.options = options;
    this.unsubscribe = options.node.bus.on((message) => {
      if (message.type !== 'match-ended') return;
      this.remote.get(message.matchId)?.settle({
        matchId: message.matchId,
        returns: message.returns,
        reason: message.reason,
        ratingChange: message.ratingChange,
        stored: true,
      });
    });
    this.timer = setInterval(() => void this.reconcile(), options.reconcileMs ?? 2000);
    this.timer.unref();
  }

  async create(input: CreateMatchInput): Promise<HostedMatch> {
    const { node } = this.options;
    const target = this.pick();
    if (target !== undefined && target.nodeId !== node.config.nodeId) {
      const created = await this.createOn(target, input).catch((error: unknown) => {
        // That process is gone or failing: this one plays the match instead.
        this.options.onError?.(error);
        return undefined;
      });
      if (created !== undefined) return this.track(this.remoteMatch(created.matchId, created.seatTokens, target.nodeId, target.url), target.nodeId);
    }
    const created = await this.options.matches.create(input);
    const runner = this.options.matches.get(created.matchId)!;
    return this.track(localHostedMatch(runner, created.seatTokens, node.config.publicUrl), node.config.nodeId);
  }

  /** The league's matches the store holds as live: each on the process that runs it. */
  async adopt(league: LeagueRow): Promise<{ readonly match: HostedMatch; readonly seats: readonly string[] }[]> {
    const { node, store, matches } = this.options;
    const rows = await store.listArenaMatches({ statuses: ['live'], leagueId: league.id, limit: 10_000 });
    const adopted: { match: HostedMatch; seats: readonly string[] }[] = [];
    for (const row of rows) {
      const { nodeId } = row;
      const runner = nodeId === node.config.nodeId ? matches.get(row.matchId) : undefined;
      const match =
        runner !== undefined ? localHostedMatch(runner, [], node.config.publicUrl) : this.remoteMatch(row.matchId, [], nodeId, node.registry.node(nodeId)?.url);
      adopted.push({ match: this.track(match, nodeId), seats: row.seats });
    }
    return adopted;
  }

  forget(): void {
    this.placed.clear();
    this.remote.clear();
  }

  /** Stops listening for ends (the process leaves the cluster). */
  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.forget();
  }

  /** The live process running the fewest of this league's matches, then the fewest matches, then by id. */
  private pick(): NodeInfo | undefined {
    const counts = new Map<string, number>();
    for (const { nodeId, match } of this.placed.values()) if (!match.isOver) counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    const nodes = [...this.options.node.nodes()];
    nodes.sort((a, b) => (counts.get(a.nodeId) ?? 0) - (counts.get(b.nodeId) ?? 0) || a.live - b.live || a.nodeId.localeCompare(b.nodeId));
    return nodes[0];
  }

  private async createOn(target: NodeInfo, input: CreateMatchInput): Promise<CreatedMatch> {
    const response = await fetch(`${target.url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.adminToken}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(REMOTE_CREATE_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => undefined)) as (CreatedMatch & { error?: { code?: string; message?: string } }) | undefined;
    if (response.status === 201 && body !== undefined) return body;
    // The other process refused the match itself (bad input): this one would refuse it too.
    if (response.status < 500 && body?.error?.code !== undefined) {
      throw new ArenaError('bad-request', `${target.nodeId} refused the match: ${body.error.message ?? body.error.code}`, 'check the league config');
    }
    throw new Error(`creating a match on ${target.nodeId} answered ${response.status}`);
  }

  private remoteMatch(matchId: string, seatTokens: readonly (string | null)[], nodeId: string, url: string | undefined): RemoteMatch {
    const match = new RemoteMatch(matchId, seatTokens, { nodeId, url }, (message) => {
      this.options.node.bus.toNode(nodeId, message).catch((error: unknown) => this.options.onError?.(error));
    });
    this.remote.set(matchId, match);
    return match;
  }

  private track(match: HostedMatch, nodeId: string): HostedMatch {
    this.placed.set(match.matchId, { nodeId, match });
    match.onEnded(() => {
      this.placed.delete(match.matchId);
      this.remote.delete(match.matchId);
    });
    return match;
  }

  /** Ends the bus did not bring (a lost message, a dead process whose matches the survivors aborted) come from the store. */
  private async reconcile(): Promise<void> {
    if (this.reconciling || this.remote.size === 0) return;
    this.reconciling = true;
    try {
      const { store } = this.options;
      for (const match of [...this.remote.values()]) {
        const row = await store.getArenaMatch(match.matchId);
        if (row === undefined || row.status === 'live') continue;
        const stored = row.index === null ? undefined : await store.getMatch(row.leagueId, row.index);
        match.settle({
          matchId: match.matchId,
          returns: stored?.returns.slice() ?? row.seats.map(() => 0),
          reason: row.status === 'aborted' ? 'aborted' : row.status === 'faulted' ? 'forfeit' : 'terminal',
          ratingChange: undefined,
          stored: row.index !== null,
        });
      }
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.reconciling = false;
    }
  }
}
