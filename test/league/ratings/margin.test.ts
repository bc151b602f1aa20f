import { expect } from 'chai';
import { fitMargins } from '../../../league/ratings/margin.ts';

describe('league/ratings/margin', () => {
  it('recovers additive per-game margins from a round robin, mean 0', () => {
    // True strengths a +1, b 0, c -1 chips per game; every pair meets with exact expected margins.
    const strength: Record<string, number> = { a: 1, b: 0, c: -1 };
    const groups = [
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
    ].map(([x, y]) => {
      const m = strength[x!]! - strength[y!]!;
      return { seats: [x!, y!], returns: [m, -m], count: 10 };
    });
    const fit = fitMargins(groups, { rounds: 20 });
    expect(fit.map((r) => r.agentId)).to.deep.equal(['a', 'b', 'c']);
    for (const r of fit) expect(r.perGame, r.agentId).to.be.closeTo(strength[r.agentId]!, 1e-9);
    expect(fit.map((r) => r.games)).to.deep.equal([20, 20, 20]);
    expect(fit[0]!.meanMargin).to.be.closeTo(1.5, 1e-12); // +1 against b, +2 against c
  });

  it('corrects for who an agent met: beating only the weakest member does not make it best', () => {
    // x plays only w (+1 per game); y plays only z, which is as strong as w, and wins +2.
    const groups = [
      { seats: ['x', 'w'], returns: [1, -1], count: 50 },
      { seats: ['y', 'z'], returns: [2, -2], count: 50 },
      { seats: ['w', 'z'], returns: [0, 0], count: 50 },
    ];
    const fit = fitMargins(groups, { rounds: 10 });
    expect(fit[0]!.agentId).to.equal('y');
    const by = Object.fromEntries(fit.map((r) => [r.agentId, r.perGame]));
    expect(by['y']! - by['x']!).to.be.closeTo(1, 1e-9);
    expect(Object.values(by).reduce((s, x) => s + x, 0)).to.be.closeTo(0, 1e-9);
  });

  it('gives bootstrap intervals around the estimate that shrink with more games, seeded', () => {
    const games = (n: number) => [
      { seats: ['a', 'b'], returns: [2, -2], count: n },
      { seats: ['a', 'b'], returns: [-1, 1], count: n },
    ];
    const small = fitMargins(games(10), { rounds: 200, seed: 3 });
    const large = fitMargins(games(1000), { rounds: 200, seed: 3 });
    for (const r of [...small, ...large]) {
      expect(r.ci[0]).to.be.at.most(r.perGame);
      expect(r.ci[1]).to.be.at.least(r.perGame);
    }
    expect(large[0]!.ci[1] - large[0]!.ci[0]).to.be.below((small[0]!.ci[1] - small[0]!.ci[0]) / 3);
    expect(fitMargins(games(10), { rounds: 200, seed: 3 })).to.deep.equal(small);
    expect(large[0]!.rankUpper).to.equal(1);
    expect(large[1]!.rankUpper).to.equal(2);
  });

  it('skips self-play and refuses malformed games with a typed error', () => {
    const fit = fitMargins(
      [
        { seats: ['a', 'a'], returns: [1, -1], count: 5 },
        { seats: ['a', 'b'], returns: [1, -1], count: 1 },
      ],
      { rounds: 5 },
    );
    expect(fit.find((r) => r.agentId === 'a')!.perGame).to.be.closeTo(0.5, 1e-12);
    let code: string | undefined;
    try {
      fitMargins([{ seats: ['a', 'b'], returns: [1], count: 1 }]);
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).to.equal('bad-match');
  });
});
