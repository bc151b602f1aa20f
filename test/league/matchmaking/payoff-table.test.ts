import { expect } from 'chai';
import { MatchmakingError } from '../../../league/matchmaking/matchmaking-error.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';

describe('league/matchmaking/payoff-table', () => {
  it('returns 0.5 until the decayed game count reaches minGames (8 wins are only 7.73 games)', () => {
    const table = new PayoffTable();
    for (let i = 0; i < 8; i++) table.record('a', 'b', 1);
    // sum_{k<8} 0.99^k = (1 - 0.99^8) / 0.01 = 7.7255 < 8
    expect(table.games('a', 'b')).to.be.closeTo(7.72553, 1e-5);
    expect(table.winRate('a', 'b')).to.equal(0.5);
    table.record('a', 'b', 1);
    expect(table.games('a', 'b')).to.be.closeTo(8.64827, 1e-5);
    expect(table.winRate('a', 'b')).to.equal(1);
  });

  it('decays the old counters by 0.99 before each new result (hand-computed)', () => {
    const table = new PayoffTable({ minGames: 0 });
    table.record('a', 'b', 1); // win
    table.record('a', 'b', 0); // loss
    table.record('a', 'b', 0.5); // draw
    const s = table.stats('a', 'b');
    expect(s.games).to.be.closeTo(0.9801 + 0.99 + 1, 1e-12);
    expect(s.score).to.be.closeTo(0.9801 + 0.5, 1e-12);
    expect(s.wins).to.be.closeTo(0.9801, 1e-12);
    expect(s.losses).to.be.closeTo(0.99, 1e-12);
    expect(s.draws).to.be.closeTo(1, 1e-12);
    expect(table.winRate('a', 'b')).to.be.closeTo(1.4801 / 2.9701, 1e-12);
  });

  it('counts a draw as half a win', () => {
    const table = new PayoffTable({ minGames: 0, decay: 1 });
    table.record('a', 'b', 0.5);
    table.record('a', 'b', 0.5);
    table.record('a', 'b', 1);
    table.record('a', 'b', 0);
    expect(table.winRate('a', 'b')).to.equal(0.5);
    table.record('a', 'b', 1);
    expect(table.winRate('a', 'b')).to.be.closeTo(3 / 5, 1e-12);
  });

  it('keeps ordered pairs apart and decays only the pair that played', () => {
    const table = new PayoffTable({ minGames: 0 });
    table.record('a', 'b', 1);
    table.record('a', 'c', 0);
    table.record('a', 'c', 0);
    expect(table.games('a', 'b')).to.equal(1);
    expect(table.games('b', 'a')).to.equal(0);
    expect(table.winRate('b', 'a')).to.equal(0.5);
    expect(table.winRate('a', 'b')).to.equal(1);
    expect(table.winRate('a', 'c')).to.equal(0);
  });

  it('gives 0.5 for a member against itself and records self-play as a draw', () => {
    const table = new PayoffTable({ minGames: 0 });
    table.record('a', 'a', 1);
    expect(table.winRate('a', 'a')).to.equal(0.5);
    expect(table.stats('a', 'a').draws).to.equal(1);
  });

  it('rejects scores outside [0, 1] and bad settings with a typed error', () => {
    const table = new PayoffTable();
    expect(() => table.record('a', 'b', 2))
      .to.throw(MatchmakingError)
      .with.property('code', 'bad-payoff');
    expect(() => table.record('a', 'b', Number.NaN)).to.throw(MatchmakingError);
    expect(() => new PayoffTable({ decay: 0 })).to.throw(/decay/);
    expect(() => new PayoffTable({ minGames: -1 })).to.throw(/minGames/);
  });

  it('round-trips through JSON', () => {
    const table = new PayoffTable({ decay: 0.95, minGames: 2 });
    [1, 0, 0.5, 1, 1].forEach((s) => table.record('x', 'y', s));
    table.record('y', 'x', 0);
    const copy = PayoffTable.fromJSON(JSON.parse(JSON.stringify(table)));
    expect(copy.decay).to.equal(0.95);
    expect(copy.minGames).to.equal(2);
    expect(copy.winRate('x', 'y')).to.equal(table.winRate('x', 'y'));
    expect(copy.stats('y', 'x')).to.deep.equal(table.stats('y', 'x'));
    expect(JSON.stringify(copy)).to.equal(JSON.stringify(table));
  });

  it('names the bad field of a serialized table', () => {
    expect(() => PayoffTable.fromJSON({ decay: 0.99, minGames: 8, pairs: [{ a: 'x', b: 'y', games: 1, score: 5 }] })).to.throw(/pairs\.0\.score/);
    expect(() => PayoffTable.fromJSON({ decay: 2, minGames: 8, pairs: [] })).to.throw(/decay/);
  });
});
