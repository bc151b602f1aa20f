import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { logFactorial, sampleBinomial, sampleMultinomial } from '../../../league/ratings/multinomial.ts';

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('league/ratings/multinomial', () => {
  it('computes log-factorials on both sides of the table boundary', () => {
    expect(logFactorial(0)).to.equal(0);
    expect(logFactorial(10)).to.be.closeTo(Math.log(3628800), 1e-12);
    let sum = 0;
    for (let k = 1; k <= 5000; k++) sum += Math.log(k);
    expect(logFactorial(5000)).to.be.closeTo(sum, 1e-9 * sum);
    expect(logFactorial(1024) - logFactorial(1023)).to.be.closeTo(Math.log(1024), 1e-9);
  });

  it('draws small binomials with the exact pmf frequencies', () => {
    const rng = new Rng(11);
    const hits = new Array<number>(11).fill(0);
    const draws = 20000;
    for (let i = 0; i < draws; i++) hits[sampleBinomial(rng, 10, 0.5)]!++;
    for (let k = 0; k <= 10; k++) {
      const pmf = Math.exp(logFactorial(10) - logFactorial(k) - logFactorial(10 - k)) / 1024;
      expect(hits[k]! / draws, `k = ${k}`).to.be.closeTo(pmf, 0.015);
    }
  });

  it('gets the mean and variance of large and skewed binomials right', () => {
    const rng = new Rng(12);
    for (const [n, p] of [
      [1_000_000, 0.3],
      [50, 0.9],
      [100_000, 0.0001],
    ] as const) {
      const xs = Array.from({ length: 3000 }, () => sampleBinomial(rng, n, p));
      const { mean, variance } = moments(xs);
      const sd = Math.sqrt(n * p * (1 - p));
      expect(mean, `n ${n} p ${p}`).to.be.closeTo(n * p, (4 * sd) / Math.sqrt(xs.length));
      expect(variance / (n * p * (1 - p)), `n ${n} p ${p}`).to.be.within(0.88, 1.12);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).to.equal(true);
    }
    expect(sampleBinomial(rng, 10, 0)).to.equal(0);
    expect(sampleBinomial(rng, 10, 1)).to.equal(10);
  });

  it('draws multinomials that sum to n with the right moments', () => {
    const rng = new Rng(13);
    const weights = [2, 0, 3, 5];
    const n = 1000;
    const out = new Float64Array(4);
    const samples: number[][] = [[], [], [], []];
    for (let s = 0; s < 4000; s++) {
      sampleMultinomial(rng, n, weights, out);
      expect(out[0]! + out[1]! + out[2]! + out[3]!).to.equal(n);
      out.forEach((x, k) => samples[k]!.push(x));
    }
    expect(samples[1]!.every((x) => x === 0)).to.equal(true);
    for (const k of [0, 2, 3]) {
      const p = weights[k]! / 10;
      const { mean, variance } = moments(samples[k]!);
      expect(mean).to.be.closeTo(n * p, 4 * Math.sqrt((n * p * (1 - p)) / 4000));
      expect(variance / (n * p * (1 - p))).to.be.within(0.9, 1.1);
    }
  });
});
