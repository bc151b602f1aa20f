import { expect } from 'chai';
import { deriveSeed, mix32, Rng } from '../../../envs/core/rng.ts';

const draws = (rng: Rng, n: number, draw: (rng: Rng) => number): number[] => Array.from({ length: n }, () => draw(rng));

describe('envs/core/rng', () => {
  it('repeats the same sequence for the same seed, and another for another seed', () => {
    expect(draws(new Rng(42), 20, (r) => r.next())).to.deep.equal(draws(new Rng(42), 20, (r) => r.next()));
    expect(draws(new Rng(42), 20, (r) => r.next())).to.not.deep.equal(draws(new Rng(43), 20, (r) => r.next()));
  });

  it('continues the same sequence from a saved state', () => {
    const rng = new Rng(5);
    draws(rng, 7, (r) => r.next());
    const copy = Rng.fromState(rng.state());
    expect(draws(copy, 10, (r) => r.next())).to.deep.equal(draws(rng, 10, (r) => r.next()));
  });

  it('draws uint32s, floats in [0, 1) and integers in [0, n)', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const u = rng.next();
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32, `next() = ${u}`).to.equal(true);
      const f = rng.float();
      expect(f >= 0 && f < 1, `float() = ${f}`).to.equal(true);
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7, `int(7) = ${k}`).to.equal(true);
    }
  });

  it('is roughly uniform (every bucket within 5% of its expectation over 100k draws)', () => {
    const rng = new Rng(2024);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]! += 1;
    // The standard deviation of a bucket is ~95, so 500 is more than 5 of them.
    for (const c of counts) expect(c).to.be.within(9500, 10500);
  });

  it('draws weighted indices in proportion, never a zero weight', () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.weighted([1, 0, 3, 0])]! += 1;
    expect(counts[1]).to.equal(0);
    expect(counts[3]).to.equal(0);
    expect(counts[2]! / counts[0]!).to.be.within(2.7, 3.3);
    expect(() => rng.weighted([0, 0])).to.throw(RangeError);
  });

  it('shuffles into a permutation of a copy', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = new Rng(9).shuffle(items);
    expect(shuffled).to.not.equal(items);
    expect(items).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
    expect(shuffled.slice().sort((a, b) => a - b)).to.deep.equal(items);
    expect(shuffled).to.not.deep.equal(items);
  });

  it('picks from a list and refuses an empty one', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 50; i++) expect(['a', 'b', 'c']).to.include(rng.pick(['a', 'b', 'c']));
    expect(() => rng.pick([])).to.throw(RangeError);
  });

  it('derives distinct, stable seeds from labels', () => {
    expect(deriveSeed(1, 2, 3)).to.equal(deriveSeed(1, 2, 3));
    const seeds = new Set([deriveSeed(1), deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(2, 0), deriveSeed(1, 0, 0)]);
    expect(seeds.size).to.equal(5);
    for (const x of [0, 1, 2 ** 31, -1]) expect(mix32(x)).to.be.within(0, 2 ** 32 - 1);
  });
});
