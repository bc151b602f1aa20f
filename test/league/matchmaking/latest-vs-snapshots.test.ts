import { expect } from 'chai';
import { createMatchmaker } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import { context, expectFrequencies, learner, member, populationOf, snapshot, tally } from './fixtures.ts';

const N = 20_000;

describe('league/matchmaking/latest-vs-snapshots', () => {
  // 12 snapshots s1..s12, added newest first to check that order comes from createdAt.
  const snaps = Array.from({ length: 12 }, (_, i) => snapshot(`s${12 - i}`, 'l', 12 - i));
  const population = populationOf(learner('l'), ...snaps, member('x', 'scripted'));

  function expected(q: number, window: number): Record<string, number> {
    const out: Record<string, number> = { l: q };
    for (let i = 1; i <= 12; i++) out[`s${i}`] = i > 12 - window ? (1 - q) / window : 0;
    return out;
  }

  it('plays the latest learner with probability q and each of the last 10 snapshots with (1 - q) / 10', () => {
    const mm = createMatchmaker({ strategy: 'latest-vs-snapshots' });
    const counts = tally(mm, context(population, new PayoffTable(), 41), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, expected(0.5, 10), N);
  });

  it('honours custom q and window', () => {
    const mm = createMatchmaker({ strategy: 'latest-vs-snapshots', q: 0.2, window: 4 });
    const counts = tally(mm, context(population, new PayoffTable(), 42), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, expected(0.2, 4), N);
  });

  it('always makes the learner the focal player and plays itself before any snapshot', () => {
    const mm = createMatchmaker({ strategy: 'latest-vs-snapshots' });
    const ctx = context(populationOf(learner('l'), member('x', 'scripted')), new PayoffTable(), 43);
    for (let i = 0; i < 200; i++) expect(mm.next(ctx)).to.deep.equal(['l', 'l']);
  });

  it('uses the named learner and fails without any learner', () => {
    const pop = populationOf(learner('l'), learner('m'), snapshot('m1', 'm', 1));
    const mm = createMatchmaker({ strategy: 'latest-vs-snapshots', learnerId: 'm', q: 0 });
    expect(mm.pick(context(pop, new PayoffTable(), 44))).to.deep.include({ focal: 'm', opponents: ['m1'] });
    const none = createMatchmaker({ strategy: 'latest-vs-snapshots' });
    expect(() => none.pick(context(populationOf(member('x', 'scripted')), new PayoffTable(), 45)))
      .to.throw()
      .with.property('code', 'no-learners');
  });

  it('seats the learner and its snapshot in both orders equally often', () => {
    const mm = createMatchmaker({ strategy: 'latest-vs-snapshots', q: 0 });
    const ctx = context(population, new PayoffTable(), 46);
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const seat = String(mm.next(ctx).indexOf('l'));
      counts.set(seat, (counts.get(seat) ?? 0) + 1);
    }
    expectFrequencies(counts, { 0: 0.5, 1: 0.5 }, N);
  });
});
