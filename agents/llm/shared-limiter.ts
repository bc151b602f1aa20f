/**
 * The process-wide cap on calls in flight to one chat-completions server: every `llm` agent
 * of the process (every match of a league wave, every match of an agent process) that talks
 * to the same base URL waits in one queue (p-limit). The latest agent created for a URL sets
 * the cap, so one league or `ludus agent` run has one value.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export type Limiter = LimitFunction;

const LIMITERS = new Map<string, LimitFunction>();

export function sharedLimiter(baseUrl: string, concurrency: number): Limiter {
  const key = baseUrl.replace(/\/+$/, '');
  let limiter = LIMITERS.get(key);
  if (limiter === undefined) {
    limiter = pLimit(concurrency);
    LIMITERS.set(key, limiter);
  } else if (limiter.concurrency !== concurrency) {
    limiter.concurrency = concurrency;
  }
  return limiter;
}

/** Calls running and waiting for a server, for status lines and tests. */
export function limiterLoad(baseUrl: string): { readonly active: number; readonly pending: number; readonly concurrency: number } | undefined {
  const limiter = LIMITERS.get(baseUrl.replace(/\/+$/, ''));
  return limiter && { active: limiter.activeCount, pending: limiter.pendingCount, concurrency: limiter.concurrency };
}
