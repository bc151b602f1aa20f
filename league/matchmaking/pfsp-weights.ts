/**
 * Prioritised fictitious self-play weightings (AlphaStar, Vinyals et al. 2019): an opponent
 * the focal player beats with probability x gets weight f(x). `hard` = (1 - x)^p puts no
 * games on opponents already always beaten; `variance` = x(1 - x) favours opponents of equal
 * strength. When every weight is (nearly) zero the draw falls back to uniform, as in the
 * official pseudocode.
 */
import { z } from 'zod';
import type { Rng } from '../../envs/index.ts';

export const PfspWeightingSchema = z.enum(['hard', 'variance', 'linear', 'linear_capped']);
export type PfspWeighting = z.infer<typeof PfspWeightingSchema>;

/** Below this total weight the distribution is uniform (pseudocode: 1e-10). */
const MIN_TOTAL_WEIGHT = 1e-10;

export function pfspWeight(x: number, weighting: PfspWeighting, p = 2): number {
  switch (weighting) {
    case 'hard':
      return (1 - x) ** p;
    case 'variance':
      return x * (1 - x);
    case 'linear':
      return 1 - x;
    case 'linear_capped':
      return Math.min(0.5, 1 - x);
  }
}

/** Normalised PFSP probabilities for the given win rates (uniform if all weights vanish). */
export function pfspProbabilities(winRates: readonly number[], weighting: PfspWeighting, p = 2): number[] {
  const weights = winRates.map((x) => pfspWeight(x, weighting, p));
  const total = weights.reduce((s, w) => s + w, 0);
  if (total < MIN_TOTAL_WEIGHT) return winRates.map(() => 1 / winRates.length);
  return weights.map((w) => w / total);
}

/**
 * `pfspProbabilities` written into `out` when it has the right length (else a new array;
 * returns the one written), with
 * the same arithmetic in the same order, so draws from it are bit-identical: the per-match
 * path of the PFSP matchmaker, which allocates nothing per opponent.
 */
export function pfspProbabilitiesInto(winRates: ArrayLike<number>, weighting: PfspWeighting, p: number, out: Float64Array): Float64Array {
  const n = winRates.length;
  const probs = out.length === n ? out : new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    probs[i] = pfspWeight(winRates[i]!, weighting, p);
    total += probs[i]!;
  }
  if (total < MIN_TOTAL_WEIGHT) probs.fill(1 / n);
  else for (let i = 0; i < n; i++) probs[i] = probs[i]! / total;
  return probs;
}

/** Draws one candidate with PFSP probabilities. `candidates` must not be empty. */
export function samplePfsp<T>(rng: Rng, candidates: readonly T[], winRates: readonly number[], weighting: PfspWeighting, p = 2): T {
  return candidates[rng.weighted(pfspProbabilities(winRates, weighting, p))] as T;
}

/**
 * AlphaStar's `remove_monotonic_suffix`: given win rates against a player's snapshots, oldest
 * first, drops the trailing run where the win rate only falls (newer snapshots that are just
 * harder), keeping everything up to the last point where it rose. What remains are old
 * snapshots the focal player has "forgotten" how to beat. Returns the kept length (0: none).
 */
export function monotonicPrefixLength(winRates: readonly number[]): number {
  for (let i = winRates.length - 1; i > 0; i--) {
    if ((winRates[i - 1] as number) < (winRates[i] as number)) return i + 1;
  }
  return 0;
}
