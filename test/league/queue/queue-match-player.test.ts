import { expect } from 'chai';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { evaluationMatches, playEvaluation } from '../../../league/evaluate/evaluation-games.ts';
import { MatchWorker, type WorkerJobEvent } from '../../../league/queue/match-worker.ts';
import { LocalMatchPlayer, type PlayContext } from '../../../league/runner/match-player.ts';
import { getEnv } from '../../../envs/index.ts';
import { QueueMatchPlayer } from '../../../league/queue/queue-match-player.ts';
import { parseQueueTarget } from '../../../league/queue/queue-target.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import type { LeagueStore } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { dropPrefix, freshPrefix, needPostgres, needRedis, REDIS_URL } from '../../helpers/queue-services.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { openLeagueStore } from '../../../league/storage/open-league-store.ts';
import { Queue, QueueEvents } from 'bullmq';
import { MATCH_QUEUE } from '../../../league/queue/queue-target.ts';
import { leagueRef, type LeagueMatchJob } from '../../../league/queue/match-jobs.ts';

const config = (): LeagueConfig =>
  parseLeagueConfig({
    name: 'queued',
    env: 'tic-tac-toe-v1',
    seed: 11,
    members: [
      { agentId: 'random', agent: 'random' },
      { agentId: 'first', agent: 'first-legal' },
      { agentId: 'mcts-8', agent: 'mcts:sims=8' },
      { agentId: 'mcts-32', agent: 'mcts:sims=32' },
    ],
    matchmaking: { strategy: 'pfsp', weighting: 'hard', focal: 'any' },
    schedule: { concurrency: 8 },
    stop: { matches: 40 },
  });

async function everything(store: LeagueStore) {
  const league = (await store.getLeague('queued'))!;
  const count = await store.countMatches(league.id);
  const rows = [];
  for (let i = 0; i < count; i++) rows.push(await store.getMatch(league.id, i));
  return { rows, history: await store.ratingHistory(league.id), ratedThrough: league.ratedThrough };
}

describe('league/queue/queue-match-player (in-process workers, real Redis)', () => {
  let prefix: string;
  beforeEach(async function () {
    await needRedis(this);
    prefix = freshPrefix();
  });
  afterEach(async () => {
    if (prefix) await dropPrefix(prefix);
  });

  it('a league played by two workers stores exactly the rows and ratings of the local run', async () => {
    const local = new SqliteStore(':memory:');
    await runLeague({ store: local, config: config() });
    const shared = new SqliteStore(':memory:');
    const target = parseQueueTarget(REDIS_URL, prefix);
    const events: WorkerJobEvent[] = [];
    const workers = await Promise.all([0, 1].map((i) => MatchWorker.start({ target, store: shared, name: `w${i}`, onJob: (e) => events.push(e) })));
    const player = await QueueMatchPlayer.open({ target, store: shared });
    try {
      const result = await runLeague({ store: shared, config: config(), player });
      expect(result).to.include({ total: 40, played: 40, stoppedBy: 'matches' });
      expect(await everything(shared)).to.deep.equal(await everything(local));
      const played = events.filter((e) => e.phase === 'done' && e.played).map((e) => e.index);
      expect(played.sort((a, b) => a! - b!)).to.deep.equal([...Array(40).keys()]);
    } finally {
      await player.close();
      await Promise.all(workers.map((w) => w.close()));
    }
  });
});

describe('league/queue failed jobs (in-process workers, real Redis)', () => {
  let prefix: string;
  beforeEach(async function () {
    await needRedis(this);
    prefix = freshPrefix();
  });
  afterEach(async () => {
    if (prefix) await dropPrefix(prefix);
  });

  it('stops the coordinator with match-job-failed, and retries the failed jobs when run again', async () => {
    const local = new SqliteStore(':memory:');
    await runLeague({ store: local, config: config() });
    const shared = new SqliteStore(':memory:');
    const target = parseQueueTarget(REDIS_URL, prefix);
    const player = await QueueMatchPlayer.open({ target, store: shared, attempts: 1 });
    try {
      // A worker on another store: the league is not there, every job fails.
      const stranger = await MatchWorker.start({ target, store: new SqliteStore(':memory:') });
      let error: unknown;
      try {
        await runLeague({ store: shared, config: config(), player });
      } catch (e) {
        error = e;
      }
      await stranger.close();
      expect((error as { code?: string }).code).to.equal('match-job-failed');
      expect(String(error)).to.include('not in this worker');
      const worker = await MatchWorker.start({ target, store: shared });
      try {
        const result = await runLeague({ store: shared, config: config(), player });
        expect(result).to.include({ total: 40, stoppedBy: 'matches' });
        expect(await everything(shared)).to.deep.equal(await everything(local));
      } finally {
        await worker.close();
      }
    } finally {
      await player.close();
    }
  });
});

describe('league/queue evaluation games (in-process workers, real Redis)', () => {
  let prefix: string;
  beforeEach(async function () {
    await needRedis(this);
    prefix = freshPrefix();
  });
  afterEach(async () => {
    if (prefix) await dropPrefix(prefix);
  });

  it('plays every ordered pair the same on workers as here, and answers a repeated evaluation from the finished jobs', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: config(), maxMatches: 8 });
    const league = (await store.getLeague('queued'))!;
    const env = getEnv(league.env);
    const context: PlayContext = { league, env, params: env.parseParams({}), recordReplays: false };
    const members = await store.listMembers(league.id);
    expect(evaluationMatches({ members, games: 3, seed: 11, selfPlay: false })).to.have.length(4 * 3 * 3);
    const here = await playEvaluation(new LocalMatchPlayer(store), context, members, { games: 3, selfPlay: false });
    const target = parseQueueTarget(REDIS_URL, prefix);
    const events: WorkerJobEvent[] = [];
    const worker = await MatchWorker.start({ target, store, onJob: (e) => events.push(e) });
    const player = await QueueMatchPlayer.open({ target, store });
    try {
      expect(await playEvaluation(player, context, members, { games: 3, selfPlay: false })).to.deep.equal(here);
      const playedOnce = events.filter((e) => e.phase === 'done').length;
      expect(playedOnce).to.equal(36);
      expect(await playEvaluation(player, context, members, { games: 3, selfPlay: false })).to.deep.equal(here);
      expect(events.filter((e) => e.phase === 'done').length).to.equal(playedOnce); // same jobs: nothing played again
    } finally {
      await player.close();
      await worker.close();
    }
  });
});

describe('league/queue/match-worker on PostgreSQL (real Redis and PostgreSQL)', () => {
  let prefix: string | undefined;
  let db: TestDatabase | undefined;
  beforeEach(async function () {
    await needRedis(this);
    await needPostgres(this);
    prefix = freshPrefix();
    db = await createTestDatabase();
  });
  afterEach(async () => {
    if (prefix) await dropPrefix(prefix);
    await db?.drop();
  });

  it('stores a match played by two jobs at once exactly once (the second insert finds the first)', async () => {
    const store = await openLeagueStore(db!.url);
    const target = parseQueueTarget(REDIS_URL, prefix);
    const connection = { url: REDIS_URL };
    const queue = new Queue(MATCH_QUEUE, { connection, prefix: prefix! });
    const events = new QueueEvents(MATCH_QUEUE, { connection, prefix: prefix! });
    const seen: WorkerJobEvent[] = [];
    const workers = await Promise.all([0, 1].map(() => MatchWorker.start({ target, store, onJob: (e) => seen.push(e) })));
    try {
      await runLeague({ store, config: config(), maxMatches: 8 });
      const league = (await store.getLeague('queued'))!;
      const data: LeagueMatchJob = {
        kind: 'league-match',
        league: leagueRef(league),
        index: 8,
        seed: 99,
        seats: ['mcts-32', 'mcts-8'],
        agents: [
          { kind: 'mcts', options: { sims: 3000 } },
          { kind: 'mcts', options: { sims: 3000 } },
        ],
      };
      await events.waitUntilReady();
      // Two jobs of one match (as after a lost lock): both workers play it at the same time.
      const jobs = await queue.addBulk([
        { name: data.kind, data, opts: { jobId: 'twice-a' } },
        { name: data.kind, data, opts: { jobId: 'twice-b' } },
      ]);
      const done = (await Promise.all(jobs.map((job) => job.waitUntilFinished(events)))) as { index: number; played: boolean }[];
      expect(done.map((d) => d.index)).to.deep.equal([8, 8]);
      expect(done.filter((d) => d.played)).to.have.length(1);
      expect(seen.filter((e) => e.phase === 'failed')).to.deep.equal([]);
      const stored = await store.matchSummaries(league.id, 8, 9);
      expect(stored).to.have.length(1);
      expect(stored[0]).to.include({ index: 8, seed: 99 });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await events.close();
      await queue.close();
      await store.close();
    }
  });
});
