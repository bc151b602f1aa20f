import { expect } from 'chai';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { MatchWorker } from '../../../league/queue/match-worker.ts';
import { QueueMatchPlayer } from '../../../league/queue/queue-match-player.ts';
import { parseQueueTarget } from '../../../league/queue/queue-target.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import type { LeagueStore } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { dropPrefix, freshPrefix, needRedis, REDIS_URL } from '../../helpers/redis-queue.ts';

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
    const workers = await Promise.all([0, 1].map((i) => MatchWorker.start({ target, store: shared, name: `w${i}` })));
    const player = await QueueMatchPlayer.open({ target, store: shared });
    try {
      const result = await runLeague({ store: shared, config: config(), player });
      expect(result).to.include({ total: 40, played: 40, stoppedBy: 'matches' });
      expect(await everything(shared)).to.deep.equal(await everything(local));
    } finally {
      await player.close();
      await Promise.all(workers.map((w) => w.close()));
    }
  });
});
