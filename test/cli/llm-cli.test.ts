import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatServer, firstListedMove } from '../agents/llm/chat-server.ts';
import { runCli } from './run-cli.ts';

describe('cli with llm agents (the real binary against a loopback chat-completions server)', () => {
  let server: ChatServer;
  let dir: string;
  before(async () => {
    server = await ChatServer.start(firstListedMove);
    dir = mkdtempSync(join(tmpdir(), 'ludus-llm-cli-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ludus play reports token and latency totals of the llm agent', async () => {
    const { code, stdout, stderr } = await runCli([
      'play',
      '--env',
      'tic-tac-toe-v1',
      '--agents',
      `llm:model=m,baseUrl=${server.baseUrl},random`,
      '--games',
      '3',
      '--json',
    ]);
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(report.agents[0]).to.include({ games: 3, faults: 0 });
    const moves = server.requests.length;
    expect(report.usage).to.have.length(1);
    expect(report.usage[0].totals).to.include({ moves, promptTokens: 10 * moves, completionTokens: 5 * moves, calls: moves, reprompts: 0, retries: 0 });
  });

  it('ludus league run with an llm member, then export --format trajectories', async () => {
    const config = join(dir, 'league.yaml');
    writeFileSync(
      config,
      [
        'name: llm-cli',
        'env: tic-tac-toe-v1',
        'seed: 3',
        'members:',
        `  - { agentId: llm, agent: "llm:model=m,baseUrl=${server.baseUrl}" }`,
        '  - { agentId: random, agent: random }',
        'stop: { matches: 6 }',
        '',
      ].join('\n'),
    );
    const store = join(dir, 'store');
    const run = await runCli(['league', 'run', '--config', config, '--store', store, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const exported = await runCli(['league', 'export', '--store', store, '--format', 'trajectories', '--agent', 'llm', '--baseline', 'rae']);
    expect(exported.code, exported.stderr).to.equal(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).to.be.greaterThan(0);
    for (const l of lines) {
      expect(l).to.include({ league: 'llm-cli', env: 'tic-tac-toe-v1', agent: 'llm' });
      expect(l.reply).to.match(/\\boxed\{\d\}/);
      expect(l).to.have.keys(
        'league',
        'match',
        'env',
        'seed',
        'seat',
        'role',
        'agent',
        'turn',
        'step',
        'observation',
        'reply',
        'action',
        'actionText',
        'reward',
        'return',
        'done',
        'status',
        'faultSeat',
        'baseline',
        'advantage',
      );
    }
    const bad = await runCli(['league', 'export', '--store', store, '--format', 'trajectories', '--baseline', 'mean']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/unknown --baseline "mean"/);
  });
});
