import { expect } from 'chai';
import { computeGae, computeRae, computeReturnsToGo, normalizeAdvantages } from '../../../agents/learn/gae.ts';

/** Two seats of one episode, interleaved as lock-step rollouts write them: rows 0, 2 are seat 0; rows 1, 3 seat 1. */
const trajectories = () => ({
  size: 4,
  rewards: Float32Array.from([0, 0, 1, -1]),
  values: Float32Array.from([0.5, -0.2, 0.8, -0.6]),
  next: Int32Array.from([2, 3, -1, -1]),
  seats: Int32Array.from([0, 1, 0, 1]),
});

describe('agents/learn/gae', () => {
  it('matches a hand computation of GAE(0.9, 0.8) over interleaved trajectories', () => {
    const t = trajectories();
    const advantages = new Float32Array(4);
    const returns = new Float32Array(4);
    computeGae(t, 0.9, 0.8, advantages, returns);
    // row 2: δ = 1 - 0.8 = 0.2; row 3: δ = -1 + 0.6 = -0.4 (episode ends: next value 0)
    // row 0: δ = 0.9·0.8 - 0.5 = 0.22, A = 0.22 + 0.72·0.2 = 0.364
    // row 1: δ = 0.9·(-0.6) + 0.2 = -0.34, A = -0.34 + 0.72·(-0.4) = -0.628
    const expected = [0.364, -0.628, 0.2, -0.4];
    expected.forEach((a, i) => expect(advantages[i]).to.be.closeTo(a, 1e-6));
    [0.864, -0.828, 1.0, -1.0].forEach((r, i) => expect(returns[i]).to.be.closeTo(r, 1e-6));
  });

  it('bootstraps from the final value of a truncated trajectory instead of 0', () => {
    const t = { ...trajectories(), bootstrap: Float32Array.from([0, 0, 0.5, 0]) };
    const advantages = new Float32Array(4);
    const returns = new Float32Array(4);
    computeGae(t, 0.9, 0.8, advantages, returns);
    // row 2: δ = 1 + 0.9·0.5 - 0.8 = 0.65; row 3 ended for real: δ = -0.4 as before
    expect(advantages[2]).to.be.closeTo(0.65, 1e-6);
    expect(advantages[3]).to.be.closeTo(-0.4, 1e-6);
    expect(advantages[0]).to.be.closeTo(0.22 + 0.72 * 0.65, 1e-6);
    const togo = new Float32Array(4);
    computeReturnsToGo(t, 0.9, togo);
    expect(togo[2]).to.be.closeTo(1 + 0.9 * 0.5, 1e-6);
    expect(togo[0]).to.be.closeTo(0.9 * (1 + 0.9 * 0.5), 1e-6);
  });

  it('reduces to δ with λ = 0 and to the discounted return minus the value with λ = 1', () => {
    const t = trajectories();
    const a0 = new Float32Array(4);
    const a1 = new Float32Array(4);
    const r = new Float32Array(4);
    computeGae(t, 0.9, 0, a0, r);
    expect(a0[0]).to.be.closeTo(0.9 * 0.8 - 0.5, 1e-6);
    computeGae(t, 0.9, 1, a1, r);
    expect(a1[0]).to.be.closeTo(0.9 * 1 - 0.5, 1e-6); // G_0 = 0 + 0.9 · 1
    expect(a1[1]).to.be.closeTo(0.9 * -1 + 0.2, 1e-6);
  });

  it('computes discounted rewards-to-go per trajectory', () => {
    const returns = new Float32Array(4);
    computeReturnsToGo(trajectories(), 0.5, returns);
    expect(Array.from(returns)).to.deep.equal([0.5, -0.5, 1, -1]);
  });

  it('gives RAE advantages against the per-seat baselines from before the batch, then moves the baselines', () => {
    const baselines = Float64Array.from([0.2, 0]);
    const advantages = new Float32Array(4);
    const returns = new Float32Array(4);
    computeRae(trajectories(), 1, 0.5, baselines, advantages, returns);
    [0.8, -1, 0.8, -1].forEach((a, i) => expect(advantages[i]).to.be.closeTo(a, 1e-6));
    expect(baselines[0]).to.be.closeTo(0.5 * 0.2 + 0.5 * 1, 1e-12);
    expect(baselines[1]).to.be.closeTo(0.5 * 0 + 0.5 * -1, 1e-12);
  });

  it('normalizes over the batch or separately per seat', () => {
    const batch = Float32Array.from([1, 3, 10, 20]);
    normalizeAdvantages(batch, 4);
    const mean = batch.reduce((a, b) => a + b, 0) / 4;
    expect(mean).to.be.closeTo(0, 1e-6);
    expect(Math.sqrt(batch.reduce((a, b) => a + b * b, 0) / 4)).to.be.closeTo(1, 1e-5);
    const perSeat = Float32Array.from([1, 3, 10, 20]);
    normalizeAdvantages(perSeat, 4, [0, 0, 1, 1]);
    expect(Array.from(perSeat)).to.deep.equal([-1, 1, -1, 1]);
  });

  it('rejects a trajectory link that points backwards', () => {
    const t = { ...trajectories(), next: Int32Array.from([2, 0, -1, -1]) };
    expect(() => computeGae(t, 1, 1, new Float32Array(4), new Float32Array(4))).to.throw(/links to row 0/);
  });
});
