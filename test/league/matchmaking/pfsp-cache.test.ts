import { expect } from 'chai';
import { deriveSeed, Rng } from '../../../envs/index.ts';
import { createMatchmaker, type MatchmakingContext, type Pairing, type PfspConfig } from '../../../league/matchmaking/index.ts';
import { PfspConfigSchema } from '../../../league/matchmaking/pfsp.ts';
import { pickFocal } from '../../../league/matchmaking/matchmaker.ts';
import { PayoffTable } from '../../../league/matchmaking/payoff-table.ts';
import { samplePfsp } from '../../../league/matchmaking/pfsp-weights.ts';
import { Population } from '../../../league/population/population.ts';
import { context, learner, member, snapshot } from './fixtures.ts';

/** PFSP as it was computed before the caches: fresh opponent lists and win rates every match. */
function referencePick(ctx: MatchmakingContext, config: PfspConfig): Pairing {
  const focal = pickFocal(ctx, config.focal).agentId;
  let pool = ctx.population.activeOpponents(focal);
  if (config.pool === 'frozen' && pool.some((m) => m.frozen)) pool = pool.filter((m) => m.frozen);
  if (pool.length === 0) return { focal, opponents: Array.from({ length: ctx.numPlayers - 1 }, () => focal), branch: 'self-play' };
  const ids = pool.map((m) => m.agentId);
  const rates = ctx.payoff.winRates(focal, ids);
  const opponents = Array.from({ length: ctx.numPlayers - 1 }, () => samplePfsp(ctx.rng, ids, rates, config.weighting, config.p));
  return { focal, opponents, branch: 'pfsp' };
}

/**
 * A seeded league-like run: pairings from the cached matchmaker and the reference must be
 * identical match for match while results (with decay and minGames) and new snapshots arrive.
 */
function compare(input: Partial<PfspConfig>, numPlayers: number, seed: number): number {
  const config = PfspConfigSchema.parse({ strategy: 'pfsp', ...input });
  const matchmaker = createMatchmaker(config);
  const population = new Population([learner('main'), learner('exploiter'), ...Array.from({ length: 10 }, (_, i) => member(`bot-${i}`, 'scripted'))]);
  const payoff = new PayoffTable({ decay: 0.97, minGames: 3 });
  const results = new Rng(seed);
  let checked = 0;
  for (let index = 0; index < 3000; index++) {
    if (index % 400 === 399) population.add(snapshot(`main-s${index}`, 'main', index));
    const pairingSeed = deriveSeed(seed, index);
    const cached = matchmaker.pick(context(population, payoff, pairingSeed, { numPlayers }));
    const expected = referencePick(context(population, payoff, pairingSeed, { numPlayers }), config);
    expect(cached, `match ${index}`).to.deep.equal(expected);
    const ids = population.opponentIds(cached.focal);
    expect(Array.from(payoff.winRateRow(cached.focal, ids)), `row of ${cached.focal} at ${index}`).to.deep.equal(payoff.winRates(cached.focal, ids));
    for (const opponent of cached.opponents) {
      // record both orders, like LeagueState
      const score = [0, 0.5, 1][results.int(3)]!;
      payoff.record(cached.focal, opponent, score);
      payoff.record(opponent, cached.focal, 1 - score);
    }
    checked++;
  }
  return checked;
}

describe('league/matchmaking/pfsp caches', () => {
  it('pairs exactly like fresh win-rate computation on a seeded run (hard weighting, all members, focal any)', () => {
    expect(compare({ focal: 'any' }, 2, 1)).to.equal(3000);
  });

  it('pairs exactly like it with the variance weighting, frozen pools, learners focal and three players', () => {
    expect(compare({ weighting: 'variance', pool: 'frozen' }, 3, 2)).to.equal(3000);
    expect(compare({ weighting: 'linear_capped', p: 3 }, 2, 3)).to.equal(3000);
  });

  it('keeps a cached row current when a result arrives and rebuilds it for another opponent list', () => {
    const payoff = new PayoffTable({ decay: 0.5, minGames: 1 });
    const opponents = ['b', 'c', 'b'];
    expect(Array.from(payoff.winRateRow('a', opponents))).to.deep.equal([0.5, 0.5, 0.5]);
    payoff.record('a', 'b', 1);
    expect(Array.from(payoff.winRateRow('a', opponents))).to.deep.equal([1, 0.5, 1]); // both slots of b
    payoff.record('a', 'b', 0);
    expect(payoff.winRateRow('a', opponents)[0]).to.be.closeTo(1 / 3, 1e-12); // decayed: (0.5 + 0) / (0.5 + 1)
    expect(Array.from(payoff.winRateRow('a', ['c', 'b']))).to.deep.equal([0.5, payoff.winRate('a', 'b')]);
  });

  it('hands out one opponent list per member until the population changes', () => {
    const population = new Population([learner('main'), member('bot', 'scripted')]);
    const before = population.opponentIds('main');
    expect(population.opponentIds('main')).to.equal(before);
    expect(before).to.deep.equal(['bot']);
    population.add(snapshot('main-s1', 'main', 1));
    expect(population.opponentIds('main')).to.deep.equal(['bot', 'main-s1']);
    expect(population.opponentIds('main', true)).to.deep.equal(['bot', 'main-s1']);
    expect(population.opponentIds('bot')).to.deep.equal(['main', 'main-s1']);
  });
});
