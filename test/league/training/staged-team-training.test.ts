import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSharedRuntime } from '../../../agents/runtime/shared-runtime.ts';
import { computeStandings } from '../../../league/standings.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { readMetrics, type UpdateLine } from '../../../league/training/metrics-log.ts';
import { parseTrainConfig } from '../../../league/training/train-config.ts';
import { runTraining } from '../../../league/training/train-run.ts';
import { useBackend } from '../../agents/learn/fixtures.ts';

// A small team-volley run in two stages: a skill stage against the scripted team, then co-self-play.
const config = () =>
  parseTrainConfig({
    name: 'tv-stages',
    env: 'team-volley-v1',
    params: { teamSize: 2, points: 1, maxSteps: 150 },
    seed: 3,
    model: { arch: { kind: 'mlp', hidden: [16] } },
    ppo: { epochs: 1, minibatchSize: 256 },
    rollout: { episodesPerUpdate: 4 },
    opponents: { selfPlay: 0.5, anchors: [{ agentId: 'volley-skill', agent: 'volley-skill' }] },
    stages: [
      { name: 'skill', updates: 2, selfPlay: 0, anchors: ['volley-skill'], snapshots: false },
      { name: 'co-self-play', selfPlay: 1 },
    ],
    snapshots: { every: 2 },
    evaluation: { every: 2, games: 4, greedy: true, exploitability: 'off' },
    checkpoints: { every: 2 },
    stop: { updates: 4 },
  });

describe('league/training staged team training', function () {
  this.timeout(300_000);
  let dir: string;
  before(useBackend);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-stages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(closeSharedRuntime);

  it('trains a team-volley learner stage by stage and rates its snapshots against the scripted team with OpenSkill', async () => {
    const result = await runTraining({ config: config(), storeDir: dir });
    expect(result).to.include({ updates: 4, stoppedBy: 'updates' });
    const updates = readMetrics(join(result.runDir, 'metrics.jsonl')).filter((l): l is UpdateLine => l.type === 'update');
    expect(updates.map((u) => u.stage)).to.deep.equal(['skill', 'skill', 'co-self-play', 'co-self-play']);
    expect(updates.map((u) => u.selfPlayShare)).to.deep.equal([0, 0, 1, 1]);
    const store = new SqliteStore(dir, { readonly: true });
    try {
      const league = (await store.getLeague('tv-stages'))!;
      const matches = await store.matchSummaries(league.id);
      expect(matches).to.have.length(8); // 2 evaluations x 4 games
      // The learner's snapshot fills one whole team, the scripted team the other.
      for (const m of matches) {
        expect(m.seats[0]).to.equal(m.seats[1]);
        expect(m.seats[2]).to.equal(m.seats[3]);
        expect(m.seats[0]).to.not.equal(m.seats[2]);
      }
      const standings = await computeStandings(store, league);
      expect(standings.map((s) => s.agentId).sort()).to.deep.equal(['tv-stages-at-2', 'tv-stages-at-4', 'volley-skill']);
      expect(standings.every((s) => s.rankedBy === 'openskill' && s.openskill !== undefined)).to.equal(true);
    } finally {
      await store.close();
    }
  });
});
