import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { bootstrapBradleyTerry, fitBradleyTerry, PairCounts, rankUpperBounds } from '../../../league/ratings/bradley-terry.ts';
import { RatingError } from '../../../league/ratings/rating-error.ts';

interface Result {
  a: string;
  b: string;
  score: number;
}

/** Seeded games where the expected score is the Elo expectation; 10% draws. */
function simulate(truth: Record<string, number>, gamesPerPair: number, seed: number): Result[] {
  const rng = new Rng(seed);
  const ids = Object.keys(truth);
  const results: Result[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const p = 1 / (1 + 10 ** ((truth[ids[j]!]! - truth[ids[i]!]!) / 400));
      for (let g = 0; g < gamesPerPair; g++) {
        const u = rng.float();
        const score = u < 0.1 ? 0.5 : u < 0.1 + (p - 0.05) ? 1 : 0;
        results.push(g % 2 ? { a: ids[i]!, b: ids[j]!, score } : { a: ids[j]!, b: ids[i]!, score: 1 - score });
      }
    }
  }
  return results;
}

function countsOf(results: readonly Result[], agentIds: readonly string[] = []): PairCounts {
  const counts = new PairCounts(agentIds);
  for (const r of results) counts.add(r.a, r.b, r.score);
  return counts;
}

function byAgent(agentIds: readonly string[], ratings: readonly number[]): Record<string, number> {
  return Object.fromEntries(agentIds.map((id, i) => [id, ratings[i]!]));
}

/** True ratings shifted to mean 1000, the fit's default anchor. */
function centred(truth: Record<string, number>): Record<string, number> {
  const values = Object.values(truth);
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Object.fromEntries(Object.entries(truth).map(([id, r]) => [id, r - mean + 1000]));
}

const TRUTH = { base: 0, same: 0, plus100: 100, plus200: 200, plus400: 400 };

describe('league/ratings/bradley-terry', () => {
  it('solves the two-player case exactly: 3 wins to 1 is 400·log10(3) apart', () => {
    const counts = new PairCounts(['a', 'b']);
    counts.add('a', 'b', 1, 3);
    counts.add('a', 'b', 0, 1);
    const exact = fitBradleyTerry(counts, { smoothing: 0 });
    expect(exact.ratings[0]! - exact.ratings[1]!).to.be.closeTo(400 * Math.log10(3), 1e-6);
    expect(exact.ratings[0]! + exact.ratings[1]!).to.be.closeTo(2000, 1e-9);
    // With the default 0.01 pseudo-wins per side: 400·log10(3.01 / 1.01), 1.1 points less.
    const smoothed = fitBradleyTerry(counts);
    expect(smoothed.ratings[0]! - smoothed.ratings[1]!).to.be.closeTo(400 * Math.log10(3.01 / 1.01), 1e-6);
  });

  it('counts a draw as half a win to each side', () => {
    const counts = new PairCounts(['a', 'b']);
    counts.add('a', 'b', 1, 2);
    counts.add('a', 'b', 0.5, 2); // a: 2 + 1 = 3 wins' worth, b: 1
    const fit = fitBradleyTerry(counts, { smoothing: 0 });
    expect(fit.ratings[0]! - fit.ratings[1]!).to.be.closeTo(400 * Math.log10(3), 1e-6);
  });

  it('keeps an undefeated agent finite with smoothing and refuses without it', () => {
    const counts = new PairCounts(['a', 'b']);
    counts.add('a', 'b', 1, 10);
    const fit = fitBradleyTerry(counts);
    expect(fit.ratings[0]! - fit.ratings[1]!).to.be.closeTo(400 * Math.log10(10.01 / 0.01), 1e-6);
    expect(() => fitBradleyTerry(counts, { smoothing: 0 }))
      .to.throw(RatingError)
      .with.property('code', 'no-convergence');
  });

  it('recovers known strengths from seeded games, in the right order', () => {
    const counts = countsOf(simulate(TRUTH, 2000, 1));
    const fit = fitBradleyTerry(counts);
    const got = byAgent(fit.agentIds, fit.ratings);
    const want = centred(TRUTH);
    for (const id of Object.keys(TRUTH)) expect(got[id], id).to.be.closeTo(want[id]!, 25);
    expect(got.plus100).to.be.above(Math.max(got.base!, got.same!));
    expect(got.plus200).to.be.above(got.plus100!);
    expect(got.plus400).to.be.above(got.plus200!);
    expect(fit.ratings.reduce((s, r) => s + r, 0) / fit.ratings.length).to.be.closeTo(1000, 1e-9);
    expect(fit.games).to.deep.equal(fit.agentIds.map(() => 4 * 2000));
  });

  it('does not depend on the order of results', () => {
    const results = simulate(TRUTH, 300, 2);
    const shuffled = new Rng(99).shuffle(results);
    const ids = Object.keys(TRUTH);
    expect(fitBradleyTerry(countsOf(shuffled, ids))).to.deep.equal(fitBradleyTerry(countsOf(results, ids)));
    // Agents met in another order get other indices; ratings agree to rounding.
    const a = fitBradleyTerry(countsOf(results));
    const b = fitBradleyTerry(countsOf(shuffled.reverse()));
    const ra = byAgent(a.agentIds, a.ratings);
    const rb = byAgent(b.agentIds, b.ratings);
    for (const id of ids) expect(ra[id]).to.be.closeTo(rb[id]!, 1e-8);
  });

  it('pins a named anchor agent without changing rating differences', () => {
    const counts = countsOf(simulate(TRUTH, 200, 3));
    const mean = fitBradleyTerry(counts);
    const pinned = fitBradleyTerry(counts, { anchor: { agentId: 'base', rating: 1500 } });
    const i = counts.indexOf('base')!;
    expect(pinned.ratings[i]).to.equal(1500);
    pinned.ratings.forEach((r, k) => expect(r - 1500).to.be.closeTo(mean.ratings[k]! - mean.ratings[i]!, 1e-9));
    expect(() => fitBradleyTerry(counts, { anchor: { agentId: 'nobody', rating: 0 } }))
      .to.throw(RatingError)
      .with.property('code', 'unknown-agent');
  });

  it('computes Rank (UB) from interval overlap', () => {
    expect(
      rankUpperBounds([
        [10, 20],
        [15, 25],
        [30, 40],
        [0, 5],
      ]),
    ).to.deep.equal([2, 2, 1, 4]);
    expect(
      rankUpperBounds([
        [0, 1],
        [0, 1],
      ]),
    ).to.deep.equal([1, 1]);
  });

  it('bootstraps intervals around the full-data fit, with ranks that tie equal agents', () => {
    const counts = countsOf(simulate({ low: 0, twinA: 300, twinB: 300, top: 700 }, 400, 4));
    const fit = fitBradleyTerry(counts);
    const boot = bootstrapBradleyTerry(counts, { rounds: 100, seed: 5 });
    expect(boot.map((b) => b.agentId)).to.have.members(['low', 'twinA', 'twinB', 'top']);
    expect(boot[0]!.agentId).to.equal('top');
    expect(boot.at(-1)!.agentId).to.equal('low');
    const ranks = Object.fromEntries(boot.map((b) => [b.agentId, b.rankUpper]));
    expect(ranks).to.deep.equal({ top: 1, twinA: 2, twinB: 2, low: 4 });
    for (const b of boot) {
      const i = counts.indexOf(b.agentId)!;
      expect(b.rating).to.equal(fit.ratings[i]);
      expect(b.ci[0]).to.be.below(b.rating);
      expect(b.ci[1]).to.be.above(b.rating);
      expect(b.games).to.equal(1200);
    }
    expect(bootstrapBradleyTerry(counts, { rounds: 100, seed: 5 })).to.deep.equal(boot);
    expect(bootstrapBradleyTerry(counts, { rounds: 100, seed: 6 })).to.not.deep.equal(boot);
  });

  it('shrinks intervals as data grows', () => {
    const width = (games: number): number => {
      const boot = bootstrapBradleyTerry(countsOf(simulate(TRUTH, games, 7)), { rounds: 100, seed: 8 });
      return boot.reduce((s, b) => s + b.ci[1] - b.ci[0], 0) / boot.length;
    };
    const small = width(100);
    const large = width(1600); // 16x the data: about 4x narrower
    expect(large).to.be.below(small / 3);
    expect(large).to.be.above(small / 6);
  });

  it('covers the true rating in most seeded trials', () => {
    const want = centred(TRUTH);
    let covered = 0;
    let total = 0;
    for (let trial = 0; trial < 20; trial++) {
      const boot = bootstrapBradleyTerry(countsOf(simulate(TRUTH, 150, 100 + trial)), { rounds: 100, seed: trial });
      for (const b of boot) {
        total++;
        if (b.ci[0] <= want[b.agentId]! && want[b.agentId]! <= b.ci[1]) covered++;
      }
    }
    expect(covered / total).to.be.at.least(0.85); // nominal 0.95
  });

  it('rejects bad settings with a typed error', () => {
    const counts = new PairCounts(['a', 'b']);
    expect(() => bootstrapBradleyTerry(counts, { confidence: 1.5 }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-settings');
    expect(() => fitBradleyTerry(counts, { smoothing: -1 }))
      .to.throw(RatingError)
      .with.property('code', 'bad-rating-settings');
  });
});
