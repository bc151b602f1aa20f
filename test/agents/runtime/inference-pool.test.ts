import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { InferencePool, type PooledModel } from '../../../agents/runtime/inference-pool.ts';
import { InferenceWorker } from '../../../agents/runtime/inference-worker-client.ts';
import { InferenceServer } from '../../../agents/runtime/inference-server.ts';
import { createPolicyModel, type PolicyModel, type PolicyOutput } from '../../../agents/runtime/policy-model.ts';
import { RuntimeError } from '../../../agents/runtime/runtime-error.ts';
import { getEnv } from '../../../envs/index.ts';
import { randomBatch, thrown, useBackend } from './fixtures.ts';

const connectFour = getEnv('connect-four-v1');
const SIZE = 126;
const A = 7;

/**
 * Same kernels, same weights, rows computed independently: the outputs are bit-identical,
 * which seeded matches and resumed training runs rely on (1e-5 would only be the brief).
 */
function expectSameOutputs(actual: PolicyOutput, expected: PolicyOutput): void {
  expect(actual.probs).to.have.length(expected.probs.length);
  expect(actual.values).to.have.length(expected.values.length);
  expected.probs.forEach((p, i) => expect(actual.probs[i]).to.be.closeTo(p, 1e-5));
  expected.values.forEach((v, i) => expect(actual.values[i]).to.be.closeTo(v, 1e-5));
  expect([...actual.logits]).to.deep.equal([...expected.logits]);
  expect([...actual.probs]).to.deep.equal([...expected.probs]);
}

const run = promisify(execFile);

describe('agents/runtime/inference-pool', () => {
  let model: PolicyModel;
  let pool: InferencePool;
  let pooled: PooledModel;
  before(async () => {
    await useBackend();
    model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [64, 64] }, seed: 7 });
    pool = await InferencePool.start({ workers: 2, minBatch: 8 });
    pooled = await pool.load(model);
  });
  after(async () => { await pool.close(); model.dispose(); });

  it('returns the in-thread outputs for batches below the threshold, odd sizes and more rows than workers', async () => {
    for (const batch of [1, 7, 8, 9, 33, 257]) {
      const { observations, masks } = randomBatch(batch, batch, SIZE, A);
      const shards = pooled.shards(observations, masks, batch);
      expect(shards.length, `shards of batch ${batch}`).to.equal(batch < 8 ? 1 : 3); // 2 workers + this thread
      expect(shards.reduce((rows, s) => rows + s.rows, 0)).to.equal(batch);
      expect(shards.map((s) => s.worker).sort()).to.deep.equal(batch < 8 ? [null] : [0, 1, null]);
      expectSameOutputs(await pooled.forward(observations, masks, batch), model.forward(observations, masks, batch));
    }
  });

  it('cuts a batch into shards of at most shardRows rows, dealt to the lanes in turn', async () => {
    const { observations, masks } = randomBatch(8, 100, SIZE, A);
    const shards = pooled.shards(observations, masks, 100, 16);
    expect(shards.map((s) => s.rows).reduce((a, b) => a + b)).to.equal(100);
    expect(shards).to.have.length(7); // ceil(100 / 16)
    expect(shards.every((s) => s.rows <= 16)).to.equal(true);
    expect(shards.map((s) => s.worker)).to.deep.equal([0, 1, 0, 1, 0, null, null]); // workers' shards 0,1,3,4,6 posted first
    const reference = model.forward(observations, masks, 100);
    for (const shard of shards) {
      const output = await shard.output;
      output.values.forEach((v, i) => expect(v).to.be.closeTo(reference.values[shard.start + i]!, 1e-5));
    }
  });

  it('leaves the caller its input buffers (they are copied, not transferred)', async () => {
    const { observations, masks } = randomBatch(1, 40, SIZE, A);
    await pooled.forward(observations, masks, 40);
    expect(observations.length).to.equal(40 * SIZE);
    expect(masks.length).to.equal(40 * A);
  });

  it('serves the weights of load time until refresh() re-sends them', async () => {
    const trained = model.clone();
    const frozen = await pool.load(trained);
    const { observations, masks } = randomBatch(2, 64, SIZE, A);
    const before = trained.forward(observations, masks, 64);
    const scaled = trained.network.getWeights().map((w) => w.mul(1.5));
    trained.network.setWeights(scaled);
    scaled.forEach((w) => w.dispose());
    const after = trained.forward(observations, masks, 64);
    const shards = frozen.shards(observations, masks, 64);
    const here = shards.find((shard) => shard.worker === null)!;
    const own = await here.output; // this thread's shard: the current weights
    own.values.forEach((v, i) => expect(v).to.be.closeTo(after.values[here.start + i]!, 1e-5));
    for (const shard of shards.filter((s) => s.worker !== null)) { // the workers' shards: the weights of load time
      const stale = await shard.output;
      stale.values.forEach((v, i) => expect(v).to.be.closeTo(before.values[shard.start + i]!, 1e-5));
      expect(stale.values[0]).to.not.be.closeTo(after.values[shard.start]!, 1e-4);
    }
    await frozen.refresh();
    expectSameOutputs(await frozen.forward(observations, masks, 64), after);
    await frozen.unload();
    trained.dispose();
  });

  it('rejects a bad batch with the typed error of the in-thread forward', async () => {
    const { observations, masks } = randomBatch(3, 64, SIZE, A);
    const error = await thrown(() => pooled.forward(observations.subarray(0, 63 * SIZE), masks, 64));
    expect(error).to.be.instanceOf(RuntimeError);
    expect(error.code).to.equal('bad-inference-input');
  });
});

describe('agents/runtime/inference-worker-client', () => {
  before(useBackend);

  it('turns an error thrown in the worker into a typed RuntimeError', async () => {
    const model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 1 });
    const worker = await InferenceWorker.start('wasm');
    try {
      const { observations, masks } = randomBatch(4, 4, SIZE, A);
      const unknown = await thrown(() => worker.forward('nope', observations.slice(), masks.slice(), 4));
      expect(unknown).to.be.instanceOf(RuntimeError);
      expect(unknown.code).to.equal('unknown-policy');
      await worker.load('m', model.spec, model.network.getWeights().map((t) => ({ shape: [...t.shape], data: t.dataSync() as Float32Array })));
      const badShape = await thrown(() => worker.forward('m', observations.slice(0, 3 * SIZE), masks.slice(), 4));
      expect(badShape).to.be.instanceOf(RuntimeError);
      expect(badShape.code).to.equal('bad-inference-input');
      expect(badShape.message).to.include('126');
      const output = await worker.forward('m', observations.slice(), masks.slice(), 4); // still serving after the errors
      expectSameOutputs(output, model.forward(observations, masks, 4));
    } finally {
      await worker.terminate();
      model.dispose();
    }
  });

  it('fails to start with a typed error when the backend cannot load in the worker', async () => {
    const error = await thrown(() => InferenceWorker.start('tfjs-node-gpu'));
    expect(error).to.be.instanceOf(RuntimeError);
    expect(error.code).to.equal('backend-unavailable');
  });

  it('rejects passes in flight with inference-closed on terminate', async () => {
    const model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 1 });
    const worker = await InferenceWorker.start('wasm');
    await worker.load('m', model.spec, model.network.getWeights().map((t) => ({ shape: [...t.shape], data: t.dataSync() as Float32Array })));
    const { observations, masks } = randomBatch(5, 16, SIZE, A);
    const inFlight = worker.forward('m', observations, masks, 16).catch((error: unknown) => error as RuntimeError);
    await worker.terminate();
    expect(await inFlight).to.be.instanceOf(RuntimeError).with.property('code', 'inference-closed');
    expect((await thrown(() => worker.unload('m'))).code).to.equal('inference-closed');
    expect(worker.alive).to.equal(false);
    model.dispose();
  });
});

describe('agents/runtime/inference-server with workers', () => {
  before(useBackend);

  it('answers a large flush through the workers with the in-thread results, and closes them', async () => {
    const model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [32, 32] }, seed: 3 });
    const server = new InferenceServer({ workers: 1, minPooledBatch: 16 });
    server.register('c4', model);
    expect(await server.startWorkers()).to.equal(1);
    const n = 41;
    const { observations, masks } = randomBatch(6, n, SIZE, A);
    const row = <T extends Float32Array | Uint8Array>(data: T, i: number, width: number): T => data.subarray(i * width, (i + 1) * width) as T;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => server.infer('c4', row(observations, i, SIZE), row(masks, i, A))));
    const reference = model.forward(observations, masks, n);
    answers.forEach((answer, i) => {
      answer.probs.forEach((p, a) => expect(p).to.be.closeTo(reference.probs[i * A + a]!, 1e-5));
      expect(answer.value).to.be.closeTo(reference.values[i]!, 1e-5);
    });
    const stats = server.stats();
    expect(stats).to.include({ pooledFlushes: 1, flushes: 1, requests: n, workers: 1 });
    const small = await Promise.all([0, 1].map((i) => server.infer('c4', row(observations, i, SIZE), row(masks, i, A))));
    expect(small).to.have.length(2);
    expect(server.stats().pooledFlushes).to.equal(1); // 2 rows < minPooledBatch: in-thread
    await server.close();
    expect(server.stats().workers).to.equal(0);
    model.dispose();
  });

  it('leaves nothing that keeps the process alive after close()', async () => {
    const script = fileURLToPath(new URL('./scripts/pooled-server-exit.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 }); // a leaked handle: killed, rejected
    expect(JSON.parse(stdout)).to.deep.equal({ workers: 1, answers: 8, pooledFlushes: 1 });
  });

  it('starts no workers with workers: 0', async () => {
    const model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 3 });
    const server = new InferenceServer({ workers: 0 });
    server.register('c4', model);
    expect(await server.startWorkers()).to.equal(0);
    await server.close();
    model.dispose();
  });
});
