/**
 * A token bucket per key (a sessionId): `capacity` messages in a burst, refilled at
 * `refillPerSecond`, like Colyseus's `maxMessagesPerSecond` but tolerant of short bursts.
 * It also counts consecutive refusals, so a flooding connection can be dropped.
 */
import type { Clock } from './clocks.ts';

export interface RateLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Consecutive refused messages after which the connection should be dropped. */
  readonly maxViolations: number;
}

export type RateVerdict = 'ok' | 'limited' | 'kick';

interface Bucket {
  tokens: number;
  updatedAt: number;
  violations: number;
}

export class RateLimiter {
  private readonly limit: RateLimit;
  private readonly clock: Clock;
  private readonly buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit, clock: Clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** Takes one token for `key`: 'ok', 'limited' (refused), or 'kick' (refused too often in a row). */
  take(key: string): RateVerdict {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, updatedAt: now, violations: 0 };
    const refill = (Math.max(0, now - bucket.updatedAt) / 1000) * this.limit.refillPerSecond;
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + refill);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.violations = 0;
      return 'ok';
    }
    bucket.violations += 1;
    return bucket.violations >= this.limit.maxViolations ? 'kick' : 'limited';
  }

  /** Drops the key's bucket (the connection closed). */
  forget(key: string): void {
    this.buckets.delete(key);
  }
}
