/**
 * Information-set keys. For envs whose observation tensor has perfect recall (OpenSpiel's
 * information-state tensor: Kuhn, Leduc), a seat's infoset is exactly (seat, tensor), so the
 * key is that pair written out. Agents compute the same key from their observation.
 */
import type { AnyEnv, Seat } from '../../envs/index.ts';

/** `${seat}|${tensor entries joined by ','}`. */
export function tensorKey(seat: Seat, tensor: ArrayLike<number>): string {
  let key = `${seat}|`;
  for (let i = 0; i < tensor.length; i++) key += i === 0 ? String(tensor[i]) : `,${tensor[i]}`;
  return key;
}

export function infosetKey(env: AnyEnv, state: unknown, seat: Seat): string {
  return tensorKey(seat, env.observationTensor(state, seat));
}
