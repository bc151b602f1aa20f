import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';
import { runCli, startCli } from './run-cli.ts';

const CONFIG = `name: cli-league
env: tic-tac-toe-v1
seed: 5
members:
  - { agentId: random, agent: random }
  - { agentId: first, agent: first-legal }
  - { agentId: mcts-16, agent: "mcts:sims=16" }
matchmaking: { strategy: uniform }
schedule: { concurrency: 8 }
stop: { matches: 2000 }
`;

describe('cli/commands/league', () => {
  let dir: string;
  let config: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-cli-'));
    config = join(dir, 'league.yaml');
    writeFileSync(config, CONFIG);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a league, then shows standings, matches and exports', async () => {
    const store = join(dir, 'store-a');
    const run = await runCli(['league', 'run', '--config', config, '--store', store, '--max-matches', '120', '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).to.include({ league: 'cli-league', total: 120, played: 120, stoppedBy: 'matches' });

    const standings = await runCli(['league', 'standings', '--store', store, '--json']);
    const rows = JSON.parse(standings.stdout) as { agentId: string; elo: number; rating: number; ci: number[]; games: number }[];
    expect(rows.map((r) => r.agentId)).to.have.members(['random', 'first', 'mcts-16']);
    for (const r of rows) {
      expect(Object.keys(r)).to.include.members(['agentId', 'elo', 'rating', 'ci', 'games']);
      expect(r.ci[0]).to.be.at.most(r.rating);
      expect(r.ci[1]).to.be.at.least(r.rating);
    }
    expect(rows.map((r) => r.rating)).to.deep.equal(rows.map((r) => r.rating).sort((a, b) => b - a)); // best first
    expect(rows.reduce((n, r) => n + r.games, 0)).to.equal(2 * 120);

    const matches = await runCli(['league', 'matches', '--store', store, '--limit', '5', '--json']);
    expect(JSON.parse(matches.stdout).map((m: { index: number }) => m.index)).to.deep.equal([119, 118, 117, 116, 115]);

    const payoff = await runCli(['league', 'payoff', '--store', store, '--json']);
    const table = JSON.parse(payoff.stdout) as {
      agentIds: string[];
      cells: { games: number; score: number | null }[][];
      nash: { weights: Record<string, number> };
    };
    expect(table.agentIds).to.have.members(['random', 'first', 'mcts-16']);
    const games = table.cells.flat().reduce((n, c) => n + c.games, 0);
    expect(games).to.equal(2 * 120); // every match seen from both sides
    expect(Object.values(table.nash.weights).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-9);

    const csv = await runCli(['league', 'export', '--store', store, '--format', 'csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).to.equal('league,env,match,seed,status,length,fault_seat,fault_code,seat0_agent,seat0_return,seat1_agent,seat1_return');
    expect(lines).to.have.length(121);
    const json = await runCli(['league', 'export', '--store', store, '--format', 'json', '--replays']);
    const exported = JSON.parse(json.stdout);
    expect(exported).to.have.length(120);
    expect(exported[0].record.env).to.equal('tic-tac-toe');
  });

  it('loses no finished match to kill -9 and resumes to the ratings of an uninterrupted run', async function () {
    this.timeout(120_000);
    const whole = join(dir, 'store-whole');
    const killed = join(dir, 'store-killed');
    // Killed whenever the machine lets it, once 100 matches are stored, from a run that would
    // not end for a long time; both stores then go to the same match count (counts decide).
    const { child, done } = startCli(['league', 'run', '--config', config, '--store', killed, '--max-matches', '1000000']);
    let exited = false;
    void done.then(() => {
      exited = true;
    });
    while ((await countIn(killed)) < 100 && !exited) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    const killedRun = await done;
    expect(killedRun.signal, killedRun.stderr).to.equal('SIGKILL');
    const stored = await countIn(killed);
    expect(stored).to.be.at.least(100);

    const total = String(stored + 300);
    const full = await runCli(['league', 'run', '--config', config, '--store', whole, '--max-matches', total, '--json']);
    expect(full.code, full.stderr).to.equal(0);
    const resumed = await runCli(['league', 'run', '--config', config, '--store', killed, '--max-matches', total, '--json']);
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(JSON.parse(resumed.stdout)).to.include({ resumedFrom: stored, total: stored + 300 });
    const [a, b] = [await readAll(whole), await readAll(killed)];
    expect(b.matches).to.have.length(stored + 300);
    expect(b.matches).to.deep.equal(a.matches);
    expect(b.history).to.deep.equal(a.history);
  });

  it('ranks a chip game by chips per game and says which rating to read', async () => {
    const kuhn = join(dir, 'kuhn.yaml');
    writeFileSync(
      kuhn,
      'name: kuhn\nenv: kuhn-poker-v1\nseed: 1\nmembers:\n  - { agentId: random, agent: random }\n  - { agentId: cfr, agent: "cfr:iterations=1000" }\n' +
        'matchmaking: { strategy: uniform }\nschedule: { concurrency: 64 }\nstop: { matches: 2000 }\n',
    );
    const store = join(dir, 'store-kuhn');
    expect((await runCli(['league', 'run', '--config', kuhn, '--store', store, '--json'])).code).to.equal(0);
    const table = await runCli(['league', 'standings', '--store', store]);
    expect(table.code, table.stderr).to.equal(0);
    const rows = table.stdout
      .split('\n')
      .filter((line) => /^\s*\d+\s/.test(line))
      .map((line) => line.trim().split(/\s+/).slice(0, 3));
    expect(rows.map((r) => r[1])).to.deep.equal(['cfr', 'random']);
    expect(Number(rows[0]![2])).to.be.above(0);
    expect(table.stdout).to.include('chips/game').and.to.include('read this one');
  });

  it('ranks a team-volley league by OpenSkill ordinal per member', async () => {
    const tv = join(dir, 'tv.yaml');
    writeFileSync(
      tv,
      'name: tv\nenv: team-volley-v1\nparams: { teamSize: 1, points: 1, maxSteps: 600 }\nseed: 2\nmembers:\n' +
        '  - { agentId: skill, agent: volley-skill }\n  - { agentId: random, agent: random }\n' +
        'matchmaking: { strategy: uniform }\nschedule: { concurrency: 8, recordReplays: false }\nstop: { matches: 16 }\n',
    );
    const store = join(dir, 'store-tv');
    expect((await runCli(['league', 'run', '--config', tv, '--store', store, '--json'])).code).to.equal(0);
    const table = await runCli(['league', 'standings', '--store', store, '--league', 'tv']);
    expect(table.code, table.stderr).to.equal(0);
    const rows = table.stdout
      .split('\n')
      .filter((line) => /^\s*\d+\s/.test(line))
      .map((line) => line.trim().split(/\s+/));
    expect(rows.map((r) => r[1])).to.deep.equal(['skill', 'random']);
    expect(table.stdout).to.include('ordinal').and.to.include('read this one');
    const json = JSON.parse((await runCli(['league', 'standings', '--store', store, '--league', 'tv', '--json'])).stdout) as {
      rankedBy: string;
      games: number;
    }[];
    expect(json.map((r) => [r.rankedBy, r.games])).to.deep.equal([
      ['openskill', 16],
      ['openskill', 16],
    ]);
  });

  it('exits 2 with the field named for a bad config, and 2 for a missing league', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, CONFIG.replace('concurrency: 8', 'concurrency: -3'));
    const run = await runCli(['league', 'run', '--config', bad, '--store', join(dir, 'store-bad')]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/schedule\.concurrency/);
    const none = await runCli(['league', 'standings', '--store', join(dir, 'store-empty')]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/no league store at/);
  });
});

async function countIn(storeDir: string): Promise<number> {
  try {
    const store = new SqliteStore(storeDir, { readonly: true });
    try {
      const league = await store.getLeague('cli-league');
      return league ? await store.countMatches(league.id) : 0;
    } finally {
      await store.close();
    }
  } catch {
    return 0; // not created yet
  }
}

async function readAll(storeDir: string) {
  const store = new SqliteStore(storeDir, { readonly: true });
  const league = (await store.getLeague('cli-league'))!;
  const out = { matches: await store.matchSummaries(league.id), history: await store.ratingHistory(league.id) };
  await store.close();
  return out;
}
