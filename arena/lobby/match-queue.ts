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

export const DEFAULT_MAX_MATCHES_PER_AGENT = 4;
export const DEFAULT_QUEUE_START_TIMEOUT_MS = 20_000;

export class MatchQueue {
  private readonly matches: MatchManagerApi;
  private readonly maxMatches: number;
  private readonly startTimeoutMs: number;
  /** Waiting entries by pool (env key + canonical params), oldest first. */
  private readonly pools = new Map<string, Waiting[]>();
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
    if (held >= this.maxMatches) {
      throw new ArenaError(
        'too-many-matches',
        `agent "${entry.agentId}" holds ${held} unfinished matches, the most allowed`,
        `join or finish them first; a pairing nobody joins is aborted after ${Math.round(this.startTimeoutMs / 1000)} s`,
      );
    }
    if (entry.moveTimeMs !== undefined && (entry.moveTimeMs < QUEUE_MOVE_TIME_BOUNDS.min || entry.moveTimeMs > this.maxMoveTimeMs)) {
      throw new ArenaError(
        'bad-request',
        `moveTimeMs ${entry.moveTimeMs} is outside this server's bounds`,
        `ask for ${QUEUE_MOVE_TIME_BOUNDS.min} to ${this.maxMoveTimeMs} ms, or omit it for ${this.defaultMoveTimeMs} ms`,
      );
    }
    const waiting = this.pools.get(pool) ?? [];
    if (!waiting.some((w) => w.entry.sessionId === entry.sessionId)) waiting.push({ entry, envKey, params });
    this.pools.set(pool, waiting);
    const position = waiting.findIndex((w) => w.entry.sessionId === entry.sessionId);
    this.pair(pool);
    return { type: 'queued', env: envKey, position: Math.max(0, position) };
  }

  /** Takes the connection out of one env's pools, or all of them; returns the env keys it left. */
  unqueue(sessionId: string, env?: string): string[] {
    const envKey = env === undefined ? undefined : envKeyOf(env);
    const left = new Set<string>();
    for (const [pool, waiting] of this.pools) {
      const rest = waiting.filter((w) => w.entry.sessionId !== sessionId || (envKey !== undefined && w.envKey !== envKey));
      for (const w of waiting) if (!rest.includes(w)) left.add(w.envKey);
      if (rest.length === 0) this.pools.delete(pool);
      else this.pools.set(pool, rest);
    }
    return [...left].sort();
  }

  /** Resolves once every pairing made so far has its match created and its assignments sent. */
  async whenIdle(): Promise<void> {
    while (this.creating.size > 0) await Promise.all([...this.creating]);
  }

  /** Number of connections waiting in the pool of `env` with `params`. */
  waiting(env: string, params?: Readonly<Record<string, unknown>>): number {
    return this.pools.get(poolOf({ env, ...(params === undefined ? {} : { params }) }).pool)?.length ?? 0;
  }

  private pair(pool: string): void {
    const waiting = this.pools.get(pool);
    if (waiting === undefined || waiting.length === 0) return;
    const { envKey, params } = waiting[0]!;
    const env = getEnv(envKey);
    const numPlayers = env.dims(params).numPlayers;
    for (;;) {
      const picked = pickDistinct(this.pools.get(pool) ?? [], numPlayers, (agentId) => this.matches.activeMatches(agentId) < this.maxMatches);
      if (picked === undefined) return;
      this.pools.set(
        pool,
        (this.pools.get(pool) ?? []).filter((w) => !picked.includes(w)),
      );
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
function pickDistinct(waiting: readonly Waiting[], n: number, mayPlay: (agentId: string) => boolean): Waiting[] | undefined {
  const picked: Waiting[] = [];
  for (const w of waiting) {
    if (picked.some((p) => p.entry.agentId === w.entry.agentId) || !mayPlay(w.entry.agentId)) continue;
    picked.push(w);
    if (picked.length === n) return picked;
  }
  return undefined;
}

function envKeyOf(env: string): string {
  try {
    return getEnv(env).key;
  } catch (error) {
    if (error instanceof LudusError) throw new ArenaError('unknown-env', error.message, 'GET /api/envs lists the envs this server hosts');
    throw error;
  }
}

function poolOf(entry: Pick<QueueEntry, 'env' | 'params'>): { envKey: string; params: unknown; pool: string } {
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
