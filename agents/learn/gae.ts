/**
 * Advantage estimation over linked trajectories (see rollout-buffer.ts): row r's successor
 * is next[r] (> r, −1 after the last decision). Every function walks rows backwards, so a
 * successor is always finished before the rows that point at it.
 *
 * GAE(γ, λ) (Schulman et al. 2016):
 *   δ_t = r_t + γ V(s_{t+1}) − V(s_t)   (after the last decision V is `bootstrap[t]`: 0 when
 *   the episode ended, the value of the final state when it was truncated by a step cap)
 *   A_t = δ_t + γλ A_{t+1},  return target R_t = A_t + V(s_t).
 */
import { LearnError } from './learn-error.ts';

export interface TrajectoryArrays {
  readonly size: number;
  readonly rewards: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly next: ArrayLike<number>;
  /** Value of the state after a trajectory's last row when the episode was truncated; else 0. */
  readonly bootstrap?: ArrayLike<number>;
}

function checkLinks(t: TrajectoryArrays): void {
  for (let r = 0; r < t.size; r++) {
    const n = t.next[r]!;
    if (n !== -1 && !(n > r && n < t.size)) {
      throw new LearnError('bad-rollout', `row ${r} links to row ${n}`, 'a trajectory row must link to a later row of the buffer, or -1');
    }
  }
}

/** Writes GAE advantages and return targets (value targets) for every row. */
export function computeGae(t: TrajectoryArrays, gamma: number, lambda: number, advantages: Float32Array, returns: Float32Array): void {
  checkLinks(t);
  for (let r = t.size - 1; r >= 0; r--) {
    const n = t.next[r]!;
    const nextValue = n < 0 ? (t.bootstrap?.[r] ?? 0) : t.values[n]!;
    const nextAdvantage = n < 0 ? 0 : advantages[n]!;
    const delta = t.rewards[r]! + gamma * nextValue - t.values[r]!;
    advantages[r] = delta + gamma * lambda * nextAdvantage;
    returns[r] = advantages[r]! + t.values[r]!;
  }
}

/** Discounted reward-to-go of every row: G_t = r_t + γ G_{t+1}. */
export function computeReturnsToGo(t: TrajectoryArrays, gamma: number, returns: Float32Array): void {
  checkLinks(t);
  for (let r = t.size - 1; r >= 0; r--) {
    const n = t.next[r]!;
    returns[r] = t.rewards[r]! + gamma * (n < 0 ? (t.bootstrap?.[r] ?? 0) : returns[n]!);
  }
}

/**
 * SPIRAL's role-conditioned advantage estimation: A_t = G_t − b_seat, where b_seat is an
 * EMA (decay `decay`) of the seat's mean return, updated after the advantages are taken,
 * so each batch is judged against the baselines from before it. `baselines` is updated in place.
 */
export function computeRae(
  t: TrajectoryArrays & { readonly seats: ArrayLike<number> },
  gamma: number,
  decay: number,
  baselines: Float64Array,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  computeReturnsToGo(t, gamma, returns);
  const sums = new Float64Array(baselines.length);
  const counts = new Float64Array(baselines.length);
  for (let r = 0; r < t.size; r++) {
    const seat = t.seats[r]!;
    advantages[r] = returns[r]! - baselines[seat]!;
    sums[seat] = sums[seat]! + returns[r]!;
    counts[seat] = counts[seat]! + 1;
  }
  for (let seat = 0; seat < baselines.length; seat++) {
    if (counts[seat]! > 0) baselines[seat] = decay * baselines[seat]! + (1 - decay) * (sums[seat]! / counts[seat]!);
  }
}

/** Rescales `values[0..size)` to mean 0 and standard deviation 1 (rows in `groups` separately). */
export function normalizeAdvantages(values: Float32Array, size: number, groups?: ArrayLike<number>): void {
  const keys = new Map<number, number[]>();
  for (let r = 0; r < size; r++) {
    const key = groups ? groups[r]! : 0;
    let rows = keys.get(key);
    if (!rows) keys.set(key, (rows = []));
    rows.push(r);
  }
  for (const rows of keys.values()) {
    let mean = 0;
    for (const r of rows) mean += values[r]!;
    mean /= rows.length;
    let variance = 0;
    for (const r of rows) variance += (values[r]! - mean) ** 2;
    const std = Math.sqrt(variance / rows.length);
    // A group of one row (or of equal advantages) carries no scale: only the mean is removed.
    const scale = std > 1e-8 ? 1 / std : 1;
    for (const r of rows) values[r] = (values[r]! - mean) * scale;
  }
}
