import { expect } from 'chai';
import { createMatchmaker, windowRadius } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import { context, expectFrequencies, member, populationOf } from './fixtures.ts';

const N = 20_000;
const ELO: Record<string, number> = { a: 1000, b: 1100, c: 1250, d: 1500, e: 2000 };

describe('league/matchmaking/rating-window', () => {
  const population = populationOf(...Object.keys(ELO).map((id) => member(id, 'scripted')));
  const elo = (id: string) => ELO[id]!;

  it('widens the window in steps until it holds the nearest member', () => {
    expect(windowRadius([100, 300], 200, 100)).to.equal(200);
    expect(windowRadius([250, 400], 200, 100)).to.equal(300);
    expect(windowRadius([500, 750], 200, 100)).to.equal(500);
    expect(windowRadius([501], 200, 100)).to.equal(600);
  });

  it('draws opponents uniformly inside the (widened) window', () => {
    // Hand-derived candidate sets with window 200, widen 100:
    // a: {b}; b: {a, c}; c: {b}; d: nobody within 200, 300 -> {c}; e: nearest gap 500 -> {d}.
    const mm = createMatchmaker({ strategy: 'rating-window' });
    const ctx = context(population, new PayoffTable(), 31, { elo });
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const p = mm.pick(ctx);
      counts.set(`${p.focal}>${p.opponents[0]}`, (counts.get(`${p.focal}>${p.opponents[0]}`) ?? 0) + 1);
    }
    expectFrequencies(counts, { 'a>b': 0.2, 'b>a': 0.1, 'b>c': 0.1, 'c>b': 0.2, 'd>c': 0.2, 'e>d': 0.2 }, N);
  });

  it('never picks an opponent outside the window when one is inside', () => {
    const mm = createMatchmaker({ strategy: 'rating-window', window: 260 });
    const ctx = context(population, new PayoffTable(), 32, { elo });
    for (let i = 0; i < 5000; i++) {
      const p = mm.pick(ctx);
      if (p.branch === 'window') expect(Math.abs(elo(p.focal) - elo(p.opponents[0]!))).to.be.at.most(260);
      else expect(p.focal).to.equal('e'); // the only member with nobody within 260
    }
  });

  it('refuses a non-finite rating with a typed error', () => {
    const mm = createMatchmaker({ strategy: 'rating-window' });
    const ctx = context(population, new PayoffTable(), 33, { elo: () => Number.NaN });
    expect(() => mm.pick(ctx))
      .to.throw()
      .with.property('code', 'no-opponents');
  });
});
