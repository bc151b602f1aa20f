import { expect } from 'chai';
import { createMatchmaker } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import { context, expectFrequencies, learner, member, populationOf } from './fixtures.ts';

const N = 20_000;

describe('league/matchmaking/uniform', () => {
  const population = populationOf(learner('l'), member('a', 'scripted'), member('b', 'scripted'), member('c', 'snapshot', { parentId: 'l' }));
  const ids = ['l', 'a', 'b', 'c'];

  it('puts every ordered pair of distinct members in the seats with probability 1/12', () => {
    const mm = createMatchmaker({ strategy: 'uniform' });
    const ctx = context(population, new PayoffTable(), 1);
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const seats = mm.next(ctx);
      counts.set(seats.join('|'), (counts.get(seats.join('|')) ?? 0) + 1);
    }
    const expected: Record<string, number> = {};
    for (const x of ids) for (const y of ids) expected[`${x}|${y}`] = x === y ? 0 : 1 / 12;
    expectFrequencies(counts, expected, N);
  });

  it('allows a member to meet itself with allowSelfPlay (1/16 per ordered pair)', () => {
    const mm = createMatchmaker({ strategy: 'uniform', allowSelfPlay: true });
    const ctx = context(population, new PayoffTable(), 2);
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const k = mm.next(ctx).join('|');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const expected: Record<string, number> = {};
    for (const x of ids) for (const y of ids) expected[`${x}|${y}`] = 1 / 16;
    expectFrequencies(counts, expected, N);
  });

  it('fills every seat with distinct members in a 3-player game', () => {
    const mm = createMatchmaker({ strategy: 'uniform' });
    const ctx = context(population, new PayoffTable(), 3, { numPlayers: 3 });
    for (let i = 0; i < 500; i++) {
      const seats = mm.next(ctx);
      expect(seats).to.have.length(3);
      expect(new Set(seats).size).to.equal(3);
    }
  });

  it('fails with a typed error when there are too few members', () => {
    const mm = createMatchmaker({ strategy: 'uniform' });
    const ctx = context(populationOf(learner('l')), new PayoffTable(), 4);
    expect(() => mm.next(ctx))
      .to.throw()
      .with.property('code', 'no-opponents');
    const empty = context(populationOf(), new PayoffTable(), 4);
    expect(() => mm.next(empty))
      .to.throw()
      .with.property('code', 'empty-population');
  });

  it('is deterministic for a given rng seed', () => {
    const mm = createMatchmaker({ strategy: 'uniform' });
    const a = context(population, new PayoffTable(), 9);
    const b = context(population, new PayoffTable(), 9);
    const run = (ctx: typeof a) => Array.from({ length: 50 }, () => mm.next(ctx).join('|'));
    expect(run(a)).to.deep.equal(run(b));
  });
});
