/**
 * The PPO objective (Schulman et al. 2017) over a minibatch, in tfjs, on the masked
 * categorical: illegal actions get logit −1e9 (masked-logits.ts), so they carry no
 * probability, no entropy and no gradient.
 *   L = −mean(min(ρA, clip(ρ, 1−ε, 1+ε)A)) + c_v · ½mean((V − R)²) − c_e · mean(H)
 * with ρ = exp(log π(a|s) − log π_old(a|s)).
 */
import * as tf from '@tensorflow/tfjs';
import { maskedLogSoftmax } from '../runtime/masked-logits.ts';

export interface PpoMinibatch {
  /** [n, A] mask of 0/1. */
  readonly masks: tf.Tensor2D;
  /** [n] int32 chosen action ids. */
  readonly actions: tf.Tensor1D;
  readonly oldLogProbs: tf.Tensor1D;
  readonly oldValues: tf.Tensor1D;
  readonly advantages: tf.Tensor1D;
  readonly returns: tf.Tensor1D;
}

export interface PpoLossSettings {
  readonly clip: number;
  readonly valueClip: number | null;
  readonly valueCoef: number;
  readonly entropyCoef: number;
}

export interface PpoLossParts {
  readonly loss: tf.Scalar;
  readonly policyLoss: tf.Scalar;
  readonly valueLoss: tf.Scalar;
  readonly entropy: tf.Scalar;
  /** mean(ρ − 1 − log ρ): the low-variance KL estimate (Schulman's k3). */
  readonly approxKl: tf.Scalar;
  /** Share of rows whose ratio left [1−ε, 1+ε]. */
  readonly clipFraction: tf.Scalar;
}

/** The loss from the network's outputs: logits [n, A] and values [n, 1] or [n]. Call inside a tidy or variableGrads. */
export function ppoLoss(logits: tf.Tensor2D, values: tf.Tensor, batch: PpoMinibatch, s: PpoLossSettings): PpoLossParts {
  const numActions = logits.shape[1]!;
  const logProbsAll = maskedLogSoftmax(logits, batch.masks);
  const oneHot = tf.oneHot(batch.actions, numActions).toFloat();
  const logProbs = tf.sum(tf.mul(logProbsAll, oneHot), 1);
  const logRatio = tf.sub(logProbs, batch.oldLogProbs);
  const ratio = tf.exp(logRatio);
  const unclipped = tf.mul(ratio, batch.advantages);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - s.clip, 1 + s.clip), batch.advantages);
  const policyLoss = tf.neg(tf.mean(tf.minimum(unclipped, clipped))) as tf.Scalar;

  const v = tf.reshape(values, [-1]);
  let valueError = tf.square(tf.sub(v, batch.returns));
  if (s.valueClip !== null) {
    const vClipped = tf.add(batch.oldValues, tf.clipByValue(tf.sub(v, batch.oldValues), -s.valueClip, s.valueClip));
    valueError = tf.maximum(valueError, tf.square(tf.sub(vClipped, batch.returns)));
  }
  const valueLoss = tf.mul(0.5, tf.mean(valueError)) as tf.Scalar;

  // Illegal entries have p = 0 exactly; `where` keeps 0 · (−1e9) out of the sum and its gradient.
  const probs = tf.exp(logProbsAll);
  const plogp = tf.where(tf.greater(batch.masks, 0), tf.mul(probs, logProbsAll), tf.zerosLike(probs));
  const entropy = tf.neg(tf.mean(tf.sum(plogp, 1))) as tf.Scalar;

  const loss = tf.addN([policyLoss, tf.mul(s.valueCoef, valueLoss), tf.mul(-s.entropyCoef, entropy)]) as tf.Scalar;
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as tf.Scalar;
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), s.clip), 'float32')) as tf.Scalar;
  return { loss, policyLoss, valueLoss, entropy, approxKl, clipFraction };
}
