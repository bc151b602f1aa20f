import { expect } from 'chai';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { computeStandings, rankedByOf } from '../../../league/standings.ts';

// 2v2 team volley, first to 1 point: every seat is filled by a member, teams by dims.teams.
const teamConfig = (overrides: Record<string, unknown> = {}): LeagueConfig =>
  parseLeagueConfig({
    name: 'tv',
    env: 'team-volley-v1',
    params: { teamSize: 2, points: 1, maxSteps: 600 },
    seed: 11,
    members: [
      { agentId: 'skill-a', agent: 'volley-skill' },
      { agentId: 'skill-b', agent: 'volley-skill' },
      { agentId: 'rnd-a', agent: 'random' },
      { agentId: 'rnd-b', agent: 'random' },
    ],
    schedule: { concurrency: 4, recordReplays: false },
    stop: { matches: 24 },
    ...overrides,
  });

async function snapshot(store: SqliteStore) {
  const league = (await store.getLeague('tv'))!;
  return { matches: await store.matchSummaries(league.id), history: await store.ratingHistory(league.id), standings: await computeStandings(store, league) };
}

describe('league/runner team leagues', function () {
  this.timeout(120_000);

  it('rates team-volley members with OpenSkill from team results and ranks the scripted players above random ones', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: teamConfig() });
    const league = (await store.getLeague('tv'))!;
    const matches = await store.matchSummaries(league.id);
    expect(matches).to.have.length(24);
    // Teammates share returns: seats 0, 1 are team 0, seats 2, 3 team 1.
    for (const m of matches) {
      expect(m.returns[0]).to.equal(m.returns[1]);
      expect(m.returns[2]).to.equal(m.returns[3]);
    }
    const standings = await computeStandings(store, league);
    expect(rankedByOf(league)).to.equal('openskill');
    expect(standings.every((s) => s.rankedBy === 'openskill' && s.openskill !== undefined)).to.equal(true);
    expect(
      standings
        .slice(0, 2)
        .map((s) => s.agentId)
        .sort(),
    ).to.deep.equal(['skill-a', 'skill-b']);
    expect(
      standings
        .slice(2)
        .map((s) => s.agentId)
        .sort(),
    ).to.deep.equal(['rnd-a', 'rnd-b']);
    // games are matches played (4 seats, 4 distinct members per match), not opposing pairs.
    expect(standings.reduce((sum, s) => sum + s.games, 0)).to.equal(4 * 24);
    const ordinals = standings.map((s) => s.openskill!.ordinal);
    expect(ordinals).to.deep.equal([...ordinals].sort((a, b) => b - a));
    // Every member of a rated match gets a rating row with mu and sigma.
    const history = await store.ratingHistory(league.id);
    expect(history.length).to.be.greaterThan(0);
    expect(history.every((row) => row.mu !== undefined && row.sigma !== undefined)).to.equal(true);
    await store.close();
  });

  it('resumes a stopped team league to exactly the ratings of an uninterrupted one', async () => {
    const whole = new SqliteStore(':memory:');
    await runLeague({ store: whole, config: teamConfig() });
    const resumed = new SqliteStore(':memory:');
    await runLeague({ store: resumed, config: teamConfig(), maxMatches: 10 });
    expect(await resumed.countMatches((await resumed.getLeague('tv'))!.id)).to.be.lessThan(24);
    const result = await runLeague({ store: resumed, config: teamConfig() });
    expect(result.resumedFrom).to.be.greaterThan(0);
    expect(await snapshot(resumed)).to.deep.equal(await snapshot(whole));
    await whole.close();
    await resumed.close();
  });
});
