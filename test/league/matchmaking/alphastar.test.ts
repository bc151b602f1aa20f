import { expect } from 'chai';
import { createMatchmaker, type MatchmakingConfigInput } from '../../../league/matchmaking/index.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import type { MemberInput } from '../../../league/population/member.ts';
import { Population } from '../../../league/population/population.ts';
import { context, expectFrequencies, learner, member, normalise, payoffWith, populationOf, snapshot, tally } from './fixtures.ts';

const N = 20_000;
const MAIN_ONLY = { main: 1, mainExploiter: 0, leagueExploiter: 0 };

/** M main agent (snapshots m1, m2), X main exploiter (snapshot x3), Y league exploiter (snapshot y4), R frozen baseline. */
function league(): MemberInput[] {
  return [
    learner('m', 'main'),
    snapshot('m1', 'm', 1, 'main'),
    snapshot('m2', 'm', 2, 'main'),
    learner('x', 'main-exploiter'),
    snapshot('x3', 'x', 3, 'main-exploiter'),
    learner('y', 'league-exploiter'),
    snapshot('y4', 'y', 4), // role comes from the parent
    member('r', 'scripted', { anchor: true }),
  ];
}

function alphastar(extra: Record<string, unknown> = {}) {
  return createMatchmaker({ strategy: 'alphastar', ...extra } as MatchmakingConfigInput);
}

describe('league/matchmaking/alphastar', () => {
  it('splits focal roles by roleMix (default 0.25 / 0.25 / 0.5), uniform within a role', () => {
    const pop = populationOf(
      learner('m', 'main'),
      snapshot('m1', 'm', 1),
      learner('x', 'main-exploiter'),
      learner('y1', 'league-exploiter'),
      learner('y2', 'league-exploiter'),
    );
    const counts = tally(alphastar(), context(pop, new PayoffTable(), 51), N, (p) => p.focal);
    expectFrequencies(counts, { m: 0.25, x: 0.25, y1: 0.25, y2: 0.25, m1: 0 }, N);
    const custom = tally(alphastar({ roleMix: { main: 0.6, mainExploiter: 0.4, leagueExploiter: 0 } }), context(pop, new PayoffTable(), 52), N, (p) => p.focal);
    expectFrequencies(custom, { m: 0.6, x: 0.4, y1: 0, y2: 0 }, N);
  });

  it('renormalises the role mix over the roles present; a learner without role is a main agent', () => {
    const pop = populationOf(learner('m'), snapshot('m1', 'm', 1), learner('x', 'main-exploiter'));
    const counts = tally(alphastar(), context(pop, new PayoffTable(), 53), N, (p) => p.focal);
    expectFrequencies(counts, { m: 0.5, x: 0.5 }, N);
  });

  it('main agent: 50% PFSP (1 - x)^2 over past players, 15% exploiter verification, 35% self-play', () => {
    const payoff = payoffWith([
      ['m', 'm1', 0.8],
      ['m', 'm2', 0.6],
      ['m', 'x3', 0.1],
      ['m', 'y4', 0.5],
      ['m', 'r', 0.95],
    ]);
    const mm = alphastar({ roleMix: MAIN_ONLY });
    const ctx = context(new Population(league()), payoff, 54);
    const counts = tally(mm, ctx, N, (p) => `${p.branch}>${p.opponents[0]}`);
    const past = normalise({ m1: 0.04, m2: 0.16, x3: 0.81, y4: 0.25, r: 0.0025 });
    const exploiters = normalise({ x3: 0.81, y4: 0.25 }); // min win rate 0.1 < 0.3
    expectFrequencies(
      counts,
      {
        ...Object.fromEntries(Object.entries(past).map(([k, p]) => [`pfsp>${k}`, 0.5 * p])),
        ...Object.fromEntries(Object.entries(exploiters).map(([k, p]) => [`verification-exploiters>${k}`, 0.15 * p])),
        'self-play>m': 0.35,
      },
      N,
    );
  });

  it('main agent: verificationRoles limits the exploiter check to main exploiters (paper)', () => {
    const payoff = payoffWith([
      ['m', 'm1', 0.8],
      ['m', 'm2', 0.6],
      ['m', 'x3', 0.1],
      ['m', 'y4', 0.5],
      ['m', 'r', 0.95],
    ]);
    const mm = alphastar({ roleMix: MAIN_ONLY, main: { verificationRoles: ['main-exploiter'] } });
    const counts = tally(mm, context(new Population(league()), payoff, 55), N, (p) => `${p.branch}>${p.opponents[0]}`);
    expect(counts.get('verification-exploiters>y4') ?? 0).to.equal(0);
    const v = counts.get('verification-exploiters>x3') ?? 0;
    expect(Math.abs(v - 0.15 * N)).to.be.below(4 * Math.sqrt(N * 0.15 * 0.85));
  });

  it('main agent: verifies forgotten snapshots after removing the monotonic suffix', () => {
    // exploiters all beaten >= 0.3, so the forgetting check runs: rates m1 0.4 < m2 0.6 rise -> keep both.
    const payoff = payoffWith([
      ['m', 'm1', 0.4],
      ['m', 'm2', 0.6],
      ['m', 'x3', 0.9],
      ['m', 'y4', 0.9],
      ['m', 'r', 1],
    ]);
    const counts = tally(alphastar({ roleMix: MAIN_ONLY }), context(new Population(league()), payoff, 56), N, (p) => p.branch);
    expectFrequencies(counts, { pfsp: 0.5, 'verification-forgetting': 0.15, 'self-play': 0.35 }, N);
    const forgot = new Map<string, number>();
    const mm = alphastar({ roleMix: MAIN_ONLY, main: { pfsp: 0, verification: 1, selfPlay: 0 } });
    const ctx = context(new Population(league()), payoff, 57);
    for (let i = 0; i < N; i++) {
      const p = mm.pick(ctx);
      forgot.set(p.opponents[0]!, (forgot.get(p.opponents[0]!) ?? 0) + 1);
    }
    expectFrequencies(forgot, normalise({ m1: 0.36, m2: 0.16 }), N);
  });

  it('main agent: a verification with nothing to verify becomes self-play', () => {
    // exploiters beaten, and m1 0.8 > m2 0.6 is a monotonic suffix: nothing forgotten.
    const payoff = payoffWith([
      ['m', 'm1', 0.8],
      ['m', 'm2', 0.6],
      ['m', 'x3', 0.9],
      ['m', 'y4', 0.9],
      ['m', 'r', 1],
    ]);
    const counts = tally(alphastar({ roleMix: MAIN_ONLY }), context(new Population(league()), payoff, 58), N, (p) => p.branch);
    expectFrequencies(counts, { pfsp: 0.5, 'self-play': 0.5 }, N);
  });

  it('main agent: self-play against a main agent it cannot beat uses PFSP variance over its snapshots', () => {
    const pop = populationOf(learner('m', 'main'), learner('n', 'main'), snapshot('n1', 'n', 1), snapshot('n2', 'n', 2));
    const payoff = payoffWith([
      ['m', 'n', 0.2],
      ['m', 'n1', 0.5],
      ['m', 'n2', 0.9],
    ]);
    const mm = alphastar({ main: { pfsp: 0, verification: 0, selfPlay: 1 } });
    const ctx = context(pop, payoff, 59);
    const counts = new Map<string, number>();
    let n = 0;
    for (let i = 0; i < 2 * N; i++) {
      const p = mm.pick(ctx);
      if (p.focal !== 'm') continue;
      n++;
      counts.set(`${p.branch}>${p.opponents[0]}`, (counts.get(`${p.branch}>${p.opponents[0]}`) ?? 0) + 1);
    }
    const v = normalise({ n1: 0.25, n2: 0.09 });
    expectFrequencies(counts, { 'self-play>m': 0.5, 'self-play-curriculum>n1': 0.5 * v.n1!, 'self-play-curriculum>n2': 0.5 * v.n2! }, n);
  });

  it('main exploiter: below 20% against the main agent, half its games are a variance curriculum', () => {
    const rates = (xm: number) =>
      payoffWith([
        ['x', 'm', xm],
        ['x', 'm1', 0.5],
        ['x', 'm2', 0.2],
      ]);
    const config = { roleMix: { main: 0, mainExploiter: 1, leagueExploiter: 0 } };
    const low = tally(alphastar(config), context(new Population(league()), rates(0.1), 60), N, (p) => `${p.branch}>${p.opponents[0]}`);
    const v = normalise({ m1: 0.25, m2: 0.16 });
    expectFrequencies(low, { 'exploit-main>m': 0.5, 'exploit-curriculum>m1': 0.5 * v.m1!, 'exploit-curriculum>m2': 0.5 * v.m2! }, N);
    const ok = tally(alphastar(config), context(new Population(league()), rates(0.2), 61), 2000, (p) => `${p.branch}>${p.opponents[0]}`);
    expect([...ok.keys()]).to.deep.equal(['exploit-main>m']);
    const pseudo = alphastar({ ...config, mainExploiter: { threshold: 0.1, curriculum: 1 } });
    const always = tally(pseudo, context(new Population(league()), rates(0.05), 62), 2000, (p) => p.branch);
    expect([...always.keys()]).to.deep.equal(['exploit-curriculum']);
  });

  it('league exploiter: PFSP linear_capped over past players (its own snapshots included) only', () => {
    const payoff = payoffWith([
      ['y', 'm1', 0.2],
      ['y', 'm2', 0.7],
      ['y', 'x3', 0.9],
      ['y', 'r', 1],
    ]);
    const config = { roleMix: { main: 0, mainExploiter: 0, leagueExploiter: 1 } };
    const counts = tally(alphastar(config), context(new Population(league()), payoff, 63), N, (p) => p.opponents[0]!);
    expectFrequencies(counts, normalise({ m1: 0.5, m2: 0.3, x3: 0.1, y4: 0.5, r: 0, m: 0, x: 0 }), N);
  });

  it('seats the focal learner first and second equally often', () => {
    const pop = new Population(league());
    const payoff = payoffWith([
      ['m', 'm1', 0.5],
      ['m', 'm2', 0.5],
    ]);
    const mm = alphastar();
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const p = mm.pick(context(pop, payoff, 1000 + i));
      const seats = mm.next(context(pop, payoff, 1000 + i)); // same rng stream: the same pairing, seated
      expect([...seats].sort()).to.deep.equal([p.focal, ...p.opponents].sort());
      if (p.opponents[0] === p.focal) continue;
      const seat = String(seats.indexOf(p.focal));
      counts.set(seat, (counts.get(seat) ?? 0) + 1);
    }
    const n = [...counts.values()].reduce((s, c) => s + c, 0);
    expect(n).to.be.above(N / 2);
    expectFrequencies(counts, { 0: 0.5, 1: 0.5 }, n);
  });

  it('fails with a typed error when no learner has a role with a positive share', () => {
    const pop = populationOf(learner('x', 'main-exploiter'), member('r', 'scripted'));
    expect(() => alphastar({ roleMix: MAIN_ONLY }).pick(context(pop, new PayoffTable(), 65)))
      .to.throw()
      .with.property('code', 'no-learners');
  });
});
