import { expect } from 'chai';
import { monotonicPrefixLength, pfspProbabilities, pfspWeight } from '../../../league/matchmaking/pfsp-weights.ts';

describe('league/matchmaking/pfsp-weights', () => {
  it('hard weighting is (1 - x)^p, normalised', () => {
    // (0.8^2, 0.5^2, 0.1^2) = (0.64, 0.25, 0.01), sum 0.9
    const probs = pfspProbabilities([0.2, 0.5, 0.9], 'hard', 2);
    [0.64 / 0.9, 0.25 / 0.9, 0.01 / 0.9].forEach((p, i) => expect(probs[i]).to.be.closeTo(p, 1e-12));
    expect(pfspWeight(0.5, 'hard', 3)).to.equal(0.125);
  });

  it('variance weighting is x(1 - x), peaking at 0.5', () => {
    const probs = pfspProbabilities([0.2, 0.5, 0.9], 'variance');
    [0.16 / 0.5, 0.25 / 0.5, 0.09 / 0.5].forEach((p, i) => expect(probs[i]).to.be.closeTo(p, 1e-12));
  });

  it('linear and linear_capped weightings', () => {
    expect(pfspWeight(0.3, 'linear')).to.be.closeTo(0.7, 1e-12);
    expect(pfspWeight(0.3, 'linear_capped')).to.equal(0.5);
    expect(pfspWeight(0.8, 'linear_capped')).to.be.closeTo(0.2, 1e-12);
  });

  it('falls back to uniform when every weight is zero', () => {
    expect(pfspProbabilities([1, 1, 1, 1], 'hard')).to.deep.equal([0.25, 0.25, 0.25, 0.25]);
    expect(pfspProbabilities([0, 1], 'variance')).to.deep.equal([0.5, 0.5]);
  });

  it('remove_monotonic_suffix keeps everything up to the last rise', () => {
    expect(monotonicPrefixLength([0.9, 0.6, 0.8, 0.4, 0.3])).to.equal(3);
    expect(monotonicPrefixLength([0.2, 0.5])).to.equal(2);
    expect(monotonicPrefixLength([0.9, 0.8, 0.7])).to.equal(0);
    expect(monotonicPrefixLength([0.5])).to.equal(0);
    expect(monotonicPrefixLength([])).to.equal(0);
  });
});
