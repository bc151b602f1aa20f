import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';
import { runCli } from './run-cli.ts';

const CONFIG = `name: kitchen
env: overcooked-v1
params: { layout: cramped_room, horizon: 120 }
seed: 2
members:
  - { agentId: greedy, agent: overcooked-greedy }
  - { agentId: random, agent: random }
  - { agentId: stay, agent: first-legal }
matchmaking: { strategy: uniform }
schedule: { concurrency: 4 }
stop: { matches: 60 }
`;

interface Stat {
  games: number;
  mean: number | null;
  stderr: number | null;
}

describe('cli: ludus league crossplay', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-crossplay-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the cross-play matrix of a cooperative overcooked league from its stored matches, unrated', async () => {
    const config = join(dir, 'league.yaml');
    writeFileSync(config, CONFIG);
    const store = join(dir, 'store');
    const run = await runCli(['league', 'run', '--config', config, '--store', store, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const out = await runCli(['league', 'crossplay', '--store', store, '--league', 'kitchen', '--json']);
    expect(out.code, out.stderr).to.equal(0);
    const x = JSON.parse(out.stdout) as { agentIds: string[]; cells: Stat[][]; members: { agentId: string; selfPlay: Stat; heldOut: Stat }[] };
    expect(x.agentIds).to.deep.equal(['greedy', 'random', 'stay']);

    const db = new SqliteStore(store, { readonly: true });
    const league = (await db.getLeague('kitchen'))!;
    const matches = await db.matchSummaries(league.id);
    const ratings = await db.latestRatings(league.id);
    await db.close();
    expect(matches).to.have.length(60);
    expect(ratings.size).to.equal(0); // cooperative: no Elo rows
    expect(x.cells.flat().reduce((n, c) => n + c.games, 0)).to.equal(60);
    x.agentIds.forEach((a, i) =>
      x.agentIds.forEach((b, j) => {
        const values = matches.filter((m) => m.seats[0] === a && m.seats[1] === b).map((m) => m.returns[0]!);
        const cell = x.cells[i]![j]!;
        expect(cell.games).to.equal(values.length);
        if (values.length) expect(cell.mean).to.be.closeTo(values.reduce((s, v) => s + v, 0) / values.length, 1e-9);
      }),
    );
    const greedy = x.members.find((m) => m.agentId === 'greedy')!;
    const withOthers = matches.filter((m) => m.seats.includes('greedy') && m.seats[0] !== m.seats[1]);
    expect(greedy.heldOut.games).to.equal(withOthers.length);
    expect(greedy.selfPlay.games).to.equal(0); // uniform matchmaking never pairs a member with itself
    expect(greedy.heldOut.mean).to.be.greaterThan(0); // the greedy chef serves soup next to any partner
    const clueless = matches.filter((m) => !m.seats.includes('greedy'));
    expect(clueless.length).to.be.greaterThan(0);
    expect(clueless.every((m) => m.returns[0] === 0)).to.equal(true);

    const text = await runCli(['league', 'crossplay', '--store', store, '--league', 'kitchen']);
    expect(text.stdout).to.match(/with held-out partners/);

    // --games: fresh games of every ordered pair, self-play included, instead of the stored matches
    const fresh = await runCli(['league', 'crossplay', '--store', store, '--league', 'kitchen', '--games', '2', '--json']);
    expect(fresh.code, fresh.stderr).to.equal(0);
    const y = JSON.parse(fresh.stdout) as typeof x & { evaluation: { gamesPerPair: number; matches: number } };
    expect(y.evaluation).to.include({ gamesPerPair: 2, matches: 18 });
    expect(y.cells.flat().map((c) => c.games)).to.deep.equal(Array(9).fill(2));
    expect(y.members.find((m) => m.agentId === 'greedy')!.selfPlay.games).to.equal(2);
    expect(y.members.find((m) => m.agentId === 'greedy')!.selfPlay.mean).to.be.greaterThan(0);
    const again = await runCli(['league', 'crossplay', '--store', store, '--league', 'kitchen', '--games', '2', '--json']);
    expect(JSON.parse(again.stdout)).to.deep.equal(y); // seeded from (league seed, pair, game)
  });

  it('refuses a competitive league', async () => {
    const config = join(dir, 'ttt.yaml');
    writeFileSync(
      config,
      'name: ttt\nenv: tic-tac-toe-v1\nmembers:\n  - { agentId: a, agent: random }\n  - { agentId: b, agent: first-legal }\nstop: { matches: 4 }\n',
    );
    const store = join(dir, 'store-ttt');
    expect((await runCli(['league', 'run', '--config', config, '--store', store, '--json'])).code).to.equal(0);
    const out = await runCli(['league', 'crossplay', '--store', store]);
    expect(out.code).to.not.equal(0);
    expect(out.stderr).to.match(/not-cooperative|do not share one payoff/);
  });
});
