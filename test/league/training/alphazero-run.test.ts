import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../../agents/runtime/model-io.ts';
import type { PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { closeSharedRuntime } from '../../../agents/runtime/shared-runtime.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { readMetrics, type EvalLine, type UpdateLine } from '../../../league/training/metrics-log.ts';
import { parseTrainConfig, type TrainConfigInput } from '../../../league/training/train-config.ts';
import { runTraining } from '../../../league/training/train-run.ts';
import { useBackend } from '../../agents/learn/fixtures.ts';

const AZ: TrainConfigInput = {
  name: 'ttt-az',
  env: 'tic-tac-toe-v1',
  seed: 1,
  algorithm: 'alphazero',
  model: { arch: { kind: 'mlp', hidden: [16] } },
  alphazero: { gamesPerUpdate: 6, simulations: 4, trainSteps: 2, batchSize: 16 },
  opponents: { anchors: [{ agentId: 'random', agent: 'random' }] },
  snapshots: { every: 2 },
  evaluation: { every: 2, games: 4 },
  checkpoints: { every: 1 },
  stop: { updates: 3 },
};

const weightsOf = async (dir: string): Promise<number[]> => {
  const model: PolicyModel = await loadModel(dir);
  try {
    return model.network.getWeights().flatMap((w) => Array.from(w.dataSync()));
  } finally {
    model.dispose();
  }
};

describe('league/training with algorithm: alphazero', () => {
  let dir: string;
  before(useBackend);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-az-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(closeSharedRuntime);

  it('self-plays, snapshots into the league, evaluates with search, and resumes to the same weights', async function () {
    this.timeout(120_000);
    const whole = await runTraining({ config: parseTrainConfig(AZ), storeDir: join(dir, 'whole') });
    expect(whole).to.include({ updates: 3, episodes: 18, stoppedBy: 'updates', resumedFrom: null });
    expect(whole.snapshots.map((s) => s.split('/').at(-1))).to.deep.equal(['ttt-az-at-2', 'ttt-az-at-3']);
    const lines = readMetrics(whole.metricsFile);
    const updates = lines.filter((l): l is UpdateLine => l.type === 'update');
    expect(updates.map((l) => l.selfPlayShare)).to.deep.equal([1, 1, 1]);
    expect(updates.every((l, i) => l.positions! > (i > 0 ? updates[i - 1]!.positions! : 0) && l.replaySize === l.positions)).to.equal(true);
    const evals = lines.filter((l): l is EvalLine => l.type === 'eval');
    expect(evals.map((l) => l.vs.random!.games)).to.deep.equal([4, 4]);
    const store = new SqliteStore(join(dir, 'whole'), { readonly: true });
    try {
      const league = (await store.getLeague('ttt-az'))!;
      expect((await store.listMembers(league.id)).map((m) => m.agentId).sort()).to.deep.equal(['random', 'ttt-az', 'ttt-az-at-2', 'ttt-az-at-3']);
      // The run's models join the league playing with search, as they were evaluated.
      const snapshot = (await store.listMembers(league.id)).find((m) => m.agentId === 'ttt-az-at-2')!;
      expect(snapshot.agent).to.deep.equal({ kind: 'alphazero', options: { model: whole.snapshots[0], sims: 4 } });
      expect(await store.matchSummaries(league.id)).to.have.length(8);
    } finally {
      await store.close();
    }

    // Stopped after 2 updates (as a kill would after the checkpoint of update 2), then resumed.
    const parts = join(dir, 'parts');
    await runTraining({ config: parseTrainConfig({ ...AZ, stop: { updates: 2 } }), storeDir: parts });
    const resumed = await runTraining({ config: parseTrainConfig(AZ), storeDir: parts, resume: true });
    expect(resumed).to.include({ updates: 3, resumedFrom: 2 });
    expect(await weightsOf(resumed.finalModel)).to.deep.equal(await weightsOf(whole.finalModel));
  });

  it('rejects games AlphaZero cannot search and AlphaZero settings without the algorithm', () => {
    expect(() => parseTrainConfig({ ...AZ, env: 'kuhn-poker-v1' }))
      .to.throw(/perfect information/)
      .with.property('code', 'bad-config');
    const { algorithm: _a, ...ppo } = AZ;
    expect(() => parseTrainConfig(ppo)).to.throw(/algorithm: alphazero/);
  });
});
