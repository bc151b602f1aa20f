/**
 * The masked categorical distribution over action ids: illegal actions get probability
 * exactly 0. Inference does the softmax in JS over the fetched logits (a few hundred
 * floats per flush, exact zeros, no mask upload); learners use the tfjs form, which sets
 * illegal logits to a large negative number so gradients flow through the legal ones only.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActionId, Rng } from '../../envs/index.ts';

/** Logit given to illegal actions in the tfjs form: exp() of it underflows to 0 in float32. */
export const MASKED_LOGIT = -1e9;

/**
 * Row-wise softmax over the legal entries of `logits` [batch, numActions]. Illegal entries
 * are exactly 0; a row with no legal action is all 0.
 */
export function maskedSoftmax(
  logits: Float32Array, masks: Uint8Array, batch: number, numActions: number,
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
    if (probs[a]! > bestP) { best = a; bestP = probs[a]!; }
  }
  return best;
}

/** tfjs form: illegal logits replaced by MASKED_LOGIT. `mask` is [batch, A] of 0/1 (any dtype). */
export function maskLogits(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(tf.greater(mask, 0), logits, tf.fill(logits.shape, MASKED_LOGIT)) as tf.Tensor2D);
}

/** Log-probabilities of the masked categorical [batch, A]; illegal entries are about -1e9. */
export function maskedLogSoftmax(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.logSoftmax(maskLogits(logits, mask)) as tf.Tensor2D);
}
