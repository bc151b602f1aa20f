import { expect } from 'chai';
import { createMatchmaker } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import { context, expectFrequencies, learner, member, normalise, payoffWith, populationOf, snapshot, tally } from './fixtures.ts';

const N = 20_000;

describe('league/matchmaking/pfsp', () => {
  const population = populationOf(learner('l'), snapshot('s1', 'l', 1), snapshot('s2', 'l', 2), member('a', 'scripted'), member('b', 'scripted'));
  const payoff = payoffWith([
    ['l', 's1', 0.2],
    ['l', 's2', 0.5],
    ['l', 'a', 0.9],
    ['l', 'b', 1],
  ]);

  it('draws opponents with probability (1 - x)^2 / sum for hand-set win rates', () => {
    const mm = createMatchmaker({ strategy: 'pfsp' });
    const counts = tally(mm, context(population, payoff, 11), N, (p) => `${p.focal}>${p.opponents[0]}`);
    // weights 0.64, 0.25, 0.01, 0
    expectFrequencies(counts, normalise({ 'l>s1': 0.64, 'l>s2': 0.25, 'l>a': 0.01, 'l>b': 0 }), N);
  });

  it('uses x(1 - x) with the variance weighting', () => {
    const mm = createMatchmaker({ strategy: 'pfsp', weighting: 'variance' });
    const counts = tally(mm, context(population, payoff, 12), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, normalise({ s1: 0.16, s2: 0.25, a: 0.09, b: 0 }), N);
  });

  it('uses (1 - x)^p with a custom exponent and 1 - x with linear', () => {
    const cubic = tally(createMatchmaker({ strategy: 'pfsp', p: 3 }), context(population, payoff, 13), N, (p) => p.opponents[0]!);
    expectFrequencies(cubic, normalise({ s1: 0.512, s2: 0.125, a: 0.001, b: 0 }), N);
    const linear = tally(createMatchmaker({ strategy: 'pfsp', weighting: 'linear' }), context(population, payoff, 14), N, (p) => p.opponents[0]!);
    expectFrequencies(linear, normalise({ s1: 0.8, s2: 0.5, a: 0.1, b: 0 }), N);
  });

  it('falls back to uniform when the focal player beats everyone', () => {
    const all = payoffWith([
      ['l', 's1', 1],
      ['l', 's2', 1],
      ['l', 'a', 1],
      ['l', 'b', 1],
    ]);
    const counts = tally(createMatchmaker({ strategy: 'pfsp' }), context(population, all, 15), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, { s1: 0.25, s2: 0.25, a: 0.25, b: 0.25 }, N);
  });

  it('treats unplayed pairs as x = 0.5', () => {
    const counts = tally(createMatchmaker({ strategy: 'pfsp' }), context(population, new PayoffTable(), 16), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, { s1: 0.25, s2: 0.25, a: 0.25, b: 0.25 }, N);
  });

  it('picks the focal player uniformly among non-frozen learners, else among everyone', () => {
    const two = populationOf(learner('l'), learner('m'), member('f', 'learner', { frozen: true }), member('a', 'scripted'));
    const counts = tally(createMatchmaker({ strategy: 'pfsp' }), context(two, new PayoffTable(), 17), N, (p) => p.focal);
    expectFrequencies(counts, { l: 0.5, m: 0.5, f: 0, a: 0 }, N);
    const none = populationOf(member('a', 'scripted'), member('b', 'scripted'), member('c', 'scripted'));
    const focal = tally(createMatchmaker({ strategy: 'pfsp' }), context(none, new PayoffTable(), 18), N, (p) => p.focal);
    expectFrequencies(focal, { a: 1 / 3, b: 1 / 3, c: 1 / 3 }, N);
  });

  it('restricts candidates to frozen members with pool: frozen', () => {
    const pop = populationOf(learner('l'), learner('m'), snapshot('s1', 'l', 1));
    const mm = createMatchmaker({ strategy: 'pfsp', pool: 'frozen' });
    const ctx = context(pop, new PayoffTable(), 19);
    for (let i = 0; i < 300; i++) expect(mm.pick(ctx).opponents).to.deep.equal(['s1']);
  });

  it('lets a lone learner play itself', () => {
    const pairing = createMatchmaker({ strategy: 'pfsp' }).pick(context(populationOf(learner('l')), new PayoffTable(), 20));
    expect(pairing).to.deep.equal({ focal: 'l', opponents: ['l'], branch: 'self-play' });
  });

  it('seats the focal player first and second equally often', () => {
    const mm = createMatchmaker({ strategy: 'pfsp' });
    const ctx = context(population, payoff, 21);
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const seat = mm.next(ctx).indexOf('l');
      counts.set(String(seat), (counts.get(String(seat)) ?? 0) + 1);
    }
    expectFrequencies(counts, { 0: 0.5, 1: 0.5 }, N);
  });

  it('draws every opponent seat of a 3-player game from the PFSP distribution', () => {
    const mm = createMatchmaker({ strategy: 'pfsp' });
    const ctx = context(population, payoff, 22, { numPlayers: 3 });
    const counts = new Map<string, number>();
    for (let i = 0; i < N / 2; i++) {
      for (const o of mm.pick(ctx).opponents) counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    expectFrequencies(counts, normalise({ s1: 0.64, s2: 0.25, a: 0.01, b: 0 }), N);
  });
});
