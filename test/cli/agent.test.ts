import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { AGENT_HELP, agentCommand } from '../../cli/commands/agent.ts';
import { registerAgent, startArena, until, type LiveArena } from '../agents/remote/arena-harness.ts';
import { BIN } from './run-cli.ts';
import { captureOutput } from '../helpers/capture-output.ts';

interface Spawned {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

function spawnAgent(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [BIN, 'agent', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

describe('cli/commands/agent', () => {
  let live: LiveArena;
  before(async () => {
    live = await startArena();
  });
  after(async () => {
    await live.close();
  });

  it('prints its help and names a missing flag', async () => {
    expect(AGENT_HELP).to.include('--policy');
    const help = await captureOutput(() => agentCommand(['--help']));
    expect(help.result).to.equal(0);
    expect(help.stdout).to.equal(`${AGENT_HELP}\n`);
    const error = await agentCommand([]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).to.include('--policy');
    expect(AGENT_HELP).to.include('--queue ENV').and.include('--move-time-ms');
    const orphan = await agentCommand(['--policy', 'random', '--token', 't', '--move-time-ms', '60000']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(orphan)).to.include('need --queue ENV');
    const badParams = await agentCommand(['--policy', 'random', '--token', 't', '--queue', 'kuhn-poker-v1', '--queue-params', '[1]']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(badParams)).to.include('--queue-params must be a JSON object');
  });

  it('exits 2 with a one-line message when the server refuses the token', async () => {
    const run = spawnAgent(['--policy', 'random', '--server', live.url, '--token', 'not-registered']);
    expect(await run.exited, run.stderr()).to.equal(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines, run.stderr()).to.have.length(1);
    expect(lines[0]).to.match(/^ludus agent: the server refused the agent token/);
    expect(run.stdout()).to.equal('');
  });

  it('plays assigned matches with --json (one line each) and on SIGTERM prints a summary and exits 0', async () => {
    const token = await registerAgent(live, 'cli-bot');
    const run = spawnAgent(['--policy', 'first-legal', '--server', live.url, '--json', '--status-seconds', '0'], { LUDUS_AGENT_TOKEN: token });
    await until(() => live.isOnline('cli-bot'), 'the agent process to come online', 6000);
    const ids = [(await live.assignMatch('cli-bot')).matchId, (await live.assignMatch('cli-bot')).matchId];
    await until(
      () =>
        run
          .stdout()
          .split('\n')
          .filter((l) => l.includes('"event":"match"')).length === 2,
      'two match lines',
    );
    run.kill('SIGTERM');
    expect(await run.exited, run.stderr()).to.equal(0);
    const lines = run
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l['event'])).to.deep.equal(['match', 'match', 'summary']);
    expect(
      lines
        .slice(0, 2)
        .map((l) => l['matchId'])
        .sort(),
    ).to.deep.equal([...ids].sort());
    for (const line of lines.slice(0, 2)) {
      expect((await live.arena.matches.summary(line['matchId'] as string))?.returns).to.deep.equal(line['returns']);
    }
    expect(lines[2]).to.include({ matches: 2, stopReason: 'signal', spec: 'first-legal', failed: 0 });
  });
});
