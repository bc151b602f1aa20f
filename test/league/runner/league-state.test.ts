import { expect } from 'chai';
import { LeagueState } from '../../../league/runner/league-state.ts';

describe('league/runner/league-state', () => {
  const match = (index: number, seats: string[], returns: number[]) => ({
    index,
    seed: index,
    seats,
    returns,
    length: 5,
    status: 'finished' as const,
    fault: null,
  });

  it('records each result in the payoff table from both sides, whatever the seat order', () => {
    const state = new LeagueState({ k: 32, initial: 1000, scale: 400 }, 'forfeit', 'zero-sum');
    for (let i = 0; i < 10; i++) state.apply(match(i, i % 2 === 0 ? ['a', 'b'] : ['b', 'a'], i % 2 === 0 ? [1, -1] : [-1, 1]));
    expect(state.payoff.winRate('a', 'b')).to.equal(1);
    expect(state.payoff.winRate('b', 'a')).to.equal(0);
    expect(state.payoff.games('a', 'b')).to.be.closeTo(state.payoff.games('b', 'a'), 1e-12);
    expect(state.payoff.games('a', 'b')).to.be.above(9); // ten decayed games, not the five where a sat first
  });

  it("keeps each agent's mean margin per game over finished matches", () => {
    const state = new LeagueState({ k: 32, initial: 1000, scale: 400 }, 'forfeit', 'zero-sum');
    state.apply(match(0, ['a', 'b'], [2, -2]));
    state.apply(match(1, ['b', 'a'], [1, -1]));
    state.apply({ ...match(2, ['a', 'b'], [0, 0]), status: 'aborted' });
    expect(state.meanMargin('a')).to.equal(0.5);
    expect(state.meanMargin('b')).to.equal(-0.5);
    expect(state.meanMargin('c')).to.equal(undefined);
  });
});
