/**
 * Headless leagues on the job queue through the real CLI: `ludus worker` child processes,
 * `ludus league run --queue` as the coordinator, Redis and PostgreSQL for real. Each test has
 * its own key prefix and database, removed afterwards.
 */
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { leagueMatchJobId, leagueRef } from '../../league/queue/match-jobs.ts';
import { MATCH_QUEUE } from '../../league/queue/queue-target.ts';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import { openLeagueStore } from '../../league/storage/open-league-store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { dropPrefix, freshPrefix, needPostgres, needRedis, REDIS_URL } from '../helpers/queue-services.ts';
import { runCli, startCli, type CliResult } from './run-cli.ts';

const LEAGUE = 'queued-c4';
const MATCHES = 16;

/** Connect four between searches heavy enough that a match lasts a while (a worker can be killed inside one). */
const CONFIG = {
  name: LEAGUE,
  env: 'connect-four-v1',
  seed: 5,
  members: [
    { agentId: 'mcts-600', agent: 'mcts:sims=600' },
    { agentId: 'mcts-900', agent: 'mcts:sims=900' },
    { agentId: 'mcts-1200', agent: 'mcts:sims=1200' },
  ],
  matchmaking: { strategy: 'pfsp', weighting: 'hard', focal: 'any' },
  schedule: { concurrency: 4 },
  stop: { matches: MATCHES },
};

interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  output(): string;
}

function start(args: string[]): Running {
  const { child, done } = startCli(args);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, done, output: () => out };
}

/** Resolves with the first match of `pattern` in the child's stdout (rejects if it exits first). */
function waitFor(run: Running, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const found = pattern.exec(run.output());
      if (found) {
        run.child.stdout!.off('data', check);
        resolve(found);
      }
    };
    run.child.stdout!.on('data', check);
    check();
    void run.done.then((r) => reject(new Error(`exited (${r.code ?? r.signal}) before printing ${pattern}: ${r.stderr}`)));
  });
}

/** Every row, every rating row and the members: what must not depend on who played the matches. */
async function everything(store: LeagueStore) {
  const league = (await store.getLeague(LEAGUE))!;
  const rows = [];
  for (let i = 0; i < (await store.countMatches(league.id)); i++) rows.push(await store.getMatch(league.id, i));
  return { rows, ratings: await store.ratingHistory(league.id), members: await store.listMembers(league.id), ratedThrough: league.ratedThrough };
}

/** Matches a worker's output says it played itself (not found stored), by index. */
const playedBy = (run: Running): number[] => [...run.output().matchAll(/match (\d+) \([^)]*\): played in/g)].map((m) => Number(m[1]));

describe('ludus league run --queue with ludus worker processes (real Redis and PostgreSQL)', function () {
  this.timeout(240_000);
  let dir: string;
  let reference: Awaited<ReturnType<typeof everything>>;
  let referenceDb: TestDatabase | undefined;
  let configFile: string;
  let prefix: string | undefined;
  let db: TestDatabase | undefined;
  const children: Running[] = [];

  before(async function () {
    await needRedis(this);
    await needPostgres(this);
    dir = mkdtempSync(join(tmpdir(), 'ludus-queue-'));
    configFile = join(dir, 'league.json');
    writeFileSync(configFile, JSON.stringify(CONFIG));
    // The single-process run every distributed run must equal.
    referenceDb = await createTestDatabase();
    const single = await runCli(['league', 'run', '--config', configFile, '--database', referenceDb.url, '--json']);
    expect(single.code, single.stderr).to.equal(0);
    const store = await openLeagueStore(referenceDb.url);
    try {
      reference = await everything(store);
    } finally {
      await store.close();
    }
    expect(reference.rows).to.have.length(MATCHES);
  });

  after(async () => {
    await referenceDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    prefix = freshPrefix();
    db = await createTestDatabase();
  });

  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await c.done;
    }
    if (prefix) await dropPrefix(prefix);
    await db?.drop();
  });

  const queueArgs = (): string[] => ['--queue', REDIS_URL, '--queue-prefix', prefix!, '--database', db!.url];

  async function startWorker(extra: string[] = []): Promise<Running> {
    const worker = start(['worker', ...queueArgs(), ...extra]);
    children.push(worker);
    await waitFor(worker, / ready: /);
    return worker;
  }

  const coordinator = (): Running => {
    const run = start(['league', 'run', '--config', configFile, ...queueArgs(), '--json']);
    children.push(run);
    return run;
  };

  async function stored(): Promise<Awaited<ReturnType<typeof everything>>> {
    const store = await openLeagueStore(db!.url);
    try {
      return await everything(store);
    } finally {
      await store.close();
    }
  }

  it('two workers store exactly the rows and ratings of the single-process run', async () => {
    const workers = [await startWorker(), await startWorker()];
    const result = await coordinator().done;
    expect(result.code, result.stderr).to.equal(0);
    expect(JSON.parse(result.stdout)).to.include({ played: MATCHES, total: MATCHES, stoppedBy: 'matches' });
    expect(await stored()).to.deep.equal(reference);
    const played = workers.map(playedBy);
    expect(played.flat().sort((a, b) => a - b)).to.deep.equal([...Array(MATCHES).keys()]); // each match played once
    for (const p of played) expect(p).to.not.be.empty;
    // standings (and every other league command) read the shared store
    const standings = await runCli(['league', 'standings', '--database', db!.url, '--json']);
    const single = await runCli(['league', 'standings', '--database', referenceDb!.url, '--json']);
    expect(standings.code, standings.stderr).to.equal(0);
    expect(JSON.parse(standings.stdout)).to.deep.equal(JSON.parse(single.stdout));
  });

  it('a worker killed in the middle of a match loses nothing: its job is played again, once', async () => {
    const doomed = await startWorker(['--lock-ms', '2000']);
    const run = coordinator();
    const [, index] = await waitFor(doomed, /match (\d+) \([^)]*\): started/);
    doomed.child.kill('SIGKILL');
    await doomed.done;
    expect(playedBy(doomed)).to.not.include(Number(index)); // killed before it finished that match
    await startWorker(['--lock-ms', '2000']);
    const result = await run.done;
    expect(result.code, result.stderr).to.equal(0);
    expect(await stored()).to.deep.equal(reference); // no row lost, none twice, the same ratings
    const queue = new Queue(MATCH_QUEUE, { connection: { url: REDIS_URL }, prefix: prefix! });
    try {
      const store = await openLeagueStore(db!.url);
      const league = (await store.getLeague(LEAGUE))!;
      await store.close();
      const job = await queue.getJob(leagueMatchJobId(leagueRef(league), Number(index)));
      expect(job!.stalledCounter, 'the killed job came back as stalled').to.be.at.least(1);
      expect(await job!.getState()).to.equal('completed');
    } finally {
      await queue.close();
    }
  });

  it('a coordinator stopped with Ctrl-C, then killed mid-wave, resumes and ends with the single-process results', async () => {
    const worker = await startWorker();
    const first = coordinator();
    await waitFor(worker, /match \d+ \([^)]*\): played in/);
    first.child.kill('SIGINT'); // stops after the current wave
    const interrupted = await first.done;
    expect(interrupted.code, interrupted.stderr).to.equal(130);
    const afterFirst = (await stored()).rows.length;
    expect(afterFirst).to.be.within(1, MATCHES - 1);
    const second = coordinator();
    await waitFor(worker, new RegExp(`match (${afterFirst}|${afterFirst + 1}|${afterFirst + 2}) \\([^)]*\\): started`));
    second.child.kill('SIGKILL'); // its wave's jobs stay on the queue; the worker goes on playing them
    await second.done;
    const third = await coordinator().done;
    expect(third.code, third.stderr).to.equal(0);
    expect(JSON.parse(third.stdout)).to.include({ total: MATCHES, stoppedBy: 'matches' });
    expect(JSON.parse(third.stdout).resumedFrom).to.be.at.least(afterFirst);
    expect(await stored()).to.deep.equal(reference);
    expect(playedBy(worker).sort((a, b) => a - b)).to.deep.equal([...Array(MATCHES).keys()]); // nothing played twice
  });

  it('evaluations on workers: payoff and cross-play --games give what they give in one process', async () => {
    const kitchen = join(dir, 'kitchen.json');
    writeFileSync(
      kitchen,
      JSON.stringify({
        name: 'kitchen',
        env: 'overcooked-v1',
        params: { layout: 'cramped_room', horizon: 100 },
        seed: 2,
        members: [
          { agentId: 'greedy', agent: 'overcooked-greedy' },
          { agentId: 'random', agent: 'random' },
        ],
        matchmaking: { strategy: 'uniform' },
        stop: { matches: 4 },
      }),
    );
    const setup = await runCli(['league', 'run', '--config', kitchen, '--database', db!.url, '--json']);
    expect(setup.code, setup.stderr).to.equal(0);
    const c4 = await runCli(['league', 'run', '--config', configFile, '--database', db!.url, '--max-matches', '1', '--json']);
    expect(c4.code, c4.stderr).to.equal(0);
    const local = {
      payoff: await runCli(['league', 'payoff', '--database', db!.url, '--league', LEAGUE, '--games', '1', '--json']),
      crossplay: await runCli(['league', 'crossplay', '--database', db!.url, '--league', 'kitchen', '--games', '2', '--json']),
    };
    const workers = [await startWorker(), await startWorker()];
    const queued = {
      payoff: await runCli(['league', 'payoff', ...queueArgs(), '--league', LEAGUE, '--games', '1', '--json']),
      crossplay: await runCli(['league', 'crossplay', ...queueArgs(), '--league', 'kitchen', '--games', '2', '--json']),
    };
    for (const [name, result] of Object.entries({ ...local, ...queued })) expect(result.code, `${name}: ${result.stderr}`).to.equal(0);
    expect(JSON.parse(queued.payoff.stdout)).to.deep.equal(JSON.parse(local.payoff.stdout));
    expect(JSON.parse(queued.crossplay.stdout)).to.deep.equal(JSON.parse(local.crossplay.stdout));
    expect(JSON.parse(queued.payoff.stdout).evaluation).to.include({ gamesPerPair: 1, matches: 6 });
    const evaluated = workers.map((w) => [...w.output().matchAll(/evaluation match \([^)]*\): played/g)].length);
    expect(evaluated[0]! + evaluated[1]!).to.equal(6 + 8); // every game once, on the workers
  });
});
