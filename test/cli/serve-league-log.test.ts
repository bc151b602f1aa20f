import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leagueProgressLine } from '../../cli/commands/serve-league-log.ts';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';
import { runCli, startCli } from './run-cli.ts';

const LEAGUE_YAML = `name: cli-live
env: tic-tac-toe-v1
members:
  - { agentId: rnd, agent: random }
  - { agentId: fl, agent: first-legal }
schedule: { concurrency: 2 }
stop: { matches: 6 }
`;

describe('cli/commands/serve-league-log (ludus serve --league)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-serve-league-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("formats a progress line with the count, rate, live matches and the leader's Elo", () => {
    const line = leagueProgressLine('c4', { done: 1200, live: 4, target: 100_000, leader: 'mcts-200', leaderElo: 1163.6 }, 3.14);
    expect(line).to.equal('league c4: 1200/100000 matches (3.1/s), 4 live, leader mcts-200 (Elo 1164)');
    expect(leagueProgressLine('x', { done: 0, live: 0, target: undefined, leader: null, leaderElo: null })).to.equal(
      'league x: 0 matches, 0 live, no leader yet',
    );
  });

  it('rejects a league config with a bad field in one line, exit 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, LEAGUE_YAML.replace('concurrency: 2', 'concurrency: 0'));
    const result = await runCli(['serve', '--port', '0', '--store', dir, '--league', file]);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.include('schedule.concurrency');
  });

  it('plays the league to its stop rule, logs progress, and stores the rated matches', async () => {
    const file = join(dir, 'league.yaml');
    writeFileSync(file, LEAGUE_YAML);
    const store = join(dir, 'store');
    const { child, done } = startCli(['serve', '--port', '0', '--store', store, '--league', file, '--progress-every', '0.2']);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/stopped \(matches\)/.test(out)) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    child.kill('SIGTERM');
    expect((await done).code).to.equal(0);
    expect(out).to.match(/league cli-live: 6\/6 matches, 0 live, leader (rnd|fl) \(Elo \d+\); stopped \(matches\)/);
    const db = new SqliteStore(store);
    try {
      const league = (await db.getLeague('cli-live'))!;
      expect(await db.countMatches(league.id)).to.equal(6);
      expect(await db.ratingHistory(league.id)).to.have.length(12);
    } finally {
      await db.close();
    }
  });
});
