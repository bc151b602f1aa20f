import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlphaZeroConfig } from '../../../agents/learn/alphazero-config.ts';
import { AlphaZeroTrainer } from '../../../agents/learn/alphazero-trainer.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../agents/learn/checkpoint.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../envs/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { fork, useBackend } from './fixtures.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');
const weightsOf = (model: PolicyModel): number[] => model.network.getWeights().flatMap((w) => Array.from(w.dataSync()));
const SMALL = { kind: 'mlp', hidden: [16] } as const;

describe('agents/learn/alphazero-trainer', () => {
  const trainers: AlphaZeroTrainer[] = [];
  const trainerFor = (env: AnyEnv, seed: number, config = {}, model = createPolicyModel(env, {}, { arch: SMALL, seed })) => {
    const trainer = new AlphaZeroTrainer({ model, env, seed, config: { gamesPerUpdate: 8, simulations: 4, trainSteps: 4, batchSize: 32, ...config } });
    trainers.push(trainer);
    return trainer;
  };
  before(useBackend);
  after(async () => {
    for (const t of trainers) {
      await t.dispose();
      t.model.dispose();
    }
  });

  it('batches the leaf evaluations of all games: one forward pass per simulation step', async () => {
    const trainer = trainerFor(ticTacToe, 1);
    const rollout = await trainer.selfPlay();
    const stats = trainer.inferenceStats();
    expect(rollout.episodes).to.have.length(8);
    // No game ends within its first 4 moves, and 4 simulations from there reach no terminal
    // for the first move: 4 moves x (root + 4 simulations) passes hold all 8 games.
    expect(stats.batchSizes['8']).to.be.at.least(4 * 5);
    expect(stats.meanBatch).to.be.greaterThan(4);
    // Every search evaluates its root and at most one leaf per simulation.
    expect(stats.requests).to.be.at.most(rollout.decisions * 5);
    expect(stats.requests).to.be.at.least(rollout.decisions);
    expect(trainer.replay.size).to.equal(rollout.decisions);
    // Positions carry the search policy (a distribution over legal moves) and an outcome in [-1, 1].
    const A = 9;
    for (let r = 0; r < trainer.replay.size; r++) {
      const pi = trainer.replay.policies.subarray(r * A, (r + 1) * A);
      expect(pi.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
      pi.forEach((p, a) => {
        if (p > 0) expect(trainer.replay.masks[r * A + a]).to.equal(1);
      });
      expect([-1, 0, 1]).to.include(trainer.replay.outcomes[r]);
    }
  });

  it('learns the value of a trivially learnable game: the won position above the lost one', async function () {
    this.timeout(60_000);
    const trainer = trainerFor(fork, 2, {
      gamesPerUpdate: 16,
      simulations: 8,
      temperatureMoves: 1,
      dirichletAlpha: 1,
      trainSteps: 16,
      batchSize: 32,
      learningRate: 0.01,
    });
    const params = fork.parseParams({});
    const afterWin = fork.apply(fork.init(params, 0), 0, 0); // seat 1 to move, lost
    const afterLoss = fork.apply(fork.init(params, 0), 0, 1); // seat 1 to move, won
    for (let u = 0; u < 8; u++) await trainer.step();
    const lost = await trainer.value(afterWin, 1);
    const won = await trainer.value(afterLoss, 1);
    expect(won).to.be.greaterThan(lost);
    expect(lost).to.be.lessThan(-0.5);
    expect(won).to.be.greaterThan(0.5);
  });

  it('resumes from a checkpoint (weights, optimizer, replay buffer) exactly where the uninterrupted run would be', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'ludus-az-ckpt-'));
    try {
      const trainer = trainerFor(ticTacToe, 3);
      await trainer.step();
      await saveCheckpoint(dir, trainer, { note: 'one update' }, trainer.exportFiles());
      const addedAfterOne = trainer.replay.added;
      const policiesAfterOne = Array.from(trainer.replay.policies.subarray(0, addedAfterOne * 9));
      await trainer.step();
      const uninterrupted = weightsOf(trainer.model);

      const loaded = (await loadCheckpoint(dir))!;
      const resumed = trainerFor(ticTacToe, 3, {}, loaded.model);
      await resumed.importState(loaded.state, loaded.files);
      expect(resumed.updates).to.equal(1);
      expect(resumed.replay.added).to.equal(addedAfterOne);
      expect(Array.from(resumed.replay.policies.subarray(0, addedAfterOne * 9))).to.deep.equal(policiesAfterOne);
      await resumed.step();
      expect(resumed.replay.added).to.equal(trainer.replay.added);
      expect(weightsOf(resumed.model)).to.deep.equal(uninterrupted);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad hyperparameters with a typed error', () => {
    expect(() => parseAlphaZeroConfig({ simulations: 0 }))
      .to.throw()
      .with.property('code', 'bad-alphazero-config');
    expect(() => parseAlphaZeroConfig({ simulation: 5 })).to.throw(/unknown key "simulation"/);
  });
});
