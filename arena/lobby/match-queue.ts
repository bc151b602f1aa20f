/**
 * The env queue: registered agents ask for a game of an env (`queue`), and as soon as enough
 * distinct agents wait for the same env and params, the queue creates a match with one
 * remote seat each and sends every player its `match:assigned` on the connection that
 * queued. First come, first paired; seats rotate from one match to the next, so no agent
 * always moves first. Transport-agnostic: both transports hand it their connections' entries.
 * Bounded: an agent holding `maxMatchesPerAgent` unfinished matches is refused ('too-many-matches')
 * and skipped when pairing, and a pairing whose seats do not all join within `startTimeoutMs`
 * is aborted, which frees the quota (two agents that queue and never join cannot pile up matches).
 */
import { getEnv, LudusError } from '../../envs/index.ts';
import { ArenaError } from '../arena-error.ts';
import { QUEUE_MOVE_TIME_BOUNDS, type MatchAssignedMessage, type QueueAccepted } from '../../protocol/assignment.ts';
import { checkQueueEntry } from './queue-admission.ts';
import { arenaLeagueName } from '../league/arena-league.ts';
import type { MatchManagerApi } from './match-manager-api.ts';

export interface QueueEntry {
  readonly agentId: string;
  /** The connection that queued; the assignment goes back to it. */
  readonly sessionId: string;
  readonly env: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** The time per move this agent asks for (already within the protocol's bounds); default the queue's. */
  readonly moveTimeMs?: number;
  readonly send: (message: MatchAssignedMessage) => void;
}

interface Waiting {
  readonly entry: QueueEntry;
  readonly envKey: string;
  readonly params: unknown;
}

export interface MatchQueueOptions {
  /** Unfinished (waiting or live) matches one agent may hold when it queues. Default 4. */
  readonly maxMatchesPerAgent?: number;
  /** A pairing not joined by all its seats within this is aborted. Default 20 s. */
  readonly startTimeoutMs?: number;
  /** Time per move of a pairing whose entries asked for none. Default 30 s. */
  readonly defaultMoveTimeMs?: number;
  /** The most any entry may ask for. Default QUEUE_MOVE_TIME_BOUNDS.max (10 minutes). */
  readonly maxMoveTimeMs?: number;
}

/**
 * What the transports hand their connections' queue messages to: this process's MatchQueue,
 * or a cluster's shared queue (arena/cluster/cluster-queue.ts), which answers asynchronously.
 */
export interface EnvQueue {
  /** Throws (or rejects with) ArenaError 'unknown-env' / 'bad-request' / 'too-many-matches'. */
  queue(entry: QueueEntry): Extract<QueueAccepted, { type: 'queued' }> | Promise<Extract<QueueAccepted, { type: 'queued' }>>;
  /** Takes the connection out of one env's pools, or all of them; the env keys it left. */
  unqueue(sessionId: string, env?: string): string[] | Promise<string[]>;
}

export const DEFAULT_MAX_MATCHES_PER_AGENT = 4;
export const DEFAULT_QUEUE_START_TIMEOUT_MS = 20_000;

export class MatchQueue implements EnvQueue {
  private readonly matches: MatchManagerApi;
  private readonly maxMatches: number;
  private readonly startTimeoutMs: number;
  /**
   * Waiting entries by pool (env key + canonical params), then by sessionId, oldest first (a
   * Map keeps insertion order): queueing, pairing and leaving cost the same however many wait.
   */
  private readonly pools = new Map<string, Map<string, Waiting>>();
  private rotation = 0;
  /** Pairings whose match is being created (the store is asynchronous). */
  private readonly creating = new Set<Promise<void>>();
  private readonly defaultMoveTimeMs: number;
  private readonly maxMoveTimeMs: number;

  constructor(matches: MatchManagerApi, options: MatchQueueOptions = {}) {
    this.matches = matches;
    this.maxMatches = options.maxMatchesPerAgent ?? DEFAULT_MAX_MATCHES_PER_AGENT;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_QUEUE_START_TIMEOUT_MS;
    this.defaultMoveTimeMs = options.defaultMoveTimeMs ?? 30_000;
    this.maxMoveTimeMs = options.maxMoveTimeMs ?? QUEUE_MOVE_TIME_BOUNDS.max;
  }

  /**
   * Queues the connection for a game (idempotent per connection and pool) and pairs the pool.
   * Throws ArenaError 'unknown-env' / 'bad-request' for an env or params the server cannot host.
   */
  queue(entry: QueueEntry): Extract<QueueAccepted, { type: 'queued' }> {
    const { envKey, params, pool } = poolOf(entry);
    const held = this.matches.activeMatches(entry.agentId);
    const { maxMatches, startTimeoutMs, defaultMoveTimeMs, maxMoveTimeMs } = this;
    checkQueueEntry(entry, held, { maxMatches, startTimeoutMs, defaultMoveTimeMs, maxMoveTimeMs });
    let waiting = this.pools.get(pool);
    if (waiting === undefined) this.pools.set(pool, (waiting = new Map()));
    // A new entry goes last; queueing again keeps the place (found by a scan: only for that repeat).
    const position = waiting.has(entry.sessionId) ? [...waiting.keys()].indexOf(entry.sessionId) : waiting.size;
    if (!waiting.has(entry.sessionId)) waiting.set(entry.sessionId, { entry, envKey, params });
    this.pair(pool);
    return { type: 'queued', env: envKey, position };
  }

  /** Takes the connection out of one env's pools, or all of them; returns the env keys it left. */
  unqueue(sessionId: string, env?: string): string[] {
    const envKey = env === undefined ? undefined : envKeyOf(env);
    const left = new Set<string>();
    for (const [pool, waiting] of this.pools) {
      const w = waiting.get(sessionId);
      if (w === undefined || (envKey !== undefined && w.envKey !== envKey)) continue;
      waiting.delete(sessionId);
      left.add(w.envKey);
      if (waiting.size === 0) this.pools.delete(pool);
    }
    return [...left].sort();
  }

  /** Resolves once every pairing made so far has its match created and its assignments sent. */
  async whenIdle(): Promise<void> {
    while (this.creating.size > 0) await Promise.all([...this.creating]);
  }

  /** Number of connections waiting in the pool of `env` with `params`. */
  waiting(env: string, params?: Readonly<Record<string, unknown>>): number {
    return this.pools.get(poolOf({ env, ...(params === undefined ? {} : { params }) }).pool)?.size ?? 0;
  }

  private pair(pool: string): void {
    const waiting = this.pools.get(pool);
    const first = waiting?.values().next().value;
    if (waiting === undefined || first === undefined) return;
    const { envKey, params } = first;
    const env = getEnv(envKey);
    const numPlayers = env.dims(params).numPlayers;
    for (;;) {
      const picked = pickDistinct(waiting.values(), numPlayers, (agentId) => this.matches.activeMatches(agentId) < this.maxMatches);
      if (picked === undefined) return;
      for (const w of picked) waiting.delete(w.entry.sessionId);
      if (waiting.size === 0) this.pools.delete(pool);
      const shift = this.rotation++ % numPlayers;
      const seated = picked.map((_, seat) => picked[(seat + shift) % numPlayers]!);
      // Created asynchronously (the store); the seats count in activeMatches from the call on.
      const creating = this.start(envKey, params, seated).catch((error: unknown) =>
        console.error(`ludus arena: could not create a queued ${envKey} match: ${error instanceof Error ? error.message : String(error)}`),
      );
      this.creating.add(creating);
      creating.finally(() => this.creating.delete(creating));
    }
  }

  /** The pairing plays at the slowest agent's pace: the largest move time its entries asked for. */
  private async start(envKey: string, params: unknown, seated: readonly Waiting[]): Promise<void> {
    const moveTimeMs = Math.max(...seated.map((w) => w.entry.moveTimeMs ?? this.defaultMoveTimeMs));
    const { matchId, seatTokens } = await this.matches.create(
      {
        env: envKey,
        params,
        seats: seated.map((w) => ({ kind: 'remote' as const, agentId: w.entry.agentId })),
        settings: { moveTimeMs },
      },
      { startTimeoutMs: this.startTimeoutMs },
    );
    const league = arenaLeagueName(getEnv(envKey));
    seated.forEach((w, seat) =>
      w.entry.send({
        type: 'match:assigned',
        matchId,
        seat,
        seatToken: seatTokens[seat]!,
        env: envKey,
        params,
        league,
        agentId: w.entry.agentId,
        moveTimeMs,
      }),
    );
  }
}

/** The first `n` waiting entries with distinct agentIds (an agent never plays itself off the queue) that may take a match. */
function pickDistinct(waiting: Iterable<Waiting>, n: number, mayPlay: (agentId: string) => boolean): Waiting[] | undefined {
  const picked: Waiting[] = [];
  for (const w of waiting) {
    if (picked.some((p) => p.entry.agentId === w.entry.agentId) || !mayPlay(w.entry.agentId)) continue;
    picked.push(w);
    if (picked.length === n) return picked;
  }
  return undefined;
}

export function envKeyOf(env: string): string {
  try {
    return getEnv(env).key;
  } catch (error) {
    if (error instanceof LudusError) throw new ArenaError('unknown-env', error.message, 'GET /api/envs lists the envs this server hosts');
    throw error;
  }
}

/** The env key, parsed params and pool key (env key + canonical params) of a queue entry. */
export function poolOf(entry: Pick<QueueEntry, 'env' | 'params'>): { envKey: string; params: unknown; pool: string } {
  const envKey = envKeyOf(entry.env);
  let params: unknown;
  try {
    params = getEnv(envKey).parseParams(entry.params ?? {});
  } catch (error) {
    if (error instanceof LudusError) throw new ArenaError('bad-request', `params: ${error.message}`, error.hint || 'fix or omit the params');
    throw error;
  }
  return { envKey, params, pool: `${envKey}\u0000${JSON.stringify(params)}` };
}
