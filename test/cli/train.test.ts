import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor } from '../../cli/cli-error.ts';
import { TRAIN_HELP, trainCommand } from '../../cli/commands/train.ts';
import { startCli } from './run-cli.ts';

const startTrain = (args: string[]) => startCli(['train', ...args]);

const config = (updates: number) => `
name: ttt-kill
env: tic-tac-toe-v1
seed: 3
model: { arch: { kind: mlp, hidden: [16] } }
rollout: { episodesPerUpdate: 32 }
opponents:
  selfPlay: 0.5
  anchors: [{ agentId: random, agent: random }]
snapshots: { every: 4 }
evaluation: { every: 4, games: 10, greedy: true }
checkpoints: { every: 2 }
stop: { updates: ${updates} }
`;

const alphazero = (updates: number) => `
name: ttt-az-kill
env: tic-tac-toe-v1
seed: 3
algorithm: alphazero
model: { arch: { kind: mlp, hidden: [16] } }
alphazero: { gamesPerUpdate: 2, simulations: 2, trainSteps: 1, batchSize: 8 }
opponents:
  anchors: [{ agentId: random, agent: random }]
snapshots: { every: 4 }
evaluation: { every: 4, games: 2 }
checkpoints: { every: 1 }
stop: { updates: ${updates} }
`;

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('cli train', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-cli-train-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its usage with --help', async () => {
    const printed: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => {
      printed.push(...args);
    };
    try {
      expect(await trainCommand(['--help'])).to.equal(0);
    } finally {
      console.log = log;
    }
    expect(printed).to.deep.equal([TRAIN_HELP]);
  });

  it('fails with a usage error without --config or with a bad config', async () => {
    const error = await trainCommand([]).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).to.equal('usage');
    expect(exitCodeFor(error)).to.equal(2);
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\nenv: tic-tac-toe-v1\nstop: {}\n');
    const bad = await trainCommand(['--config', join(dir, 'bad.yaml')]).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(bad?.code).to.equal('bad-config');
    expect(bad?.message).to.match(/stop: give stop.minutes, stop.updates or both/);
  });

  it('continues after kill -9 with --resume to the same final weights as an uninterrupted run', async function () {
    this.timeout(120_000);
    // Killed whenever the machine lets it: the run that never ends is stopped once its
    // checkpoint says 4 updates or more, and the runs compared go `at` + 4 updates from there
    // (counts, not wall time, decide what is checked).
    writeFileSync(join(dir, 'long.yaml'), config(10_000));
    const pointer = join(dir, 'b', 'models', 'ttt-kill', 'checkpoint', 'latest.json');
    const killed = startTrain(['--config', join(dir, 'long.yaml'), '--store', join(dir, 'b'), '--json']);
    let exited = false;
    void killed.done.then(() => {
      exited = true;
    });
    const updatesIn = (): number => {
      try {
        return JSON.parse(readFileSync(pointer, 'utf8')).updates as number;
      } catch {
        return 0; // not written yet
      }
    };
    while (updatesIn() < 4 && !exited) await new Promise((resolve) => setTimeout(resolve, 50));
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal, 'the training run was still running').to.equal('SIGKILL');
    const at = updatesIn();
    expect(at).to.be.at.least(4);

    const total = at + 4;
    writeFileSync(join(dir, 'short.yaml'), config(total));
    const straight = await startTrain(['--config', join(dir, 'short.yaml'), '--store', join(dir, 'a'), '--json']).done;
    expect(straight.code, straight.stderr).to.equal(0);
    const summary = lastJson(straight.stdout);
    expect(summary.finalModel).to.equal(join(dir, 'a', 'models', 'ttt-kill', 'final'));
    expect(summary.snapshots).to.have.length(Math.floor(total / 4)); // snapshots every 4 updates

    const resumed = await startTrain(['--config', join(dir, 'short.yaml'), '--store', join(dir, 'b'), '--json', '--resume']).done;
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(lastJson(resumed.stdout)).to.include({ updates: total, resumedFrom: at, stoppedBy: 'updates' });
    const weights = (store: string) => readFileSync(join(dir, store, 'models', 'ttt-kill', 'final', 'weights.bin'));
    expect(weights('b').equals(weights('a'))).to.equal(true);
  });

  it("AlphaZero: after kill -9, --resume loses no finished update and ends on the uninterrupted run's weights", async function () {
    this.timeout(120_000);
    writeFileSync(join(dir, 'long.yaml'), alphazero(10_000));
    writeFileSync(join(dir, 'short.yaml'), alphazero(12));
    const straight = await startTrain(['--config', join(dir, 'short.yaml'), '--store', join(dir, 'a'), '--json']).done;
    expect(straight.code).to.equal(0);

    const pointer = join(dir, 'b', 'models', 'ttt-az-kill', 'checkpoint', 'latest.json');
    const metrics = join(dir, 'b', 'models', 'ttt-az-kill', 'metrics.jsonl');
    const killed = startTrain(['--config', join(dir, 'long.yaml'), '--store', join(dir, 'b'), '--json']);
    const deadline = Date.now() + 60_000;
    while (!(existsSync(pointer) && JSON.parse(readFileSync(pointer, 'utf8')).updates >= 3) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).to.equal('SIGKILL');
    const at = JSON.parse(readFileSync(pointer, 'utf8')).updates as number;
    const finished = readFileSync(metrics, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"update"')).length;
    expect(at).to.be.within(3, 11);
    // Every finished update is checkpointed (checkpoints.every: 1): at most the one in flight is lost.
    expect(finished - at).to.be.within(0, 1);

    const resumed = await startTrain(['--config', join(dir, 'short.yaml'), '--store', join(dir, 'b'), '--json', '--resume']).done;
    expect(resumed.code).to.equal(0);
    expect(lastJson(resumed.stdout)).to.include({ updates: 12, resumedFrom: at, stoppedBy: 'updates' });
    const weights = (store: string) => readFileSync(join(dir, store, 'models', 'ttt-az-kill', 'final', 'weights.bin'));
    expect(weights('b').equals(weights('a'))).to.equal(true);
  });
});
