import { expect } from 'chai';
import { WORKER_HELP, workerCommand } from '../../cli/commands/worker.ts';
import { captureOutput } from '../helpers/capture-output.ts';
import { runCli } from './run-cli.ts';

describe('cli/commands/worker', () => {
  it('prints its help', async () => {
    const help = await captureOutput(() => workerCommand(['--help']));
    expect(help.result).to.equal(0);
    expect(help.stdout).to.equal(`${WORKER_HELP}\n`);
    expect(WORKER_HELP).to.include('--queue').and.include('--database').and.include('--lock-ms');
  });

  it('refuses a queue that is not a Redis URL (exit 2), and says so when Redis does not answer (exit 1)', async () => {
    const bad = await runCli(['worker', '--queue', 'http://127.0.0.1:6379']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('redis://');
    const badPrefix = await runCli(['worker', '--queue', 'redis://127.0.0.1:6379', '--queue-prefix', 'a:b']);
    expect(badPrefix.code).to.equal(2);
    expect(badPrefix.stderr).to.include('queue prefix');
    const down = await runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--database', 'postgres://postgres@127.0.0.1:1/none']);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.include('does not answer');
  });

  it('league run --queue needs a PostgreSQL store every worker reaches (exit 2)', async () => {
    const run = await runCli(['league', 'run', '--config', 'examples/leagues/tic-tac-toe-mcts.yaml', '--queue', 'redis://127.0.0.1:6379', '--store', '/tmp/x']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('needs a store every worker reaches');
  });
});
