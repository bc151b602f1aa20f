import { expect } from 'chai';
import { runCli } from './run-cli.ts';

describe('cli/commands/play', () => {
  it('prints machine-readable results with --json', async () => {
    const { code, stdout } = await runCli(['play', '--env', 'tic-tac-toe-v1', '--agents', 'first-legal,random', '--games', '30', '--seed', '4', '--json']);
    expect(code).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report).to.include({ env: 'tic-tac-toe-v1', games: 30, seed: 4 });
    expect(report.agents).to.have.length(2);
    for (const row of report.agents) expect(row.wins + row.draws + row.losses).to.equal(30);
    expect(report.agents[0].wins).to.equal(report.agents[1].losses);
    expect(report.stepsPerSec).to.be.greaterThan(0);
  });

  it('gives the same results for the same seed', async () => {
    const args = ['play', '--env', 'connect-four-v1', '--agents', 'random,random', '--games', '20', '--seed', '9', '--json'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    const strip = (s: string) => JSON.parse(s).agents;
    expect(strip(a.stdout)).to.deep.equal(strip(b.stdout));
  });

  it('rotates seats with --rotate so each agent plays each seat', async () => {
    const { stdout } = await runCli(['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,first-legal', '--games', '10', '--rotate', '--json']);
    const rows = JSON.parse(stdout).agents as { agent: string; seat: number; games: number }[];
    expect(rows.map((r) => [r.agent, r.seat, r.games])).to.have.deep.members([
      ['random', 0, 5],
      ['random', 1, 5],
      ['first-legal', 0, 5],
      ['first-legal', 1, 5],
    ]);
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await runCli(['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,random', '--games', '5']);
    expect(code).to.equal(0);
    expect(stdout)
      .to.match(/agent\s+seat\s+games\s+wins\s+draws\s+losses/)
      .and.match(/steps\/s/);
  });

  it('plays a saved model with the params it was trained with, and refuses other params', async () => {
    const agents = ['--agents', 'neural:model=examples/models/connect-four-ppo,greedy=true,random', '--games', '2'];
    const own = await runCli(['play', '--env', 'connect-four-v1', ...agents, '--json']);
    expect(own.code, own.stderr).to.equal(0);
    expect(JSON.parse(own.stdout).params).to.deep.equal({ rows: 6, columns: 7, xInRow: 4, egocentric: true });
    const other = await runCli(['play', '--env', 'connect-four-v1', '--params', '{}', ...agents]);
    expect(other.code).to.equal(2);
    expect(other.stderr).to.match(/was trained on connect-four-v1 with params \{.*"egocentric":true.*\}, not \{.*"egocentric":false/);
  });

  it('plays the shipped Overcooked chef with a copy of itself: the pair cooks and serves soup on cramped_room', async () => {
    const chef = 'neural:model=examples/models/overcooked-cramped-room-ppo';
    const out = await runCli(['play', '--env', 'overcooked-v1', '--agents', `${chef},${chef}`, '--games', '2', '--seed', '4', '--json']);
    expect(out.code, out.stderr).to.equal(0);
    const result = JSON.parse(out.stdout) as { params: { layout: string; horizon: number }; agents: { meanReturn: number }[] };
    expect(result.params).to.include({ layout: 'cramped_room', horizon: 400 });
    expect(result.agents[0]!.meanReturn).to.be.at.least(20); // at least one soup per game on average
  });

  it('exits 2 on an unknown flag, env param or agent option, naming it and the known ones', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,random', '--frobnicate'],
        /'--frobnicate'.*known flags: --env, --agents, --games, --seed, --params, --rotate, --json, --help/,
      ],
      [
        ['play', '--env', 'connect-four-v1', '--params', '{"colums":5}', '--agents', 'random,random'],
        /unknown param "colums".*known params: rows, columns, xInRow, egocentric/,
      ],
      [['play', '--env', 'tic-tac-toe-v1', '--params', '{"mark":"textarena"}', '--agents', 'random,random'], /unknown param "mark".*known params: marks/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'mcts:simz=5,random'], /unknown option "simz".*options of mcts: sims/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach(({ code, stderr }, i) => {
      const [args, message] = cases[i]!;
      expect(code, args.join(' ')).to.equal(2);
      expect(stderr, args.join(' ')).to.match(message);
    });
  });

  it('exits 2 with a clear message on bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['play', '--env', 'chess-v1', '--agents', 'random,random'], /unknown env "chess-v1".*tic-tac-toe-v1/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,alphazero'], /alphazero/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'random'], /2 seats.*1 agent/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,random', '--games', 'many'], /--games must be an integer/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'random,random', '--frobnicate'], /frobnicate/],
      [['play', '--env', 'tic-tac-toe-v1', '--agents', 'mcts:sims=-1,random'], /sims/],
      [['play', '--env', 'connect-four-v1', '--params', '{"rows":2}', '--agents', 'random,random'], /rows/],
      [['teleport'], /unknown command "teleport"/],
    ];
    // In parallel: eight sequential CLI start-ups can pass mocha's timeout on a loaded machine.
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach(({ code, stderr }, i) => {
      const [args, message] = cases[i]!;
      expect(code, args.join(' ')).to.equal(2);
      expect(stderr, args.join(' ')).to.match(message);
      expect(stderr).to.not.match(/\n\s+at /); // no stack trace
    });
  });
});
