/**
 * What happens when a seat misses its deadline (or its reconnect window closes, or its
 * in-process agent fails): 'random' plays a random legal move (seeded, so the match stays
 * reproducible), 'default' plays the lowest legal id, 'forfeit' ends the match and the seat
 * loses. Text-only envs have no ids: 'random' plays the env's own random valid reply
 * (`sampleText`, seeded), 'default' the empty reply, and the env judges either by its rules
 * (an empty negotiation turn is talk, an empty clue an invalid move that counts).
 */
import { z } from 'zod';
import { teammates } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Rng, Seat } from '../../envs/index.ts';

export const TIMEOUT_POLICIES = ['random', 'default', 'forfeit'] as const;
export const TimeoutPolicySchema = z.enum(TIMEOUT_POLICIES);
export type TimeoutPolicy = z.infer<typeof TimeoutPolicySchema>;

/** The move played for a timed-out seat, or 'forfeit'. `legal` is never empty for an acting seat. */
export function timeoutAction(policy: TimeoutPolicy, legal: readonly ActionId[], rng: Rng): ActionId | 'forfeit' {
  if (policy === 'forfeit' || legal.length === 0) return 'forfeit';
  return policy === 'random' ? rng.pick(legal) : legal[0]!;
}

/** Text-only envs: the reply played for a timed-out seat, or 'forfeit'. An env without a sampler gets the empty reply. */
export function timeoutText(policy: TimeoutPolicy, sample: (rng: Rng, valid: boolean) => string | undefined, rng: Rng): string | 'forfeit' {
  if (policy === 'forfeit') return 'forfeit';
  return (policy === 'random' ? sample(rng, true) : undefined) ?? '';
}

/**
 * Returns after `seat` forfeits: its whole team (just the seat, in envs without teams) gets the
 * env's minimum utility. In zero- and constant-sum games the other seats share the rest of the
 * fixed sum (clamped to the range); in general-sum games they get the maximum; in cooperative
 * (identical) games everyone loses together.
 */
export function forfeitReturns(env: AnyEnv, params: unknown, seat: Seat): number[] {
  const dims = env.dims(params);
  const n = dims.numPlayers;
  const { minUtility: min, maxUtility: max } = dims;
  const utility = env.spec.utility;
  if (utility === 'identical') return new Array<number>(n).fill(min);
  const losers = new Set(teammates(dims, seat));
  let other = max;
  if ((utility === 'zero-sum' || utility === 'constant-sum') && n > losers.size) {
    const sum = dims.utilitySum ?? 0;
    other = Math.min(max, Math.max(min, (sum - min * losers.size) / (n - losers.size)));
  }
  return Array.from({ length: n }, (_, s) => (losers.has(s) ? min : other));
}
