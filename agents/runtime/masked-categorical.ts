/**
 * The masked categorical distribution over action ids: illegal actions get probability
 * exactly 0. Inference does the softmax in JS over the fetched logits (a few hundred
 * floats per flush, exact zeros, no mask upload); learners use the tfjs form in
 * `masked-logits.ts`. No tfjs here, so agents can sample without loading it.
 */
import type { ActionId, Rng } from '../../envs/index.ts';

/**
 * Row-wise softmax over the legal entries of `logits` [batch, numActions]. Illegal entries
 * are exactly 0; a row with no legal action is all 0.
 */
export function maskedSoftmax(
  logits: Float32Array,
  masks: Uint8Array,
  batch: number,
  numActions: number,
  out: Float32Array = new Float32Array(batch * numActions),
): Float32Array {
  for (let row = 0; row < batch; row++) {
    const base = row * numActions;
    let max = -Infinity;
    for (let a = 0; a < numActions; a++) if (masks[base + a] && logits[base + a]! > max) max = logits[base + a]!;
    let total = 0;
    for (let a = 0; a < numActions; a++) {
      const p = masks[base + a] ? Math.exp(logits[base + a]! - max) : 0;
      out[base + a] = p;
      total += p;
    }
    if (total > 0) for (let a = 0; a < numActions; a++) out[base + a]! /= total;
  }
  return out;
}

/** An action drawn from `probs` (illegal entries are 0, so never drawn). */
export function sampleAction(probs: ArrayLike<number>, rng: Rng): ActionId {
  return rng.weighted(probs);
}

/** The most probable action; the lowest id on ties. -1 if every probability is 0. */
export function greedyAction(probs: ArrayLike<number>): ActionId {
  let best = -1;
  let bestP = 0;
  for (let a = 0; a < probs.length; a++) {
    if (probs[a]! > bestP) {
      best = a;
      bestP = probs[a]!;
    }
  }
  return best;
}
