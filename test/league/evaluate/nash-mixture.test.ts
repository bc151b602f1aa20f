import { expect } from 'chai';
import { EvaluateError } from '../../../league/evaluate/evaluate-error.ts';
import { nashMixture, seatedNashMixture, solveMatrixGame } from '../../../league/evaluate/nash-mixture.ts';
import { payoffMatrix } from '../../../league/evaluate/payoff-matrix.ts';

const expectMixture = (actual: readonly number[], expected: readonly number[], tolerance = 1e-9) => {
  expect(actual).to.have.length(expected.length);
  actual.forEach((p, i) => expect(p, `entry ${i}`).to.be.closeTo(expected[i]!, tolerance));
};

describe('league/evaluate/nash-mixture', () => {
  it('solves rock-paper-scissors: uniform for both players, value 0', () => {
    const s = solveMatrixGame([
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ]);
    expectMixture(s.row, [1 / 3, 1 / 3, 1 / 3]);
    expectMixture(s.col, [1 / 3, 1 / 3, 1 / 3]);
    expect(s.value).to.be.closeTo(0, 1e-12);
    expect(s.gap).to.be.below(1e-12);
  });

  it('solves matching pennies: (1/2, 1/2), value 0', () => {
    const s = solveMatrixGame([
      [1, -1],
      [-1, 1],
    ]);
    expectMixture(s.row, [0.5, 0.5]);
    expectMixture(s.col, [0.5, 0.5]);
    expect(s.value).to.be.closeTo(0, 1e-12);
  });

  it('solves a hand-solved 2x2 game [[3, -1], [-2, 1]]: row (3/7, 4/7), column (2/7, 5/7), value 1/7', () => {
    // Row indifference: 3p − 2(1−p) = −p + (1−p) → p = 3/7; column: 3q − (1−q) = −2q + (1−q) → q = 2/7.
    const s = solveMatrixGame([
      [3, -1],
      [-2, 1],
    ]);
    expectMixture(s.row, [3 / 7, 4 / 7]);
    expectMixture(s.col, [2 / 7, 5 / 7]);
    expect(s.value).to.be.closeTo(1 / 7, 1e-12);
  });

  it('gives a strictly dominated strategy weight 0', () => {
    // Row 3 is rock-paper-scissors' rock shifted down by 0.5 everywhere: strictly dominated by row 0.
    const s = solveMatrixGame([
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
      [-0.5, -1.5, 0.5],
    ]);
    expectMixture(s.row, [1 / 3, 1 / 3, 1 / 3, 0]);
    expect(s.value).to.be.closeTo(0, 1e-12);
  });

  it('solves a pure saddle point and rectangular games', () => {
    const saddle = solveMatrixGame([
      [4, 2, 5],
      [1, 0, 3],
    ]);
    expectMixture(saddle.row, [1, 0]);
    expectMixture(saddle.col, [0, 1, 0]);
    expect(saddle.value).to.be.closeTo(2, 1e-12);
    const single = solveMatrixGame([[-3]]);
    expect(single).to.deep.include({ row: [1], col: [1], value: -3 });
  });

  it('handles duplicated strategies (degenerate LPs) with a zero duality gap', () => {
    const rps = [
      [0, -1, 1],
      [1, 0, -1],
      [-1, 1, 0],
    ];
    const doubled = [...rps, ...rps].map((row) => [...row, ...row]);
    const s = solveMatrixGame(doubled);
    expect(s.value).to.be.closeTo(0, 1e-12);
    expect(s.gap).to.be.below(1e-12);
    // Rock's two copies together carry 1/3.
    expect(s.row[0]! + s.row[3]!).to.be.closeTo(1 / 3, 1e-9);
  });

  it('finds the population mixture of a rock-paper-scissors league from match results', () => {
    const beats: Record<string, string> = { rock: 'scissors', paper: 'rock', scissors: 'paper' };
    const results = [];
    for (const a of Object.keys(beats)) {
      for (const b of Object.keys(beats)) {
        if (a === b) continue;
        const r = beats[a] === b ? 1 : -1;
        results.push({ seats: [a, b], returns: [r, -r] });
      }
    }
    const nash = nashMixture(payoffMatrix(results));
    expect(nash.agentIds).to.deep.equal(['paper', 'rock', 'scissors']);
    expectMixture(nash.weights, [1 / 3, 1 / 3, 1 / 3]);
    expect(nash.value).to.be.closeTo(0, 1e-12);
  });

  it("solves a seated (asymmetric) meta-game from the row seat's returns", () => {
    // Seat 0 agents {a, b} against seat 1 agents {x, y}: the 2x2 game above.
    const results = [
      { seats: ['a', 'x'], returns: [3, -3] },
      { seats: ['a', 'y'], returns: [-1, 1] },
      { seats: ['b', 'x'], returns: [-2, 2] },
      { seats: ['b', 'y'], returns: [1, -1] },
    ];
    const nash = seatedNashMixture(results);
    expect(nash.rowIds).to.deep.equal(['a', 'b']);
    expectMixture(nash.rowWeights, [3 / 7, 4 / 7]);
    expectMixture(nash.colWeights, [2 / 7, 5 / 7]);
    expect(nash.value).to.be.closeTo(1 / 7, 1e-12);
    expect(() => seatedNashMixture(results.slice(1)))
      .to.throw(EvaluateError)
      .with.property('code', 'incomplete-matrix');
  });

  it('rejects empty, ragged and non-finite matrices', () => {
    expect(() => solveMatrixGame([]))
      .to.throw(EvaluateError)
      .with.property('code', 'bad-matrix');
    expect(() => solveMatrixGame([[1, 2], [3]]))
      .to.throw(EvaluateError)
      .with.property('code', 'bad-matrix');
    expect(() => solveMatrixGame([[1, Number.NaN]]))
      .to.throw(EvaluateError)
      .with.property('code', 'bad-matrix');
  });
});
