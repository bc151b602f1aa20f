/**
 * The masked categorical in tfjs, for learners: illegal logits are replaced by a large
 * negative number, so their probabilities underflow to 0 and gradients flow through the
 * legal actions only. Inference uses the JS form in `masked-categorical.ts`.
 */
import * as tf from '@tensorflow/tfjs';

/** Logit given to illegal actions: exp() of it relative to any legal logit is 0 in float32. */
export const MASKED_LOGIT = -1e9;

/** tfjs form: illegal logits replaced by MASKED_LOGIT. `mask` is [batch, A] of 0/1 (any dtype). */
export function maskLogits(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(tf.greater(mask, 0), logits, tf.fill(logits.shape, MASKED_LOGIT)) as tf.Tensor2D);
}

/** Log-probabilities of the masked categorical [batch, A]; illegal entries are about -1e9. */
export function maskedLogSoftmax(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.logSoftmax(maskLogits(logits, mask)) as tf.Tensor2D);
}
