/**
 * Seeded binomial and multinomial sampling for the bootstrap. A multinomial over K cells is
 * drawn as K sequential conditional binomials, so one resample of a million results costs
 * O(K · √(n·p·q)) instead of O(n).
 *
 * The binomial sampler is exact inversion, searched outward from the mode (Kemp's
 * mode-centred inversion): outcomes are visited in the fixed order m, m−1, m+1, m−2, ...,
 * and the first whose cumulative mass exceeds the uniform draw is returned. Expected cost is
 * O(√(n·p·q)) steps. Accuracy is limited only by floating point (the mode's pmf comes from a
 * log-factorial with ~1e-9 relative error at n = 1e6, propagated by exact ratios) and by the
 * 2^-32 granularity of `Rng.float()`: outcomes with total mass below ~2e-10 are never drawn.
 * No normal approximation is used.
 */
import type { Rng } from '../../envs/index.ts';

const TABLE_SIZE = 1024;
const LOG_FACTORIAL = (() => {
  const table = new Float64Array(TABLE_SIZE);
  for (let k = 1; k < TABLE_SIZE; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
})();

/** ln(k!) for an integer k ≥ 0: a table below 1024, Stirling's series above (truncation error < 1e-24). */
export function logFactorial(k: number): number {
  if (k < TABLE_SIZE) return LOG_FACTORIAL[k]!;
  const inv = 1 / k;
  const inv2 = inv * inv;
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** One draw from Binomial(n, p); n a non-negative integer, p in [0, 1]. */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  const logQ = Math.log1p(-p);
  const ratio = p / (1 - p);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const fMode = Math.exp(logFactorial(n) - logFactorial(mode) - logFactorial(n - mode) + mode * Math.log(p) + (n - mode) * logQ);
  let u = rng.float() - fMode;
  if (u < 0) return mode;
  let lo = mode;
  let hi = mode;
  let fLo = fMode;
  let fHi = fMode;
  for (;;) {
    if (lo > 0) {
      fLo *= lo / ((n - lo + 1) * ratio); // pmf(lo − 1) from pmf(lo)
      lo--;
      u -= fLo;
      if (u < 0) return lo;
    }
    if (hi < n) {
      fHi *= ((n - hi) / (hi + 1)) * ratio; // pmf(hi + 1) from pmf(hi)
      hi++;
      u -= fHi;
      if (u < 0) return hi;
    }
    // Only rounding residue is left (both tails exhausted or underflowed).
    if ((lo === 0 || fLo === 0) && (hi === n || fHi === 0)) return mode;
  }
}

/**
 * Draws `n` items over cells with non-negative `weights` (need not sum to 1) and writes the
 * counts to `out` (same length as `weights`). Zero-weight cells always get 0; the counts sum
 * to exactly `n`.
 */
export function sampleMultinomial(rng: Rng, n: number, weights: ArrayLike<number>, out: Float64Array): Float64Array {
  const k = weights.length;
  const suffix = new Float64Array(k + 1);
  for (let i = k - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + weights[i]!;
  if (n > 0 && !(suffix[0]! > 0)) throw new RangeError('sampleMultinomial: no positive weight');
  let left = n;
  for (let i = 0; i < k; i++) {
    const w = weights[i]!;
    if (left === 0 || w <= 0) {
      out[i] = 0;
      continue;
    }
    // The last positive cell has w === suffix[i] exactly, so it takes everything left.
    const x = w >= suffix[i]! ? left : sampleBinomial(rng, left, w / suffix[i]!);
    out[i] = x;
    left -= x;
  }
  return out;
}
