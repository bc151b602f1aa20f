import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { ppoLoss, type PpoLossSettings } from '../../../agents/learn/ppo-loss.ts';
import { useBackend } from './fixtures.ts';

const SETTINGS: PpoLossSettings = { clip: 0.2, valueClip: null, valueCoef: 0.5, entropyCoef: 0.01 };

/** One row: actions 0 and 1 legal, action 2 illegal; the chosen action is 0. */
function row(oldProb: number, advantage: number) {
  return {
    masks: tf.tensor2d([[1, 1, 0]]),
    actions: tf.tensor1d([0], 'int32'),
    oldLogProbs: tf.tensor1d([Math.log(oldProb)]),
    oldValues: tf.tensor1d([1]),
    advantages: tf.tensor1d([advantage]),
    returns: tf.tensor1d([3]),
  };
}

const read = (t: tf.Tensor) => t.dataSync()[0]!;

describe('agents/learn/ppo-loss', () => {
  before(useBackend);

  it('matches a hand computation at ratio 1: −A, ½(V − R)², entropy ln 2 over the legal pair', () => {
    tf.tidy(() => {
      const parts = ppoLoss(tf.tensor2d([[0, 0, 5]]), tf.tensor2d([[1]]), row(0.5, 2), SETTINGS);
      expect(read(parts.policyLoss)).to.be.closeTo(-2, 1e-5);
      expect(read(parts.valueLoss)).to.be.closeTo(0.5 * 4, 1e-5);
      expect(read(parts.entropy)).to.be.closeTo(Math.log(2), 1e-5);
      expect(read(parts.loss)).to.be.closeTo(-2 + 0.5 * 2 - 0.01 * Math.log(2), 1e-5);
      expect(read(parts.approxKl)).to.be.closeTo(0, 1e-6);
      expect(read(parts.clipFraction)).to.equal(0);
    });
  });

  it('clips the ratio for a positive advantage but not for a negative one', () => {
    tf.tidy(() => {
      // π(0) = 0.5 now, 0.25 before: ratio 2, clipped to 1.2 when that lowers the objective.
      expect(read(ppoLoss(tf.tensor2d([[0, 0, 5]]), tf.tensor2d([[1]]), row(0.25, 1), SETTINGS).policyLoss)).to.be.closeTo(-1.2, 1e-5);
      expect(read(ppoLoss(tf.tensor2d([[0, 0, 5]]), tf.tensor2d([[1]]), row(0.25, -1), SETTINGS).policyLoss)).to.be.closeTo(2, 1e-5);
      expect(read(ppoLoss(tf.tensor2d([[0, 0, 5]]), tf.tensor2d([[1]]), row(0.25, 1), SETTINGS).clipFraction)).to.equal(1);
    });
  });

  it('ignores illegal actions: the loss does not change with their logits and their gradient is 0', () => {
    tf.tidy(() => {
      const loss = (logits: tf.Tensor2D) => ppoLoss(logits, tf.tensor2d([[1]]), row(0.4, 1.5), SETTINGS).loss;
      const a = read(loss(tf.tensor2d([[0.3, -0.1, 8]])));
      const b = read(loss(tf.tensor2d([[0.3, -0.1, -40]])));
      expect(a).to.equal(b);
      const grad = tf.grad((logits: tf.Tensor) => loss(logits as tf.Tensor2D))(tf.tensor2d([[0.3, -0.1, 8]]));
      const g = grad.dataSync();
      expect(g[2]).to.equal(0);
      expect(Math.abs(g[0]!)).to.be.greaterThan(0);
    });
  });

  it('clips the value update around the old value when valueClip is set', () => {
    tf.tidy(() => {
      // V = 2 moved 1 from the old value 1; clipped to 1.2: max((2−3)², (1.2−3)²) = 3.24.
      const parts = ppoLoss(tf.tensor2d([[0, 0, 0]]), tf.tensor2d([[2]]), row(0.5, 0), { ...SETTINGS, valueClip: 0.2 });
      expect(read(parts.valueLoss)).to.be.closeTo(0.5 * 3.24, 1e-5);
    });
  });
});
