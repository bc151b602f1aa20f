import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { maskedLogSoftmax } from '../../../agents/runtime/masked-logits.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv, Rng } from '../../../envs/index.ts';
import { randomBatch, thrownSync, useBackend } from './fixtures.ts';

const connectFour = getEnv('connect-four-v1');
const A = 7;
const SIZE = 3 * 6 * 7;

describe('agents/runtime/policy-model', () => {
  const models: PolicyModel[] = [];
  const make = (...args: Parameters<typeof createPolicyModel>) => {
    const model = createPolicyModel(...args);
    models.push(model);
    return model;
  };
  before(useBackend);
  after(() => models.forEach((m) => m.dispose()));

  it('describes the env, params, dims and arch it was built for', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 1 });
    expect(model.spec).to.deep.equal({
      env: 'connect-four-v1',
      params: { rows: 6, columns: 7, xInRow: 4, egocentric: false },
      observationShape: [3, 6, 7],
      numDistinctActions: 7,
      arch: { kind: 'mlp', hidden: [16] },
    });
    expect(model.network.outputs.map((o) => o.shape)).to.deep.equal([
      [null, 7],
      [null, 1],
    ]);
  });

  it('gives one probability row per observation: illegal actions exactly 0, each row summing to 1', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [32, 32] }, seed: 2 });
    const batch = 6;
    const { observations, masks } = randomBatch(7, batch, SIZE, A);
    const { probs, values, logits } = model.forward(observations, masks, batch);
    expect(probs).to.have.length(batch * A);
    expect(values).to.have.length(batch);
    expect(logits).to.have.length(batch * A);
    for (let row = 0; row < batch; row++) {
      let total = 0;
      let legalLogitSum = 0;
      for (let a = 0; a < A; a++) {
        const p = probs[row * A + a]!;
        if (masks[row * A + a]) {
          expect(p).to.be.greaterThan(0);
          legalLogitSum += Math.exp(logits[row * A + a]!);
        } else {
          expect(p).to.equal(0);
        }
        total += p;
      }
      expect(total).to.be.closeTo(1, 1e-6);
      // p(a) = exp(l_a) / sum over legal actions of exp(l_b)
      const a0 = [...masks.subarray(row * A, (row + 1) * A)].indexOf(1);
      expect(probs[row * A + a0]!).to.be.closeTo(Math.exp(logits[row * A + a0]!) / legalLogitSum, 1e-6);
    }
  });

  it('answers a row with no legal action with all zeros', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 3 });
    const { observations } = randomBatch(1, 1, SIZE, A);
    expect([...model.forward(observations, new Uint8Array(A), 1).probs]).to.deep.equal(new Array(A).fill(0));
  });

  it('is a pure function of the seed', () => {
    const { observations, masks } = randomBatch(11, 3, SIZE, A);
    const a = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 5 }).forward(observations, masks, 3);
    const b = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 5 }).forward(observations, masks, 3);
    const c = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 6 }).forward(observations, masks, 3);
    expect([...a.logits]).to.deep.equal([...b.logits]);
    expect([...a.logits]).to.not.deep.equal([...c.logits]);
  });

  it('builds a conv network over [C,H,W] observations', () => {
    const model = make(connectFour, {}, { arch: { kind: 'conv', channels: [4, 4], hidden: [16] }, seed: 1 });
    const { observations, masks } = randomBatch(2, 4, SIZE, A);
    const { probs, values } = model.forward(observations, masks, 4);
    expect(probs).to.have.length(4 * A);
    expect(values).to.have.length(4);
    expect(model.network.getLayer('conv_0').outputShape).to.deep.equal([null, 6, 7, 4]);
  });

  it('builds a patch network that computes a valid k x k convolution with frozen patch extraction', () => {
    const model = make(connectFour, {}, { arch: { kind: 'patch', kernel: 4, filters: 5, hidden: [8] }, seed: 4 });
    const trainable = model.network.trainableWeights.map((w) => w.originalName);
    expect(trainable.some((name) => name.startsWith('patches'))).to.equal(false);
    expect(trainable).to.include('patch_filters/kernel');
    const { observations } = randomBatch(3, 2, SIZE, A);
    const [kernel, bias] = model.network.getLayer('patch_filters').getWeights() as [tf.Tensor2D, tf.Tensor1D];
    const features = tf.tidy(() => {
      const probe = tf.model({ inputs: model.network.inputs, outputs: model.network.getLayer('patch_filters').output as tf.SymbolicTensor });
      return (probe.predict(tf.tensor2d(observations, [2, SIZE])) as tf.Tensor).arraySync() as number[][][];
    });
    // The same convolution by tf.conv2d: rows of the patch kernel are (c, dy, dx), conv2d wants [dy, dx, c, filters].
    const expected = tf.tidy(() => {
      const planes = tf.tensor4d(observations, [2, 3, 6, 7]).transpose([0, 2, 3, 1]);
      const filters = kernel.reshape([3, 4, 4, 5]).transpose([1, 2, 0, 3]) as tf.Tensor4D;
      return tf
        .relu(tf.conv2d(planes as tf.Tensor4D, filters, 1, 'valid').add(bias))
        .reshape([2, 12, 5])
        .arraySync() as number[][][];
    });
    expect(features.length).to.equal(2);
    features.forEach((row, b) => row.forEach((window, w) => window.forEach((v, f) => expect(v).to.be.closeTo(expected[b]![w]![f]!, 1e-5))));
  });

  it('refuses a patch kernel larger than the board', () => {
    const error = thrownSync(() => createPolicyModel(connectFour, {}, { arch: { kind: 'patch', kernel: 7, filters: 4, hidden: [] } }));
    expect(error.code).to.equal('bad-arch');
    expect(error.message).to.include('[3, 6, 7]');
  });

  it('refuses a conv network on a flat observation, and malformed architectures', () => {
    const rps = getEnv('rock-paper-scissors-v1');
    const error = thrownSync(() => createPolicyModel(rps, {}, { arch: { kind: 'conv', channels: [4], hidden: [] } }));
    expect(error.code).to.equal('bad-arch');
    expect(error.message).to.include('[9]');
    expect(thrownSync(() => createPolicyModel(rps, {}, { arch: { kind: 'mlp', hidden: [0] } })).code).to.equal('bad-arch');
  });

  it('rejects observations or masks of the wrong size', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } });
    const error = thrownSync(() => model.forward(new Float32Array(SIZE - 1), new Uint8Array(A), 1));
    expect(error.code).to.equal('bad-inference-input');
    expect(thrownSync(() => model.forward(new Float32Array(SIZE), new Uint8Array(A + 1), 1)).code).to.equal('bad-inference-input');
  });

  it('acts greedily by argmax and samples only legal actions', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 9 });
    const batch = 20;
    const { observations, masks } = randomBatch(4, batch, SIZE, A);
    const greedy = model.act(observations, masks, batch, { greedy: true });
    const sampled = model.act(observations, masks, batch, { rng: new Rng(1) });
    for (let row = 0; row < batch; row++) {
      const probs = [...greedy.probs.subarray(row * A, (row + 1) * A)];
      expect(greedy.actions[row]).to.equal(probs.indexOf(Math.max(...probs)));
      expect(masks[row * A + sampled.actions[row]!]).to.equal(1);
    }
  });

  it('clones into an independent copy with the same outputs', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 12 });
    const copy = model.clone();
    models.push(copy);
    const { observations, masks } = randomBatch(13, 3, SIZE, A);
    const before = model.forward(observations, masks, 3);
    expect([...copy.forward(observations, masks, 3).logits]).to.deep.equal([...before.logits]);
    model.network.setWeights(model.network.getWeights().map((w) => tf.zerosLike(w)));
    expect([...model.forward(observations, masks, 3).logits]).to.deep.equal(new Array(3 * A).fill(0));
    expect([...copy.forward(observations, masks, 3).logits]).to.deep.equal([...before.logits]);
  });

  it('agrees with the tfjs masked log-softmax learners use', () => {
    const model = make(connectFour, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 4 });
    const { observations, masks } = randomBatch(8, 5, SIZE, A);
    const { probs, logits } = model.forward(observations, masks, 5);
    const logProbs = tf.tidy(() => maskedLogSoftmax(tf.tensor2d(logits, [5, A]), tf.tensor2d(masks, [5, A], 'int32')).dataSync());
    for (let i = 0; i < probs.length; i++) {
      if (masks[i]) expect(Math.exp(logProbs[i]!)).to.be.closeTo(probs[i]!, 1e-6);
      else expect(Math.exp(logProbs[i]!)).to.equal(0);
    }
  });
});
