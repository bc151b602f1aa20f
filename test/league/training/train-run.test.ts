import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tabularPolicyFromModel } from '../../../agents/learn/model-tabular-policy.ts';
import { createAgent } from '../../../agents/registry.ts';
import { loadModel } from '../../../agents/runtime/model-io.ts';
import { closeSharedRuntime } from '../../../agents/runtime/shared-runtime.ts';
import { getEnv } from '../../../envs/index.ts';
import { exploitability } from '../../../league/evaluate/exploitability.ts';
import { playMatch } from '../../../league/play-match.ts';
import { computeStandings } from '../../../league/standings.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { readMetrics, type EvalLine } from '../../../league/training/metrics-log.ts';
import { parseTrainConfig, type TrainConfigInput } from '../../../league/training/train-config.ts';
import { runTraining } from '../../../league/training/train-run.ts';
import { useBackend } from '../../agents/learn/fixtures.ts';

const TTT: TrainConfigInput = {
  name: 'ttt',
  env: 'tic-tac-toe-v1',
  seed: 1,
  model: { arch: { kind: 'mlp', hidden: [16] } },
  rollout: { episodesPerUpdate: 16 },
  opponents: { selfPlay: 0.5, anchors: [{ agentId: 'random', agent: 'random' }] },
  snapshots: { every: 3 },
  evaluation: { every: 3, games: 10, greedy: true },
  checkpoints: { every: 3 },
  stop: { updates: 6 },
};

async function thrown(body: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await body();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('league/training/train-run', () => {
  let dir: string;
  before(useBackend);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-train-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(closeSharedRuntime);

  it("trains, snapshots into the run's league, stores evaluation games as rated matches, and writes metrics and a curve", async () => {
    const result = await runTraining({ config: parseTrainConfig(TTT), storeDir: dir });
    expect(result).to.include({ run: 'ttt', updates: 6, episodes: 96, stoppedBy: 'updates', resumedFrom: null });
    expect(result.snapshots.map((s) => s.split('/').at(-1))).to.deep.equal(['ttt-at-3', 'ttt-at-6']);
    for (const folder of [...result.snapshots, result.finalModel]) expect(existsSync(join(folder, 'manifest.json'))).to.equal(true);

    const store = new SqliteStore(dir, { readonly: true });
    try {
      const league = (await store.getLeague('ttt'))!;
      const members = new Map((await store.listMembers(league.id)).map((m) => [m.agentId, m]));
      expect([...members.keys()].sort()).to.deep.equal(['random', 'ttt', 'ttt-at-3', 'ttt-at-6']);
      expect(members.get('ttt')).to.deep.include({ kind: 'learner', agent: { kind: 'neural', options: { model: result.finalModel } } });
      expect(members.get('ttt-at-3')).to.deep.include({ kind: 'snapshot', frozen: true, parentId: 'ttt', createdAt: 3 });
      const matches = await store.matchSummaries(league.id);
      expect(matches).to.have.length(20); // 2 evaluations x 10 games
      expect(matches.every((m) => m.seats.includes('random') && (m.seats.includes('ttt-at-3') || m.seats.includes('ttt-at-6')))).to.equal(true);
      expect((await computeStandings(store, league)).map((s) => s.agentId).sort()).to.deep.equal(['random', 'ttt-at-3', 'ttt-at-6']);
    } finally {
      await store.close();
    }

    const lines = readMetrics(result.metricsFile);
    expect(lines.filter((l) => l.type === 'update').map((l) => l.type === 'update' && l.episodes)).to.deep.equal([16, 32, 48, 64, 80, 96]);
    expect(lines.filter((l) => l.type === 'eval').map((l) => (l as EvalLine).agentId)).to.deep.equal(['ttt-at-3', 'ttt-at-6']);
    expect(lines.filter((l) => l.type === 'snapshot')).to.have.length(2);
    const svg = readFileSync(result.curveFile, 'utf8');
    expect(svg).to.match(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.contain('win vs random').and.to.contain('<polyline');
  });

  it('leaves snapshots that the neural agent kind can play', async () => {
    const result = await runTraining({ config: parseTrainConfig({ ...TTT, stop: { updates: 3 } }), storeDir: dir });
    const env = getEnv('tic-tac-toe-v1');
    const snapshot = createAgent({ kind: 'neural', options: { model: result.snapshots[0]! } }, env);
    const match = await playMatch({ env, seed: 1, agents: [snapshot, createAgent({ kind: 'random' }, env)] });
    expect(match.fault).to.equal(undefined);
  });

  it('refuses to overwrite a run without resume, and to resume it with another config', async () => {
    await runTraining({ config: parseTrainConfig({ ...TTT, stop: { updates: 1 } }), storeDir: dir });
    expect((await thrown(() => runTraining({ config: parseTrainConfig(TTT), storeDir: dir }))).code).to.equal('run-exists');
    const changed = parseTrainConfig({ ...TTT, seed: 2 });
    expect((await thrown(() => runTraining({ config: changed, storeDir: dir, resume: true }))).code).to.equal('league-config-changed');
    const resumed = await runTraining({ config: parseTrainConfig({ ...TTT, stop: { updates: 2 } }), storeDir: dir, resume: true });
    expect(resumed).to.include({ updates: 2, resumedFrom: 1 });
  });

  it('measures exact exploitability (policy and snapshot mixture) in Leduc poker and stops at its target', async () => {
    const config = parseTrainConfig({
      name: 'leduc',
      env: 'leduc-poker-v1',
      seed: 2,
      model: { arch: { kind: 'mlp', hidden: [16] } },
      rollout: { episodesPerUpdate: 16 },
      snapshots: { every: 1 },
      evaluation: { every: 2, games: 0 },
      stop: { updates: 10, target: { metric: 'mixture-exploitability', value: 100 } },
    });
    const result = await runTraining({ config, storeDir: dir });
    expect(result).to.deep.include({ stoppedBy: 'target', updates: 2, target: { reached: true, update: 2, seconds: result.target!.seconds } });
    const evalLine = result.lastEval!;
    expect(evalLine.mixtureSize).to.equal(2);
    const env = getEnv('leduc-poker-v1');
    const model = await loadModel(result.finalModel);
    try {
      expect(evalLine.exploitability).to.be.closeTo(exploitability(env, {}, tabularPolicyFromModel(model, env)), 1e-9);
    } finally {
      model.dispose();
    }
    // Exploitability lies between 0 and the largest possible gain (Leduc: 13 chips).
    expect(evalLine.exploitability).to.be.within(0, 13);
    expect(evalLine.mixtureExploitability).to.be.within(0, 13);
  });
});
