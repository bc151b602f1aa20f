import { expect } from 'chai';
import { PairCounts, pairIndex } from '../../../league/ratings/pair-counts.ts';
import { RatingError } from '../../../league/ratings/rating-error.ts';

describe('league/ratings/pair-counts', () => {
  it('orients each pair from its lower agent index', () => {
    const counts = new PairCounts(['x', 'y']);
    counts.add('y', 'x', 1); // y won
    counts.add('x', 'y', 0.5);
    counts.add('x', 'y', 1, 3);
    expect(counts.pairs()).to.deep.equal([{ a: 0, b: 1, winsA: 3, draws: 1, winsB: 1 }]);
    expect(counts.total).to.equal(5);
    expect(counts.games()).to.deep.equal([5, 5]);
  });

  it('indexes pairs so that adding agents never moves existing pairs', () => {
    expect([pairIndex(0, 1), pairIndex(0, 2), pairIndex(1, 2), pairIndex(3, 0), pairIndex(2, 3)]).to.deep.equal([0, 1, 2, 3, 5]);
    const counts = new PairCounts();
    counts.add('a0', 'a1', 1);
    for (let i = 2; i < 100; i++) counts.add(`a${i}`, 'a0', 0);
    expect(counts.size).to.equal(100);
    expect(counts.cells.length).to.equal((3 * 100 * 99) / 2);
    const pairs = counts.pairs();
    expect(pairs[0]).to.deep.equal({ a: 0, b: 1, winsA: 1, draws: 0, winsB: 0 });
    expect(pairs.at(-1)).to.deep.equal({ a: 0, b: 99, winsA: 1, draws: 0, winsB: 0 });
  });

  it('skips self-play but counts it', () => {
    const counts = new PairCounts();
    counts.add('a', 'a', 1);
    expect(counts.total).to.equal(0);
    expect(counts.selfPlay).to.equal(1);
  });

  it('round-trips through pairs()', () => {
    const counts = new PairCounts(['a', 'b', 'c']);
    counts.add('c', 'a', 1, 2);
    counts.add('b', 'c', 0.5, 4);
    const copy = PairCounts.fromPairs(counts.agentIds, counts.pairs());
    expect(copy.pairs()).to.deep.equal(counts.pairs());
    expect(Array.from(copy.cells)).to.deep.equal(Array.from(counts.cells));
  });

  it('rejects scores other than 1, 0.5, 0, bad counts and duplicate agents', () => {
    const counts = new PairCounts(['a', 'b']);
    expect(() => counts.add('a', 'b', 0.7))
      .to.throw(RatingError)
      .with.property('code', 'bad-score');
    expect(() => counts.add('a', 'b', 1, 1.5))
      .to.throw(RatingError)
      .with.property('code', 'bad-score');
    expect(() => counts.addIndex(0, 5, 1))
      .to.throw(RatingError)
      .with.property('code', 'unknown-agent');
    expect(() => new PairCounts(['a', 'a']))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
  });
});
