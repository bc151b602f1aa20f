import { expect } from 'chai';
import { dirichlet, PuctSearch, visitPolicy, type LeafEvaluator } from '../../../agents/learn/puct-search.ts';
import { getEnv, Rng } from '../../../envs/index.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');
const kuhn = getEnv('kuhn-poker-v1');

/** Uniform priors and value 0 everywhere, counting calls: pure PUCT with exact terminals. */
function uniform(): { evaluate: LeafEvaluator; calls: () => number } {
  let calls = 0;
  return {
    evaluate: async () => {
      calls++;
      return { probs: new Float32Array(9).fill(1 / 9), value: 0 };
    },
    calls: () => calls,
  };
}

function play(cells: number[]): unknown {
  let s = ticTacToe.init(ticTacToe.parseParams({}), 0);
  cells.forEach((c, i) => {
    s = ticTacToe.apply(s, i % 2, c);
  });
  return s;
}

describe('agents/learn/puct-search', () => {
  it('finds the winning move and the block from exact terminal values', async () => {
    // X: 0, 1; O: 3, 4. X to move wins at 2.
    const u = uniform();
    const search = new PuctSearch(ticTacToe, {}, u.evaluate);
    const win = await search.search(play([0, 3, 1, 4]), 0, { simulations: 200, cPuct: 1.5 }, new Rng(1));
    expect(visitPolicy(win, 9, 0)[2]).to.equal(1);
    expect(win.value).to.be.greaterThan(0.5);
    // X: 0, 1, 8; O: 3, 4. O to move must block at 2... or win at 5: winning beats blocking.
    const o = await search.search(play([0, 3, 1, 4, 8]), 1, { simulations: 200, cPuct: 1.5 }, new Rng(1));
    expect(visitPolicy(o, 9, 0)[5]).to.equal(1);
  });

  it('evaluates the root once and at most one new leaf per simulation, fewer when it hits terminals', async () => {
    const u = uniform();
    const search = new PuctSearch(ticTacToe, {}, u.evaluate);
    const result = await search.search(play([]), 0, { simulations: 30, cPuct: 1.5 }, new Rng(2));
    expect(u.calls()).to.equal(31); // no terminal within reach of 30 simulations from the empty board
    expect(Array.from(result.visits).reduce((a, b) => a + b, 0)).to.equal(30);
    const late = uniform();
    await new PuctSearch(ticTacToe, {}, late.evaluate).search(play([0, 3, 1, 4, 8, 2, 5]), 1, { simulations: 30, cPuct: 1.5 }, new Rng(2));
    expect(late.calls()).to.be.lessThan(31);
  });

  it('mixes Dirichlet noise into the root priors, reproducibly by seed', async () => {
    const a = dirichlet(new Rng(5), 0.3, 7);
    expect(Array.from(a).reduce((x, y) => x + y, 0)).to.be.closeTo(1, 1e-9);
    expect(Array.from(a).every((x) => x >= 0)).to.equal(true);
    expect(Array.from(dirichlet(new Rng(5), 0.3, 7))).to.deep.equal(Array.from(a));
    const run = async (seed: number) => {
      const search = new PuctSearch(ticTacToe, {}, uniform().evaluate);
      return Array.from((await search.search(play([]), 0, { simulations: 20, cPuct: 1.5, dirichlet: { alpha: 0.3, epsilon: 0.5 } }, new Rng(seed))).visits);
    };
    expect(await run(3)).to.deep.equal(await run(3));
    expect(await run(3)).to.not.deep.equal(await run(4));
  });

  it('refuses games it cannot search', () => {
    expect(() => new PuctSearch(kuhn, {}, uniform().evaluate))
      .to.throw()
      .with.property('code', 'env-not-searchable');
  });
});
