import { expect } from 'chai';
import { gameTree } from '../../../agents/policy/game-tree.ts';
import { enumerateInfosets, slotsFromPolicy, uniformPolicy, type TabularPolicy } from '../../../agents/policy/tabular-policy.ts';
import { solveCfr } from '../../../agents/solvers/cfr-plus.ts';
import { expectedReturns, exploitability } from '../../../league/evaluate/exploitability.ts';
import { exactMetaGame, mixPolicies, nashMixtureOfPolicies, ownReachAtInfosets } from '../../../league/training/policy-mixture.ts';
import { getEnv } from '../../../envs/index.ts';

const kuhn = getEnv('kuhn-poker-v1');

/** A Kuhn policy from P(bet) at seat 0's opening, seat 0 after "pass, bet", and every seat-1 infoset. */
function kuhnPolicy(open: number, afterPassBet: number, second: number): TabularPolicy {
  const policy: TabularPolicy = new Map();
  for (const info of enumerateInfosets(kuhn)) {
    const bets = Array.from(info.tensor.subarray(5)).reduce((a, b) => a + b, 0);
    const bet = info.seat === 1 ? second : bets === 0 ? open : afterPassBet;
    policy.set(info.key, Float64Array.from([1 - bet, bet]));
  }
  return policy;
}

describe('league/training/policy-mixture', () => {
  const tree = gameTree(kuhn);

  it("gives each infoset the product of its seat's own probabilities on the way there", () => {
    const reach = ownReachAtInfosets(tree, slotsFromPolicy(tree, kuhnPolicy(0.7, 0.5, 0.4)));
    for (let i = 0; i < tree.numInfosets; i++) {
      const bets = Array.from(tree.infosetTensor[i]!.subarray(5)).reduce((a, b) => a + b, 0);
      // Seat 0 reaches "pass, bet" by passing (0.3); every other infoset is its seat's first decision.
      expect(reach[i]).to.be.closeTo(tree.infosetSeat[i] === 0 && bets === 2 ? 0.3 : 1, 1e-12);
    }
  });

  it('weighs policies by their reach, not uniformly, where only some of them arrive', () => {
    const alwaysBet = kuhnPolicy(1, 1, 0.5); // never reaches seat 0's "pass, bet"
    const alwaysPass = kuhnPolicy(0, 0, 0.5);
    const mixed = mixPolicies(tree, [alwaysBet, alwaysPass], [0.5, 0.5]);
    for (const info of enumerateInfosets(kuhn)) {
      const bets = Array.from(info.tensor.subarray(5)).reduce((a, b) => a + b, 0);
      const p = mixed.get(info.key)![1]!;
      if (info.seat === 0 && bets === 0) expect(p).to.be.closeTo(0.5, 1e-12);
      if (info.seat === 0 && bets === 2) expect(p).to.equal(0); // only alwaysPass gets here: it folds
    }
  });

  it('is realization-equivalent: against any opponent it earns the weighted mean of its parts', () => {
    const parts = [kuhnPolicy(0.9, 0.2, 0.3), kuhnPolicy(0.1, 0.8, 0.6), kuhnPolicy(0.5, 0.5, 0.9)];
    const weights = [0.2, 0.5, 0.3];
    const mixed = mixPolicies(tree, parts, weights);
    const opponent = kuhnPolicy(0.35, 0.65, 0.25);
    for (const seat of [0, 1]) {
      const profile = (p: TabularPolicy) => (seat === 0 ? [p, opponent] : [opponent, p]);
      const direct = expectedReturns(kuhn, {}, profile(mixed))[seat]!;
      const expected = parts.reduce((sum, p, k) => sum + weights[k]! * expectedReturns(kuhn, {}, profile(p))[seat]!, 0);
      expect(direct).to.be.closeTo(expected, 1e-12);
    }
  });

  it('builds an antisymmetric meta-game and puts the Nash weight on a near-equilibrium policy', () => {
    const nash = solveCfr(kuhn, {}, { iterations: 200 }).averagePolicy;
    const uniform = uniformPolicy(kuhn);
    const matrix = exactMetaGame(tree, [uniform, nash, kuhnPolicy(1, 1, 1)]);
    for (let i = 0; i < 3; i++) {
      expect(matrix[i]![i]).to.be.closeTo(0, 1e-12);
      for (let j = 0; j < 3; j++) expect(matrix[i]![j]).to.be.closeTo(-matrix[j]![i]!, 1e-12);
    }
    const mixture = nashMixtureOfPolicies(tree, [uniform, nash]);
    expect(mixture.weights[1]).to.be.greaterThan(0.99);
    expect(exploitability(kuhn, {}, mixture.behaviour)).to.be.lessThan(0.001);
  });
});
