/**
 * The headless-league part of `npm run bench:cluster`: one league played through the BullMQ
 * queue by 1 and by 2 `ludus worker` processes (the real CLI, child processes), its store on
 * PostgreSQL, its coordinator `ludus league run --queue` (also a child process). The figure is
 * the coordinator's matches/s (from its --json summary: queueing, playing, storing and rating
 * included; process start-up excluded, the workers are ready before it starts).
 *
 * The league: connect-four-v1 between UCT searches of 300, 600 and 1200 simulations per move,
 * uniform pairing, 64 matches per wave: a match costs 0.1-0.3 s of CPU, so the queue's few
 * milliseconds per job are not what limits the rate. `local` is the same league in one
 * process without the queue, for scale.
 *
 * Services: Redis at LUDUS_TEST_REDIS_URL (default redis://127.0.0.1:6379) and PostgreSQL at
 * LUDUS_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, trust auth); a scratch
 * database and key prefix are created and removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../test/helpers/postgres.ts';
import { dropPrefix, freshPrefix, REDIS_URL } from '../test/helpers/queue-services.ts';

const BIN = fileURLToPath(new URL('../bin/ludus.js', import.meta.url));

export interface LeagueClusterOptions {
  /** Worker counts to measure, in order (each run measures every one). */
  readonly workers: readonly number[];
  readonly matches: number;
  readonly concurrency: number;
  readonly runs: number;
}

export interface LeagueClusterResult {
  /** Median matches/s per worker count, keyed "1", "2". */
  readonly league: Record<string, number>;
  readonly leagueDetails: {
    readonly env: string;
    readonly members: readonly string[];
    readonly matches: number;
    readonly concurrency: number;
    readonly runs: number;
    /** Every run's matches/s per worker count. */
    readonly samples: Record<string, number[]>;
    /** Median matches/s of the same league in one process, no queue. */
    readonly local: number;
    /** The largest worker count's rate over one worker's. */
    readonly speedup: number;
    /**
     * Median CPU the workers used together per second of the run, in cores (Linux /proc): 2
     * workers on an idle 2-core machine approach 2; less means other processes had the cores.
     */
    readonly workerCores: Record<string, number>;
    readonly loadAverage: { readonly before: number[]; readonly after: number[] };
  };
}

const MEMBERS = [
  { agentId: 'mcts-300', agent: 'mcts:sims=300' },
  { agentId: 'mcts-600', agent: 'mcts:sims=600' },
  { agentId: 'mcts-1200', agent: 'mcts:sims=1200' },
];

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const median = (xs: readonly number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function leagueConfig(name: string, options: LeagueClusterOptions): object {
  return {
    name,
    env: 'connect-four-v1',
    seed: 3,
    members: MEMBERS,
    matchmaking: { strategy: 'uniform' },
    schedule: { concurrency: options.concurrency, recordReplays: true },
    stop: { matches: options.matches },
  };
}

interface Child {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stdout: string;
  stderr: string;
}

function startLudus(args: readonly string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const handle: Child = { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))), stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => {
    handle.stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    handle.stderr += d.toString();
  });
  return handle;
}

/** Starts a worker and resolves once it takes jobs. */
async function startWorker(queueArgs: readonly string[]): Promise<Child> {
  const worker = startLudus(['worker', ...queueArgs, '--quiet']);
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (worker.stdout.includes(' ready: ')) resolve();
    };
    worker.child.stdout!.on('data', check);
    void worker.exited.then((code) => reject(new Error(`a worker exited (${code}) before it was ready: ${worker.stderr}`)));
  });
  return worker;
}

interface RunFigures {
  readonly matchesPerSec: number;
  readonly seconds: number;
}

/** One league run: the coordinator's matches/s and seconds. */
async function runCoordinator(args: readonly string[]): Promise<RunFigures> {
  const coordinator = startLudus(['league', 'run', ...args, '--json']);
  const code = await coordinator.exited;
  if (code !== 0) throw new Error(`ludus league run exited ${code}: ${coordinator.stderr}`);
  return JSON.parse(coordinator.stdout.trim().split('\n').pop()!) as RunFigures;
}

/** User + system CPU seconds of a live process (Linux; 0 elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

async function queuedRun(n: number, run: number, options: LeagueClusterOptions, dir: string, database: string): Promise<RunFigures & { cores: number }> {
  const prefix = freshPrefix();
  const queueArgs = ['--queue', REDIS_URL, '--queue-prefix', prefix, '--database', database];
  const file = join(dir, `league-${n}-${run}.json`);
  writeFileSync(file, JSON.stringify(leagueConfig(`cluster-${n}-workers-${run}`, options)));
  const workers: Child[] = [];
  try {
    for (let i = 0; i < n; i++) workers.push(await startWorker(queueArgs));
    const cpuBefore = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid), 0);
    const figures = await runCoordinator(['--config', file, ...queueArgs]);
    const cpu = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid), 0) - cpuBefore;
    return { ...figures, cores: cpu / figures.seconds };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await dropPrefix(prefix);
  }
}

async function localRun(run: number, options: LeagueClusterOptions, dir: string): Promise<number> {
  const file = join(dir, `league-local-${run}.json`);
  writeFileSync(file, JSON.stringify(leagueConfig(`cluster-local-${run}`, options)));
  return (await runCoordinator(['--config', file, '--store', join(dir, `local-${run}`)])).matchesPerSec;
}

export async function benchLeagueCluster(options: LeagueClusterOptions): Promise<LeagueClusterResult> {
  const before = loadavg().map((x) => round(x));
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-cluster-'));
  const database = await createTestDatabase();
  const samples: Record<string, number[]> = Object.fromEntries(options.workers.map((n) => [String(n), []]));
  const cores: Record<string, number[]> = Object.fromEntries(options.workers.map((n) => [String(n), []]));
  const local: number[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      local.push(await localRun(run, options, dir));
      for (const n of options.workers) {
        const figures = await queuedRun(n, run, options, dir, database.url);
        samples[String(n)]!.push(figures.matchesPerSec);
        cores[String(n)]!.push(figures.cores);
      }
    }
  } finally {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  const league = Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, round(median(xs))]));
  const most = String(Math.max(...options.workers));
  const least = String(Math.min(...options.workers));
  return {
    league,
    leagueDetails: {
      env: 'connect-four-v1',
      members: MEMBERS.map((m) => m.agent),
      matches: options.matches,
      concurrency: options.concurrency,
      runs: options.runs,
      samples: Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, xs.map((x) => round(x))])),
      local: round(median(local)),
      speedup: round(league[most]! / league[least]!),
      workerCores: Object.fromEntries(Object.entries(cores).map(([n, xs]) => [n, round(median(xs))])),
      loadAverage: { before, after: loadavg().map((x) => round(x)) },
    },
  };
}
