import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, saveCheckpoint } from '../../../agents/learn/checkpoint.ts';
import { tabularPolicyFromModel } from '../../../agents/learn/model-tabular-policy.ts';
import { PpoTrainer } from '../../../agents/learn/ppo-trainer.ts';
import { collectRollout } from '../../../agents/learn/rollout.ts';
import { currentBackend, selectBackend } from '../../../agents/runtime/backend.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv, Rng } from '../../../envs/index.ts';
import { exploitability } from '../../../league/evaluate/exploitability.ts';
import { oneShot, useBackend } from './fixtures.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');
const kuhn = getEnv('kuhn-poker-v1');
const SMALL = { kind: 'mlp', hidden: [32, 32] } as const;

const weightsOf = (model: PolicyModel): number[] => model.network.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('agents/learn/ppo-trainer', () => {
  const disposables: { dispose(): void }[] = [];
  const trainerFor = (env: typeof ticTacToe, seed: number, config = {}) => {
    const model = createPolicyModel(env, {}, { arch: SMALL, seed });
    const trainer = new PpoTrainer({ model, seed, numPlayers: env.dims(env.parseParams({})).numPlayers, config });
    disposables.push(model, trainer);
    return trainer;
  };
  before(useBackend);
  after(() => disposables.forEach((d) => d.dispose()));

  it('moves probability to the paying action and never to the illegal one', async () => {
    const trainer = trainerFor(oneShot, 1, { learningRate: 3e-3 });
    const probOf = () => trainer.model.forward(Float32Array.from([1, 0]), Uint8Array.from([1, 1, 0]), 1).probs;
    const before = probOf()[1]!;
    for (let u = 0; u < 10; u++) await trainer.step({ env: oneShot, episodes: 32 });
    const after = probOf();
    expect(before).to.be.closeTo(0.5, 0.05);
    expect(after[1]).to.be.greaterThan(0.8);
    expect(after[2]).to.equal(0);
  });

  it('learns with role-conditioned advantages (RAE) too, moving the seat baseline toward its return', async () => {
    const trainer = trainerFor(oneShot, 8, { learningRate: 3e-3, advantage: { estimator: 'rae', normalize: 'seat' } });
    for (let u = 0; u < 10; u++) await trainer.step({ env: oneShot, episodes: 32 });
    expect(trainer.model.forward(Float32Array.from([1, 0]), Uint8Array.from([1, 1, 0]), 1).probs[1]).to.be.greaterThan(0.8);
    // EMA from 0 with decay 0.95 over 10 batches whose mean return is about 0.5 .. 1: (0.5 .. 1) x (1 - 0.95^10 ≈ 0.40).
    expect(trainer.baselines[0]).to.be.within(0.15, 0.41);
  });

  it("lowers the exact exploitability of the network's policy in self-play on Kuhn poker", async function () {
    this.timeout(60_000);
    const trainer = trainerFor(kuhn, 2, { learningRate: 1e-3 });
    const measure = () => exploitability(kuhn, {}, tabularPolicyFromModel(trainer.model, kuhn));
    const start = measure();
    expect(start).to.be.closeTo(11 / 24, 0.03); // near-uniform initial policy
    for (let u = 0; u < 30; u++) await trainer.step({ env: kuhn, episodes: 128 });
    expect(measure()).to.be.lessThan(start - 0.1);
  });

  it('raises its win rate against a random opponent when it trains against it (tic-tac-toe)', async function () {
    this.timeout(60_000);
    const trainer = trainerFor(ticTacToe, 3, { learningRate: 1e-3 });
    const vsRandom = (seat: number) => (i: number, seed: number) => ({
      agents: seat === 0 ? [null, new RandomAgent()] : [new RandomAgent(), null],
      seed: seed ^ i,
    });
    const winRate = async () => {
      const result = await collectRollout({
        env: ticTacToe,
        model: trainer.model,
        episodes: 200,
        rng: new Rng(9),
        setup: (i) => ({ agents: i % 2 === 0 ? [null, new RandomAgent()] : [new RandomAgent(), null], seed: 10_000 + i }),
      });
      return result.episodes.filter((e) => e.returns[e.learnerSeats[0]!]! > 0).length / result.episodes.length;
    };
    const before = await winRate();
    for (let u = 0; u < 40; u++) await trainer.step({ env: ticTacToe, episodes: 64, setup: vsRandom(u % 2) });
    expect(await winRate()).to.be.greaterThan(before + 0.1);
  });

  it('is deterministic given the seed on the cpu backend', async () => {
    const previous = await currentBackend();
    await selectBackend({ force: 'cpu', log: () => {} });
    try {
      const run = async () => {
        const trainer = trainerFor(ticTacToe, 4);
        for (let u = 0; u < 2; u++) await trainer.step({ env: ticTacToe, episodes: 16 });
        return weightsOf(trainer.model);
      };
      const a = await run();
      expect(await run()).to.deep.equal(a);
      const other = trainerFor(ticTacToe, 5);
      await other.step({ env: ticTacToe, episodes: 16 });
      expect(weightsOf(other.model)).to.not.deep.equal(a);
    } finally {
      if (previous) await selectBackend({ force: previous, log: () => {} });
    }
  });

  it('resumes from a checkpoint exactly where the uninterrupted run would be', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'ludus-ckpt-'));
    try {
      const trainer = trainerFor(ticTacToe, 6);
      await trainer.step({ env: ticTacToe, episodes: 16 });
      await saveCheckpoint(dir, trainer, { note: 'after one update' });
      await trainer.step({ env: ticTacToe, episodes: 16 });
      const uninterrupted = weightsOf(trainer.model);

      const loaded = (await loadCheckpoint(dir))!;
      expect(loaded.extra).to.deep.equal({ note: 'after one update' });
      const resumed = new PpoTrainer({ model: loaded.model, seed: 6, numPlayers: 2 });
      disposables.push(loaded.model, resumed);
      await resumed.importState(loaded.state);
      expect(resumed.updates).to.equal(1);
      await resumed.step({ env: ticTacToe, episodes: 16 });
      expect(weightsOf(resumed.model)).to.deep.equal(uninterrupted);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds no checkpoint in an empty folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-ckpt-'));
    try {
      expect(await loadCheckpoint(dir)).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not leak tensors across updates', async () => {
    const trainer = trainerFor(ticTacToe, 7);
    await trainer.step({ env: ticTacToe, episodes: 8 });
    const before = tf.memory().numTensors;
    await trainer.step({ env: ticTacToe, episodes: 8 });
    expect(tf.memory().numTensors).to.equal(before);
  });
});
