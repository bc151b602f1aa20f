import { expect } from 'chai';
import { LearnError } from '../../../agents/learn/learn-error.ts';
import { parsePpoConfig } from '../../../agents/learn/ppo-config.ts';

describe('agents/learn/ppo-config', () => {
  it('fills the defaults and keeps given values', () => {
    const config = parsePpoConfig({ clip: 0.1, advantage: { estimator: 'rae' } });
    expect(config).to.include({ clip: 0.1, gamma: 1, epochs: 4 });
    expect(config.advantage).to.deep.equal({ estimator: 'rae', normalize: 'batch', raeDecay: 0.95 });
  });

  it('rejects an unknown key, at the top or nested, naming it and the known ones', () => {
    const cases: [unknown, RegExp][] = [
      [{ learningrate: 0.1 }, /\(root\): unknown key "learningrate" \(known keys: learningRate, adamEpsilon, gamma, lambda, clip,/],
      [{ advantage: { normalise: 'seat' } }, /advantage: unknown key "normalise" \(known keys: estimator, normalize, raeDecay\)/],
    ];
    for (const [input, message] of cases) {
      expect(() => parsePpoConfig(input)).to.throw(LearnError, message);
    }
  });
});
