import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { PolicyError } from '../../../agents/policy/policy-error.ts';
import { CfrSolver, solveCfr } from '../../../agents/solvers/cfr-plus.ts';
import { evaluateProfile, exploitability } from '../../../league/evaluate/exploitability.ts';

/**
 * Reference curves: league.md §4.3 (exploitability of the average policy after T iterations,
 * OpenSpiel CFRSolver / CFRPlusSolver semantics). CFR+ is sensitive to floating-point
 * rounding (a regret clipped to 0 versus 1e-17 flips a strategy), so late CFR+ points are
 * checked as bands; vanilla CFR reproduces OpenSpiel's published Leduc digits.
 */
function curve(envKey: string, variant: 'cfr' | 'cfr+', points: readonly number[]): number[] {
  const env = getEnv(envKey);
  const solver = new CfrSolver(env, {}, { variant });
  return points.map((t) => exploitability(env, {}, solver.run(t - solver.iterations).averagePolicy()));
}

const expectDecreasing = (values: readonly number[]) => {
  for (let i = 1; i < values.length; i++) expect(values[i]).to.be.below(values[i - 1]!);
};

describe('agents/solvers/cfr-plus', () => {
  describe('kuhn-poker', () => {
    it('follows the published CFR+ curve (T = 1, 10, 100, 1000) and decreases', () => {
      const published = [0.458333, 0.0326871, 0.0011944, 0.0000874];
      const values = curve('kuhn-poker-v1', 'cfr+', [1, 10, 100, 1000]);
      expect(values[0]).to.be.closeTo(11 / 24, 1e-12);
      values.forEach((v, i) => expect(v, `point ${i}`).to.be.below(published[i]! * 1.5));
      expectDecreasing(values);
      expect(values[3]).to.be.below(0.001); // OpenSpiel's CFR+ test threshold (at 200 iterations)
    });

    it('follows the published CFR curve (T = 10, 100, 1000)', () => {
      const published = [0.0686988, 0.008226, 0.0009376];
      const values = curve('kuhn-poker-v1', 'cfr', [10, 100, 1000]);
      values.forEach((v, i) => expect(v, `point ${i}`).to.be.closeTo(published[i]!, published[i]! * 0.01));
    });

    it('reaches the game value -1/18 for seat 0 after 1000 CFR+ iterations', () => {
      const env = getEnv('kuhn-poker-v1');
      const { averagePolicy, iterations } = solveCfr(env, {}, { iterations: 1000 });
      expect(iterations).to.equal(1000);
      expect(evaluateProfile(env, {}, averagePolicy).values[0]).to.be.closeTo(-1 / 18, 1e-3);
    });
  });

  describe('leduc-poker', () => {
    it("reproduces OpenSpiel's vanilla CFR exploitability 0.0939493 after 101 iterations", () => {
      const values = curve('leduc-poker-v1', 'cfr', [1, 10, 101]);
      expect(values[0]).to.be.closeTo(2.373611, 1e-6);
      expect(values[1]).to.be.closeTo(0.888579, 1e-6);
      expect(values[2]).to.be.closeTo(0.0939493, 1e-6);
    });

    it('follows the published CFR+ curve (T = 10, 100, 1000) and nears the game value -0.0856', () => {
      const env = getEnv('leduc-poker-v1');
      const solver = new CfrSolver(env, {}, { variant: 'cfr+' });
      const published = [0.6104389, 0.013416, 0.0002572];
      const values = [10, 100, 1000].map((t) => exploitability(env, {}, solver.run(t - solver.iterations).averagePolicy()));
      values.forEach((v, i) => expect(v, `point ${i}`).to.be.below(published[i]! * 1.5));
      expectDecreasing(values);
      // Sequence-form LP game value: -0.085606424078 (envs.md §2.2).
      expect(evaluateProfile(env, {}, solver.averagePolicy()).values[0]).to.be.closeTo(-0.0856064, 1e-4);
    });
  });

  it('puts all averaging weight after the delay: T <= delay leaves the uniform policy', () => {
    const env = getEnv('leduc-poker-v1');
    const delayed = new CfrSolver(env, {}, { variant: 'cfr+', averagingDelay: 5 }).run(5);
    expect(exploitability(env, {}, delayed.averagePolicy())).to.be.closeTo(2.373611, 1e-6);
  });

  it('is deterministic: two runs give identical tables', () => {
    const env = getEnv('leduc-poker-v1');
    const a = solveCfr(env, {}, { iterations: 20, variant: 'cfr' }).averagePolicy;
    const b = solveCfr(env, {}, { iterations: 20, variant: 'cfr' }).averagePolicy;
    expect([...a.entries()].map(([k, p]) => [k, [...p]])).to.deep.equal([...b.entries()].map(([k, p]) => [k, [...p]]));
  });

  it('rejects bad options and envs without perfect recall', () => {
    const env = getEnv('leduc-poker-v1');
    expect(() => solveCfr(env, {}, { iterations: -1 }))
      .to.throw(PolicyError)
      .with.property('code', 'bad-solver-options');
    expect(() => solveCfr(env, {}, { variant: 'dcfr' as 'cfr' }))
      .to.throw(PolicyError)
      .with.property('code', 'bad-solver-options');
    // Tic-tac-toe's board tensor forgets move order: transpositions break perfect recall.
    expect(() => solveCfr(getEnv('tic-tac-toe'), {}, { iterations: 1 }))
      .to.throw(PolicyError)
      .with.property('code', 'imperfect-recall');
  });
});
