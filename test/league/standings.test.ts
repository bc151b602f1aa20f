import { expect } from 'chai';
import { parseLeagueConfig } from '../../league/config/league-config.ts';
import { runLeague } from '../../league/runner/league-runner.ts';
import { computeStandings, isMarginGame, marginGamesFromOutcomes, rankedByOf } from '../../league/standings.ts';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';

describe('league/standings', () => {
  it('ranks a kuhn poker league by chips per game: the CFR equilibrium player above random', async () => {
    const store = new SqliteStore(':memory:');
    const config = parseLeagueConfig({
      name: 'kuhn',
      env: 'kuhn-poker-v1',
      seed: 1,
      members: [
        { agentId: 'random', agent: 'random' },
        { agentId: 'cfr', agent: 'cfr:iterations=1000' },
      ],
      matchmaking: { strategy: 'uniform' },
      schedule: { concurrency: 64 },
      stop: { matches: 2000 },
    });
    const progress: { leader: string; leaderChipsPerGame?: number }[] = [];
    await runLeague({ store, config, onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)!.leader, 'the progress line names the chip leader').to.equal('cfr');
    expect(progress.at(-1)!.leaderChipsPerGame).to.be.above(0);
    const league = (await store.getLeague('kuhn'))!;
    const standings = await computeStandings(store, league);
    expect(rankedByOf(league)).to.equal('margin');
    expect(standings.map((s) => s.agentId)).to.deep.equal(['cfr', 'random']);
    expect(standings.every((s) => s.rankedBy === 'margin')).to.equal(true);
    const cfr = standings[0]!.margin!;
    const random = standings[1]!.margin!;
    expect(cfr.ci[0], 'cfr wins chips with confidence').to.be.above(0);
    expect(random.ci[1]).to.be.below(0);
    expect([cfr.rankUpper, random.rankUpper]).to.deep.equal([1, 2]);
    // Two members: each one's mean margin is its margin against the other, and they cancel.
    expect(cfr.meanMargin).to.be.closeTo(-random.meanMargin, 1e-12);
    expect(cfr.perGame).to.be.closeTo(cfr.meanMargin / 2, 1e-9);
    await store.close();
  });

  it('ranks win/loss games by Bradley–Terry and has no margin there', async () => {
    const store = new SqliteStore(':memory:');
    const config = parseLeagueConfig({
      name: 'ttt',
      env: 'tic-tac-toe-v1',
      seed: 2,
      members: [
        { agentId: 'random', agent: 'random' },
        { agentId: 'mcts', agent: 'mcts:sims=16' },
      ],
      matchmaking: { strategy: 'uniform' },
      schedule: { concurrency: 16 },
      stop: { matches: 100 },
    });
    await runLeague({ store, config });
    const standings = await computeStandings(store, (await store.getLeague('ttt'))!);
    expect(standings.map((s) => [s.agentId, s.rankedBy, s.margin])).to.deep.equal([
      ['mcts', 'bradley-terry', undefined],
      ['random', 'bradley-terry', undefined],
    ]);
    await store.close();
  });

  it('calls zero-sum games with returns beyond win, draw and loss chip games', () => {
    expect(isMarginGame('zero-sum', { minUtility: -2, maxUtility: 2 })).to.equal(true);
    expect(isMarginGame('zero-sum', { minUtility: -1, maxUtility: 1 })).to.equal(false);
    expect(isMarginGame('identical', { minUtility: 0, maxUtility: 10 })).to.equal(false);
    expect(isMarginGame('general-sum', { minUtility: -5, maxUtility: 5 })).to.equal(false);
  });

  it('counts a forfeit as the largest loss and leaves faulted matches out under no-result', () => {
    const outcomes = [
      { seats: ['a', 'b'], returns: [0, 0], status: 'faulted' as const, faultSeat: 1, count: 3 },
      { seats: ['a', 'b'], returns: [1, -1], status: 'finished' as const, faultSeat: null, count: 2 },
      { seats: ['a', 'b'], returns: [0, 0], status: 'aborted' as const, faultSeat: null, count: 9 },
      { seats: ['a', 'a'], returns: [2, -2], status: 'finished' as const, faultSeat: null, count: 1 },
    ];
    const dims = { minUtility: -2, maxUtility: 2 };
    expect(marginGamesFromOutcomes(outcomes, 'forfeit', dims)).to.deep.equal([
      { seats: ['a', 'b'], returns: [2, -2], count: 3 },
      { seats: ['a', 'b'], returns: [1, -1], count: 2 },
    ]);
    expect(marginGamesFromOutcomes(outcomes, 'no-result', dims)).to.deep.equal([{ seats: ['a', 'b'], returns: [1, -1], count: 2 }]);
  });
});
