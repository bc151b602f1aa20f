import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLeagueConfig } from '../../../league/config/league-config.ts';
import { trajectoryLines } from '../../../league/export-trajectories.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url));

const READER = `
import json, sys
from ludus_trajectories import read_trajectories, episodes
steps = list(read_trajectories(sys.argv[1]))
eps = episodes(steps)
print(json.dumps({
  "steps": len(steps),
  "episodes": len(eps),
  "returns": sorted([ep[0]["league"], ep[0]["match"], ep[0]["seat"], ep[0]["return"]] for ep in eps),
  "reward_sums_match": all(abs(sum(s["reward"] for s in ep) - ep[0]["return"]) < 1e-9 for ep in eps),
  "turns_ordered": all([s["turn"] for s in ep] == list(range(len(ep))) for ep in eps),
  "advantages": all(abs(s["advantage"] - (s["return"] - s["baseline"])) < 1e-12 for s in steps),
}))
try:
  list(read_trajectories(["{\\"match\\": 1}"]))
except ValueError as e:
  print(e)
`;

describe('clients/python/ludus_trajectories (run with /usr/bin/python3)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-traj-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an exported league into episodes whose rewards sum to the returns', async () => {
    const store = new SqliteStore(':memory:');
    const config = parseLeagueConfig({
      name: 'kuhn-traj',
      env: 'kuhn-poker-v1',
      seed: 2,
      members: [
        { agentId: 'random', agent: 'random' },
        { agentId: 'first', agent: 'first-legal' },
      ],
      stop: { matches: 20 },
    });
    await runLeague({ store, config });
    const league = (await store.getLeague('kuhn-traj'))!;
    const lines: string[] = [];
    for await (const line of trajectoryLines(store, league, { baselineDecay: 0.95 })) lines.push(line);
    await store.close();
    const file = join(dir, 'traj.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n\n`);
    const run = spawnSync('/usr/bin/python3', ['-c', READER, file], { cwd: CLIENT_DIR, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    const [summary, error] = run.stdout.trim().split('\n');
    const parsed = JSON.parse(summary!);
    const steps = lines.map((l) => JSON.parse(l));
    const expected = [...new Map(steps.map((s) => [`${s.match}:${s.seat}`, [s.league, s.match, s.seat, s.return]])).values()];
    expect(parsed).to.deep.include({ steps: lines.length, episodes: expected.length, reward_sums_match: true, turns_ordered: true, advantages: true });
    expect(parsed.returns).to.deep.equal(expected.sort((a, b) => a[1] - b[1] || a[2] - b[2]));
    expect(error).to.equal('line 1: not a trajectory step (missing seat, turn, observation, action, reward, return)');
  });
});
