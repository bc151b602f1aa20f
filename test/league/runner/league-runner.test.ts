import { expect } from 'chai';
import { z } from 'zod';
import { agentKinds, registerAgentKind } from '../../../agents/index.ts';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import type { LeagueStore } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { computeStandings } from '../../../league/standings.ts';

// A test-only agent that throws on its first decision: a crashing member.
if (!agentKinds().some((k) => k.kind === 'test-crasher')) {
  registerAgentKind({
    kind: 'test-crasher',
    description: 'throws on its first decision (tests)',
    optionsSchema: z.object({}).strict(),
    create: () => ({
      name: 'test-crasher',
      act: () => {
        throw new Error('boom');
      },
    }),
  });
}

const leagueConfig = (overrides: Record<string, unknown> = {}): LeagueConfig =>
  parseLeagueConfig({
    name: 'ttt',
    env: 'tic-tac-toe-v1',
    seed: 7,
    members: [
      { agentId: 'random', agent: 'random' },
      { agentId: 'first', agent: 'first-legal' },
      { agentId: 'mcts-8', agent: 'mcts:sims=8' },
    ],
    matchmaking: { strategy: 'pfsp', weighting: 'hard', focal: 'any' },
    schedule: { concurrency: 16 },
    stop: { matches: 200 },
    ...overrides,
  });

/** Everything a run leaves behind that must not depend on how it was interrupted. */
async function snapshot(store: LeagueStore, name = 'ttt') {
  const league = (await store.getLeague(name))!;
  return {
    matches: await store.matchSummaries(league.id),
    history: await store.ratingHistory(league.id),
    latest: Object.fromEntries(await store.latestRatings(league.id)),
    members: await store.listMembers(league.id),
  };
}

describe('league/runner/league-runner', () => {
  it('plays until the match limit and stores every match with its replay and Elo rows', async () => {
    const store = new SqliteStore(':memory:');
    const result = await runLeague({ store, config: leagueConfig() });
    expect(result).to.include({ total: 200, played: 200, resumedFrom: 0, stoppedBy: 'matches' });
    const league = (await store.getLeague('ttt'))!;
    expect(await store.countMatches(league.id)).to.equal(200);
    expect(league.ratedThrough).to.equal(200);
    const first = (await store.getMatch(league.id, 0))!;
    expect(first.record!.env).to.equal('tic-tac-toe');
    expect(first.record!.history.length).to.equal(first.length);
    const rated = (await store.matchSummaries(league.id)).filter((m) => m.seats[0] !== m.seats[1]).length;
    expect(await store.ratingHistory(league.id)).to.have.length(2 * rated);
    await store.close();
  });

  it('gives identical matches and ratings for the same seed, and different ones for another seed', async () => {
    const a = new SqliteStore(':memory:');
    const b = new SqliteStore(':memory:');
    const c = new SqliteStore(':memory:');
    await runLeague({ store: a, config: leagueConfig() });
    await runLeague({ store: b, config: leagueConfig() });
    await runLeague({ store: c, config: leagueConfig({ seed: 8 }) });
    expect(await snapshot(b)).to.deep.equal(await snapshot(a));
    expect((await snapshot(c)).matches).to.not.deep.equal((await snapshot(a)).matches);
    for (const s of [a, b, c]) await s.close();
  });

  it('resumes after a stop with exactly the ratings of an uninterrupted run', async () => {
    const whole = new SqliteStore(':memory:');
    await runLeague({ store: whole, config: leagueConfig() });
    const parts = new SqliteStore(':memory:');
    const first = await runLeague({ store: parts, config: leagueConfig(), maxMatches: 72 }); // stops inside a wave of 16
    expect(first.total).to.equal(72);
    const second = await runLeague({ store: parts, config: leagueConfig() });
    expect(second).to.include({ resumedFrom: 72, total: 200, played: 128 });
    expect(await snapshot(parts)).to.deep.equal(await snapshot(whole));
    await whole.close();
    await parts.close();
  });

  it('resumes identically when a crash left part of a wave stored without its Elo rows', async () => {
    const whole = new SqliteStore(':memory:');
    await runLeague({ store: whole, config: leagueConfig() });
    const crashed = new SqliteStore(':memory:');
    await runLeague({ store: crashed, config: leagueConfig(), maxMatches: 64 });
    // What kill -9 can leave: some finished matches of the next wave, no Elo rows for them.
    const league = (await crashed.getLeague('ttt'))!;
    const wholeLeague = (await whole.getLeague('ttt'))!;
    const partial = await Promise.all([66, 64, 70].map(async (i) => (await whole.getMatch(wholeLeague.id, i))!));
    await crashed.commit(league.id, partial, []);
    await runLeague({ store: crashed, config: leagueConfig() });
    expect(await snapshot(crashed)).to.deep.equal(await snapshot(whole));
    await whole.close();
    await crashed.close();
  });

  it('stops between waves when interrupted, keeping every finished match', async () => {
    const store = new SqliteStore(':memory:');
    const abort = new AbortController();
    const result = await runLeague({
      store,
      config: leagueConfig(),
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done >= 48) abort.abort();
      },
    });
    expect(result.stoppedBy).to.equal('interrupted');
    expect(result.total).to.equal(48);
    expect(await store.countMatches((await store.getLeague('ttt'))!.id)).to.equal(48);
    await store.close();
  });

  it('refuses to resume a league whose config changed, naming what to do', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: leagueConfig(), maxMatches: 16 });
    const changed = leagueConfig({ matchmaking: { strategy: 'uniform' } });
    let message = '';
    try {
      await runLeague({ store, config: changed });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message)
      .to.match(/different config/)
      .and.match(/new `name`/);
    await store.close();
  });

  it('extends a finished league when only the stopping rule grows', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: leagueConfig() });
    const more = await runLeague({ store, config: leagueConfig({ stop: { matches: 232 } }) });
    expect(more).to.include({ resumedFrom: 200, played: 32, total: 232 });
    await store.close();
  });

  it('ranks a stronger agent above a weaker one', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: leagueConfig({ stop: { matches: 400 } }) });
    const latest = await store.latestRatings((await store.getLeague('ttt'))!.id);
    expect(latest.get('mcts-8')!).to.be.greaterThan(latest.get('random')!);
    await store.close();
  });

  it('snapshots a learner on schedule and matches its snapshots like any member', async () => {
    const store = new SqliteStore(':memory:');
    const config = leagueConfig({
      members: [
        { agentId: 'random', agent: 'random' },
        { agentId: 'learner', agent: 'mcts:sims=2', kind: 'learner' },
      ],
      matchmaking: { strategy: 'latest-vs-snapshots', q: 0.5, window: 3 },
      snapshots: { everyMatches: 40 },
      stop: { matches: 320 },
    });
    // The scripted stand-in for training: one more simulation per wave.
    const learnerHook = (learner: { agent: { kind: string; options: Record<string, unknown> } }) => ({
      kind: 'mcts',
      options: { sims: Number(learner.agent.options.sims) + 1 },
    });
    await runLeague({ store, config, learnerHook });
    const { members, matches } = await snapshot(store);
    const snaps = members.filter((m) => m.kind === 'snapshot');
    expect(snaps.length).to.be.greaterThan(2);
    for (const s of snaps) {
      expect(s.parentId).to.equal('learner');
      expect(s.frozen).to.equal(true);
      expect(Number(s.agent.options.sims)).to.equal(3 + s.createdAt / 16); // the hook ran once per wave start, this one included
    }
    expect(matches.some((m) => snaps.some((s) => m.seats.includes(s.agentId)))).to.equal(true);

    // A resumed run re-derives the same snapshots.
    const resumed = new SqliteStore(':memory:');
    await runLeague({ store: resumed, config, learnerHook, maxMatches: 150 });
    await runLeague({ store: resumed, config, learnerHook });
    expect(await snapshot(resumed)).to.deep.equal(await snapshot(store));
    await store.close();
    await resumed.close();
  });

  it('counts a crashing member as forfeits, or leaves its matches unrated, as the config says', async () => {
    const members = [
      { agentId: 'random', agent: 'random' },
      { agentId: 'crasher', agent: 'test-crasher' },
    ];
    for (const faults of ['forfeit', 'no-result'] as const) {
      const store = new SqliteStore(':memory:');
      await runLeague({ store, config: leagueConfig({ members, matchmaking: { strategy: 'uniform' }, ratings: { faults }, stop: { matches: 32 } }) });
      const league = (await store.getLeague('ttt'))!;
      const matches = await store.matchSummaries(league.id);
      expect(matches.every((m) => m.status === 'faulted' && m.fault!.code === 'agent-error')).to.equal(true);
      expect(matches.every((m) => m.seats[m.fault!.seat] === 'crasher')).to.equal(true);
      const latest = await store.latestRatings(league.id);
      if (faults === 'forfeit') {
        expect(latest.get('crasher')!).to.be.lessThan(1000);
        expect((await computeStandings(store, league))[0]!.agentId).to.equal('random');
      } else {
        expect(latest.size).to.equal(0); // nothing rated, nothing silently counted
        expect(await store.ratingHistory(league.id)).to.have.length(0);
      }
      await store.close();
    }
  });

  it('keeps OpenSkill ratings beside Elo when asked, and shows them in the standings', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: leagueConfig({ ratings: { openskill: {} }, stop: { matches: 160 } }) });
    const league = (await store.getLeague('ttt'))!;
    const history = await store.ratingHistory(league.id);
    expect(history.every((r) => typeof r.mu === 'number' && typeof r.sigma === 'number')).to.equal(true);
    const standings = await computeStandings(store, league);
    const skill = Object.fromEntries(standings.map((s) => [s.agentId, s.openskill!]));
    expect(skill['mcts-8']!.mu).to.be.greaterThan(skill['random']!.mu);
    expect(skill['random']!.sigma).to.be.lessThan(25 / 3); // uncertainty shrank from the default
  });
});
