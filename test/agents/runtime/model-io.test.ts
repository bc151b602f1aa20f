import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from '../../../agents/runtime/arch-schema.ts';
import { loadModel, saveModel } from '../../../agents/runtime/model-io.ts';
import { paramsOfModels, readManifest } from '../../../agents/runtime/model-manifest.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../envs/index.ts';
import { randomBatch, thrown, thrownSync, useBackend } from './fixtures.ts';

const connectFour = getEnv('connect-four-v1');
const ticTacToe = getEnv('tic-tac-toe-v1');

describe('agents/runtime/model-io', () => {
  let root: string;
  const models: PolicyModel[] = [];
  const keep = <T extends PolicyModel>(model: T): T => {
    models.push(model);
    return model;
  };

  before(async () => {
    await useBackend();
    root = mkdtempSync(join(tmpdir(), 'ludus-model-io-'));
  });
  after(() => {
    models.forEach((m) => m.dispose());
    rmSync(root, { recursive: true, force: true });
  });

  it('round-trips a model: same spec, bit-identical outputs', async () => {
    const archs: Arch[] = [
      { kind: 'mlp', hidden: [32, 16] },
      { kind: 'conv', channels: [4], hidden: [8] },
      { kind: 'patch', kernel: 4, filters: 4, hidden: [8] },
    ];
    for (const arch of archs) {
      const dir = join(root, `round-trip-${arch.kind}`);
      const model = keep(createPolicyModel(connectFour, {}, { arch, seed: 3 }));
      await saveModel(model, dir);
      const loaded = keep(await loadModel(dir, { env: 'connect-four-v1' }));
      expect(loaded.spec).to.deep.equal(model.spec);
      const { observations, masks } = randomBatch(5, 4, 126, 7);
      const before = model.forward(observations, masks, 4);
      const after = loaded.forward(observations, masks, 4);
      expect([...after.probs]).to.deep.equal([...before.probs]);
      expect([...after.values]).to.deep.equal([...before.values]);
    }
  });

  it('writes tfjs model.json + weights.bin and a manifest with env, params, dims, arch, time and parent', async () => {
    const dir = join(root, 'manifest');
    const model = keep(createPolicyModel(connectFour, { egocentric: true }, { arch: { kind: 'mlp', hidden: [8] } }));
    const written = await saveModel(model, dir, { parent: 'models/gen-0', extra: { steps: 1000 } });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).to.deep.equal(written);
    expect(manifest).to.include({ format: 1, env: 'connect-four-v1', parent: 'models/gen-0' });
    expect(manifest.params).to.deep.equal({ rows: 6, columns: 7, xInRow: 4, egocentric: true });
    expect(manifest.dims).to.deep.equal({ observationShape: [3, 6, 7], numDistinctActions: 7 });
    expect(manifest.arch).to.deep.equal({ kind: 'mlp', hidden: [8] });
    expect(manifest.extra).to.deep.equal({ steps: 1000 });
    expect(new Date(manifest.created).toISOString()).to.equal(manifest.created);
    const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
    // 126*8 + 8 (dense) + 8*7 + 7 (logits) + 8 + 1 (value) float32 weights
    expect(readFileSync(join(dir, 'weights.bin')).length).to.equal(4 * (126 * 8 + 8 + 8 * 7 + 7 + 8 + 1));
    expect(readManifest(dir).parent).to.equal('models/gen-0');
  });

  it('refuses to load a model for another env, naming both', async () => {
    const dir = join(root, 'c4');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    const error = await thrown(() => loadModel(dir, { env: 'tic-tac-toe-v1' }));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('connect-four-v1').and.to.include('tic-tac-toe-v1');
  });

  it('refuses params whose dims differ from the model', async () => {
    const dir = join(root, 'c4-dims');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    const error = await thrown(() => loadModel(dir, { env: 'connect-four-v1', params: { rows: 7 } }));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('[3, 6, 7]').and.to.include('[3, 7, 7]');
  });

  it('refuses params it was not trained with even when the dims agree, and uses its own when given none', async () => {
    const dir = join(root, 'c4-egocentric');
    await saveModel(keep(createPolicyModel(connectFour, { egocentric: true }, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    // Absolute planes have the shape of egocentric ones: only the params tell them apart.
    const error = await thrown(() => loadModel(dir, { env: 'connect-four-v1', params: {} }));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('"egocentric":true').and.to.include('"egocentric":false');
    expect(error.message).to.include(`--params '{"rows":6,"columns":7,"xInRow":4,"egocentric":true}'`);
    const own = keep(await loadModel(dir, { env: 'connect-four-v1' }));
    expect(own.spec.params).to.deep.equal({ rows: 6, columns: 7, xInRow: 4, egocentric: true });
    // The same params in another key order, or with defaults left out, are the same params.
    keep(await loadModel(dir, { env: 'connect-four-v1', params: { egocentric: true } }));
    keep(await loadModel(dir, { env: 'connect-four-v1', params: { egocentric: true, xInRow: 4, columns: 7, rows: 6 } }));
  });

  it('says so when the env no longer accepts the params a model was saved with', async () => {
    const dir = join(root, 'c4-old-params');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...manifest, params: { ...manifest.params, gravity: true } }));
    const error = await thrown(() => loadModel(dir));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('no longer accepts').and.to.include('unknown param "gravity"');
  });

  it('reads the params of the shipped connect-four models: egocentric planes', () => {
    for (const name of ['connect-four-ppo', 'connect-four-ppo-u100', 'connect-four-ppo-u50']) {
      const dir = fileURLToPath(new URL(`../../../examples/models/${name}`, import.meta.url));
      expect(paramsOfModels([{ kind: 'neural', options: { model: dir } }], connectFour), name).to.deep.equal({
        rows: 6,
        columns: 7,
        xInRow: 4,
        egocentric: true,
      });
    }
  });

  it('paramsOfModels: the common params of the models among agent specs, none without models, an error if they differ', async () => {
    const plain = join(root, 'c4-plain');
    const ego = join(root, 'c4-ego');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), plain);
    await saveModel(keep(createPolicyModel(connectFour, { egocentric: true }, { arch: { kind: 'mlp', hidden: [8] } })), ego);
    const neural = (model: string) => ({ kind: 'neural', options: { model } });
    expect(paramsOfModels([{ kind: 'random' }, { kind: 'mcts', options: { sims: 5 } }], connectFour)).to.equal(undefined);
    expect(paramsOfModels([neural(ego), { kind: 'random' }, neural(ego)], connectFour)).to.deep.include({ egocentric: true });
    expect(paramsOfModels([neural(plain)], ticTacToe)).to.equal(undefined); // another env's model: createAgent says so
    const error = thrownSync(() => paramsOfModels([neural(plain), neural(ego)], connectFour));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('trained with different params');
  });

  it('refuses weights that do not fit the manifest', async () => {
    const dir = join(root, 'swapped');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    const other = join(root, 'ttt');
    await saveModel(keep(createPolicyModel(ticTacToe, {}, { arch: { kind: 'mlp', hidden: [8] } })), other);
    for (const file of ['model.json', 'weights.bin']) copyFileSync(join(other, file), join(dir, file));
    const error = await thrown(() => loadModel(dir));
    expect(error.code).to.equal('model-mismatch');
    expect(error.message).to.include('126');
  });

  it('says what is wrong with a missing folder, a bad manifest or missing weights', async () => {
    expect((await thrown(() => loadModel(join(root, 'nowhere')))).code).to.equal('bad-model');
    const dir = join(root, 'broken');
    await saveModel(keep(createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [8] } })), dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, format: 2 }));
    const bad = await thrown(() => loadModel(dir));
    expect(bad.code).to.equal('bad-model');
    expect(bad.message).to.include('format');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    rmSync(join(dir, 'weights.bin'));
    expect((await thrown(() => loadModel(dir))).code).to.equal('bad-model');
  });
});
