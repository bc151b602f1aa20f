/**
 * The arena's one rate-limit policy and its token bucket. Every bucket in the server (a
 * match's per-seat budget, the socket.io gateway, the Colyseus rooms, the matchmake route and
 * the HTTP API) takes its limits from `DEFAULT_RATE_POLICY` (overridable per server), and all
 * but the match's are keyed by identity, not by connection: an agent token, a seat token,
 * else the client's IP, so opening more connections buys no more messages.
 * A bucket holds `capacity` messages in a burst and refills at `refillPerSecond`, like
 * Colyseus's `maxMessagesPerSecond` but tolerant of short bursts; it counts consecutive
 * refusals, so a flooding connection can be dropped.
 *
 * A fast agent is not a flood: the budget grows with the work the server gives the identity.
 * `take(key, scale)` scales both numbers by `scale` (the transports pass 1 + the matches the
 * identity holds, so an agent playing fifty matches on one connection has fifty matches'
 * budget), and `credit(key)` hands back one token for each decision the server sends (an
 * agent answering every request at once never runs dry, however fast the game goes). What
 * stays limited is what the server did not ask for: messages beyond the answers, per
 * identity, at the base rate times the matches held.
 */
import type { Clock } from './clocks.ts';

export interface RateLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Consecutive refused messages after which the connection should be dropped. */
  readonly maxViolations: number;
}

export interface RatePolicy {
  /** Per seat (or spectator) inside one match: the runner's bucket, one token back per decision. A match's `settings.rateLimit` overrides it. */
  readonly match: RateLimit;
  /** Per identity over all its socket.io connections, times 1 + the matches it holds, one token back per decision. */
  readonly gateway: RateLimit;
  /** Per identity over all its Colyseus room connections (match rooms and the agents lobby); a seat token's twice that, one token back per decision. */
  readonly rooms: RateLimit;
  /** Per IP: Colyseus matchmake calls (each reserves a seat in a room); a call with a live seat token spends that token's own bucket. */
  readonly matchmake: RateLimit;
  /** Per IP: HTTP API requests. */
  readonly http: RateLimit;
}

export const DEFAULT_RATE_POLICY: RatePolicy = {
  match: { capacity: 20, refillPerSecond: 10, maxViolations: 100 },
  gateway: { capacity: 40, refillPerSecond: 20, maxViolations: 100 },
  rooms: { capacity: 40, refillPerSecond: 20, maxViolations: 100 },
  // An agent process joins every match it plays through here: room for many at once, still a cap on floods.
  matchmake: { capacity: 100, refillPerSecond: 20, maxViolations: 1_000 },
  http: { capacity: 200, refillPerSecond: 100, maxViolations: 1_000_000 },
};

/** A policy with some buckets overridden. */
export const ratePolicy = (overrides: Partial<RatePolicy> = {}): RatePolicy => ({ ...DEFAULT_RATE_POLICY, ...overrides });

/** Who a bucket belongs to: the strongest credential a connection showed. */
export function identityKey(who: { readonly agentId?: string | undefined; readonly seatToken?: string | undefined; readonly ip?: string | undefined }): string {
  if (who.agentId !== undefined) return `agent:${who.agentId}`;
  if (who.seatToken !== undefined) return `seat:${who.seatToken}`;
  return `ip:${who.ip ?? 'unknown'}`;
}

export type RateVerdict = 'ok' | 'limited' | 'kick';

interface Bucket {
  tokens: number;
  updatedAt: number;
  violations: number;
}

/** Buckets kept before idle (full) ones are dropped: a bound on memory under many identities. */
const SWEEP_ABOVE = 10_000;

export class RateLimiter {
  private readonly limit: RateLimit;
  private readonly clock: Clock;
  private readonly buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit, clock: Clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /**
   * Takes one token for `key`: 'ok', 'limited' (refused), or 'kick' (refused too often in a
   * row). `scale` (at least 1) multiplies the capacity and the refill rate.
   */
  take(key: string, scale = 1): RateVerdict {
    const now = this.clock.now();
    const capacity = this.limit.capacity * Math.max(1, scale);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = { tokens: capacity, updatedAt: now, violations: 0 };
      this.buckets.set(key, bucket);
    }
    const refill = (Math.max(0, now - bucket.updatedAt) / 1000) * this.limit.refillPerSecond * Math.max(1, scale);
    bucket.tokens = Math.min(capacity, bucket.tokens + refill);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.violations = 0;
      return 'ok';
    }
    bucket.violations += 1;
    return bucket.violations >= this.limit.maxViolations ? 'kick' : 'limited';
  }

  /**
   * One token back for `key` (the server just asked it for an answer), up to its capacity at
   * `scale`. A key without a bucket has spent nothing: it is full already.
   */
  credit(key: string, scale = 1): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) bucket.tokens = Math.min(this.limit.capacity * Math.max(1, scale), bucket.tokens + 1);
  }

  /** Drops the key's bucket (the connection closed and nothing else shares it). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled completely (forgetting them changes nothing), then the oldest if still too many. */
  private sweep(now: number): void {
    const fullAfterMs = (this.limit.capacity / this.limit.refillPerSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt >= fullAfterMs) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < SWEEP_ABOVE / 2) break;
      this.buckets.delete(key);
    }
  }
}
