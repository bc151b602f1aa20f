/**
 * Headless leagues on PostgreSQL: the same config stores exactly what it stores on SQLite
 * (matches, replays, every rating row), and a league interrupted and resumed on PostgreSQL,
 * also after a crash mid-wave, ends where an uninterrupted one does.
 */
import { expect } from 'chai';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import type { LeagueStore } from '../../../league/storage/league-store.ts';
import { PgStore } from '../../../league/storage/pg-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { computeStandings } from '../../../league/standings.ts';
import { usePostgres } from '../../helpers/postgres.ts';

const config = (name: string): LeagueConfig =>
  parseLeagueConfig({
    name,
    env: 'tic-tac-toe-v1',
    seed: 11,
    members: [
      { agentId: 'random', agent: 'random' },
      { agentId: 'first', agent: 'first-legal' },
      { agentId: 'mcts-8', agent: 'mcts:sims=8' },
    ],
    matchmaking: { strategy: 'pfsp', weighting: 'hard', focal: 'any' },
    ratings: { openskill: {} },
    schedule: { concurrency: 16, recordReplays: true },
    stop: { matches: 160 },
  });

/** Everything a league leaves in its store, without the league's name and id. */
async function contents(store: LeagueStore, name: string) {
  const league = (await store.getLeague(name))!;
  const matches = await store.matchSummaries(league.id);
  return {
    ratedThrough: league.ratedThrough,
    matches,
    records: await Promise.all([0, 57, matches.length - 1].map(async (i) => (await store.getMatch(league.id, i))!.record)),
    history: await store.ratingHistory(league.id),
    latest: Object.fromEntries(await store.latestRatingRows(league.id)),
    members: await store.listMembers(league.id),
    outcomes: (await store.outcomeCounts(league.id)).map((o) => JSON.stringify(o)).sort(),
    standings: await computeStandings(store, league),
  };
}

describe('league/runner on PostgreSQL', function () {
  this.timeout(180_000);
  const db = usePostgres();
  let sqlite: SqliteStore;
  let postgres: PgStore;
  before(async () => {
    sqlite = new SqliteStore(':memory:');
    await runLeague({ store: sqlite, config: config('whole') });
  });
  beforeEach(async () => {
    postgres = await PgStore.open(db().url);
  });
  afterEach(async () => {
    await postgres.close();
  });
  after(async () => {
    await sqlite?.close();
  });

  it('stores exactly the matches and ratings the same league stores on SQLite', async () => {
    const result = await runLeague({ store: postgres, config: config('whole') });
    expect(result).to.include({ total: 160, played: 160, stoppedBy: 'matches' });
    expect(await contents(postgres, 'whole')).to.deep.equal(await contents(sqlite, 'whole'));
  });

  it('resumes a league interrupted inside a wave to exactly the uninterrupted ratings', async () => {
    const first = await runLeague({ store: postgres, config: config('parts'), maxMatches: 72 });
    expect(first.total).to.equal(72);
    await postgres.close();
    postgres = await PgStore.open(db().url); // another process carries on
    const second = await runLeague({ store: postgres, config: config('parts') });
    expect(second).to.include({ resumedFrom: 72, total: 160, played: 88 });
    expect(await contents(postgres, 'parts')).to.deep.equal(await contents(sqlite, 'whole'));
  });

  it('resumes identically when a crash left part of a wave stored without its Elo rows', async () => {
    await runLeague({ store: postgres, config: config('crashed'), maxMatches: 64 });
    const league = (await postgres.getLeague('crashed'))!;
    const whole = (await sqlite.getLeague('whole'))!;
    const partial = await Promise.all([66, 64, 70].map(async (i) => (await sqlite.getMatch(whole.id, i))!));
    await postgres.commit(league.id, partial, []);
    await runLeague({ store: postgres, config: config('crashed') });
    expect(await contents(postgres, 'crashed')).to.deep.equal(await contents(sqlite, 'whole'));
  });
});
