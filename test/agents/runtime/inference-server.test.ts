import { expect } from 'chai';
import { InferenceServer } from '../../../agents/runtime/inference-server.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../envs/index.ts';
import { randomBatch, thrown, useBackend } from './fixtures.ts';

const connectFour = getEnv('connect-four-v1');
const ticTacToe = getEnv('tic-tac-toe-v1');
const SIZE = 126;
const A = 7;

const row = <T extends Float32Array | Uint8Array>(data: T, i: number, width: number): T => data.subarray(i * width, (i + 1) * width) as T;

describe('agents/runtime/inference-server', () => {
  let c4: PolicyModel;
  let ttt: PolicyModel;
  before(async () => {
    await useBackend();
    c4 = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [32, 32] }, seed: 1 });
    ttt = createPolicyModel(ticTacToe, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 2 });
  });
  after(() => {
    c4.dispose();
    ttt.dispose();
  });

  it('answers N requests submitted together with one forward pass, each caller getting its own row', async () => {
    const server = new InferenceServer();
    server.register('c4', c4);
    const n = 12;
    const { observations, masks } = randomBatch(3, n, SIZE, A);
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => server.infer('c4', row(observations, i, SIZE), row(masks, i, A))));
    const stats = server.stats();
    expect(stats.flushes).to.equal(1);
    expect(stats.batchSizes).to.deep.equal({ 12: 1 });
    expect(stats.requests).to.equal(n);
    answers.forEach((answer, i) => {
      const alone = c4.forward(row(observations, i, SIZE), row(masks, i, A), 1); // unbatched reference
      expect(answer.probs).to.have.length(A);
      answer.probs.forEach((p, a) => expect(p).to.be.closeTo(alone.probs[a]!, 1e-5));
      expect(answer.value).to.be.closeTo(alone.values[0]!, 1e-5);
    });
    server.close();
  });

  it('flushes as soon as a queue reaches maxBatch', async () => {
    const server = new InferenceServer({ maxBatch: 4 });
    server.register('c4', c4);
    const { observations, masks } = randomBatch(4, 10, SIZE, A);
    await Promise.all(Array.from({ length: 10 }, (_, i) => server.infer('c4', row(observations, i, SIZE), row(masks, i, A))));
    expect(server.stats().batchSizes).to.deep.equal({ 2: 1, 4: 2 });
    server.close();
  });

  it('flushes a lone request after maxWaitMs when not flushing on idle', async () => {
    const server = new InferenceServer({ maxWaitMs: 1, flushWhenIdle: false });
    server.register('c4', c4);
    const { observations, masks } = randomBatch(5, 1, SIZE, A);
    const answer = await server.infer('c4', observations, masks);
    expect(answer.probs.reduce((s, p) => s + p, 0)).to.be.closeTo(1, 1e-6);
    expect(server.stats()).to.include({ flushes: 1, requests: 1 });
    server.close();
  });

  it('keeps one queue per policy: one forward pass per policy and flush', async () => {
    const server = new InferenceServer();
    server.register('c4', c4);
    server.register('ttt', ttt);
    const a = randomBatch(6, 3, SIZE, A);
    const b = randomBatch(7, 2, 27, 9);
    const answers = await Promise.all([
      ...[0, 1, 2].map((i) => server.infer('c4', row(a.observations, i, SIZE), row(a.masks, i, A))),
      ...[0, 1].map((i) => server.infer('ttt', row(b.observations, i, 27), row(b.masks, i, 9))),
    ]);
    expect(answers.map((x) => x.probs.length)).to.deep.equal([7, 7, 7, 9, 9]);
    expect(server.stats().batchSizes).to.deep.equal({ 2: 1, 3: 1 });
    server.close();
  });

  it('rejects pending and later requests with inference-closed when closed', async () => {
    const server = new InferenceServer({ maxWaitMs: 1000, flushWhenIdle: false });
    server.register('c4', c4);
    const { observations, masks } = randomBatch(8, 1, SIZE, A);
    const pending = server.infer('c4', observations, masks);
    server.close();
    expect((await thrown(() => pending)).code).to.equal('inference-closed');
    expect((await thrown(() => server.infer('c4', observations, masks))).code).to.equal('inference-closed');
  });

  it('rejects unknown policies and inputs of the wrong size', async () => {
    const server = new InferenceServer();
    server.register('c4', c4);
    const unknown = await thrown(() => server.infer('nope', new Float32Array(SIZE), new Uint8Array(A)));
    expect(unknown.code).to.equal('unknown-policy');
    expect(unknown.message).to.include('c4');
    expect((await thrown(() => server.infer('c4', new Float32Array(27), new Uint8Array(A)))).code).to.equal('bad-inference-input');
    server.close();
  });

  it('copies observations when queued, so callers may reuse their buffers', async () => {
    const server = new InferenceServer();
    server.register('c4', c4);
    const { observations, masks } = randomBatch(9, 2, SIZE, A);
    const buffer = row(observations, 0, SIZE).slice();
    const first = server.infer('c4', buffer, row(masks, 0, A));
    buffer.set(row(observations, 1, SIZE));
    const second = server.infer('c4', buffer, row(masks, 1, A));
    const [x, y] = await Promise.all([first, second]);
    const reference = c4.forward(observations, masks, 2);
    expect(x.value).to.be.closeTo(reference.values[0]!, 1e-5);
    expect(y.value).to.be.closeTo(reference.values[1]!, 1e-5);
    expect(x.value).to.not.equal(y.value);
    server.close();
  });
});
