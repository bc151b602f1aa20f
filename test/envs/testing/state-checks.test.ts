import { AssertionError, expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { signalling } from '../../../envs/games/signalling/index.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { checkState } from '../../../envs/testing/state-checks.ts';
import { mutant } from './mutant.ts';

/** Runs checkState over one seeded playout; returns the failure message, if any. */
function failure(env: AnyEnv, params: unknown = {}, seed = 0): string | undefined {
  try {
    randomPlayout(env, params, seed, { visit: (v) => checkState(env, v.state, v.where) });
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  return undefined;
}

describe('envs/testing/state-checks', () => {
  it('passes working envs', () => {
    expect(failure(connectFour)).to.equal(undefined);
    expect(failure(signalling)).to.equal(undefined);
  });

  it('fails legal actions out of order, naming env, seed, step and seat', () => {
    const env = mutant(connectFour, { legalActions: (s, seat) => connectFour.legalActions(s, seat).slice().reverse() });
    expect(failure(env, {}, 5)).to.match(/^\[connect-four-v1 params=\{.*\} seed=5 step=0 seat=0\] legal actions .* not strictly ascending/);
  });

  it('fails legal actions for a seat that is not acting', () => {
    // Every seat gets the acting seat's actions.
    const env = mutant(connectFour, { legalActions: (s) => connectFour.legalActions(s, (s as ConnectFourState).moves % 2) });
    expect(failure(env)).to.match(/seat=1\] seat is not acting/);
  });

  it('fails a mask that disagrees with the legal list', () => {
    const env = mutant(connectFour, {
      legalMask: (s, seat) => {
        const m = connectFour.legalMask(s, seat);
        m[0] = 1;
        return m;
      },
    });
    expect(failure(env)).to.match(/legalMask\[0\] = 1/);
  });

  it('fails duplicate action texts', () => {
    const env = mutant(connectFour, { actionText: () => '[play]' });
    expect(failure(env)).to.match(/same text "\[play\]"/);
  });

  it('fails an alias that also names another legal action', () => {
    // Column 0 answering to "1" would make "[1]" name two columns.
    const env = mutant(connectFour, { actionAliases: (_s, _seat, id) => (id === 0 ? ['1'] : []) });
    expect(failure(env)).to.match(/alias "1" of action 0 also names action 1/);
  });

  it('fails a decoded action that does not encode back', () => {
    const env = mutant(connectFour, { encodeAction: () => 0 });
    expect(failure(env)).to.match(/encodeAction\(decodeAction\(1\)/);
  });

  it('fails a decoded action that does not pass actionSchema', () => {
    const env = mutant(connectFour, { decodeAction: (_s, _seat, id) => ({ col: id }) });
    expect(failure(env)).to.match(/does not pass actionSchema/);
  });

  it('fails a tensor of the wrong size or with non-finite values', () => {
    const short = mutant(connectFour, { observationTensor: () => new Float32Array(5) });
    expect(failure(short)).to.match(/tensor length 5 is not prod\(\[3,6,7\]\) = 126/);
    const nan = mutant(connectFour, {
      observationTensor: (s, v) => {
        const t = connectFour.observationTensor(s, v);
        t[7] = NaN;
        return t;
      },
    });
    expect(failure(nan)).to.match(/tensor\[7\] = NaN is not finite/);
  });

  it('fails a view that is not plain JSON, and an empty text', () => {
    const view = mutant(connectFour, { view: () => ({ moves: undefined }) as never });
    expect(failure(view)).to.match(/seat=0\] view is not plain JSON/);
    const text = mutant(connectFour, { observationText: (s, v) => (v === 'spectator' ? ' ' : connectFour.observationText(s, v)) });
    expect(failure(text)).to.match(/seat=spectator\] observationText is empty/);
  });

  it('fails a state that does not survive serialize and deserialize', () => {
    const env = mutant(connectFour, { deserialize: (data) => ({ ...(connectFour.deserialize(data) as ConnectFourState), moves: 99 }) });
    expect(failure(env)).to.match(/deserialize\(JSON of serialize\(state\)\) differs/);
  });

  it('fails returns before the end when the reward model is terminal', () => {
    const env = mutant(connectFour, { returns: (s: ConnectFourState) => [s.moves, -s.moves] });
    expect(failure(env)).to.match(/step=1\] rewardModel is "terminal" but returns are 1, -1/);
  });

  it('fails chance probabilities that do not sum to 1', () => {
    const env = mutant(signalling, { chanceOutcomes: (s) => signalling.chanceOutcomes(s).map((o) => ({ ...o, probability: 0.5 })) });
    expect(failure(env)).to.match(/seat=chance\] chance probabilities sum to 1\.5, not 1/);
  });

  it('fails a chance node in a deterministic env', () => {
    const env = mutant(signalling, { spec: { ...signalling.spec, chance: 'deterministic' } });
    expect(failure(env)).to.match(/a chance node in an env whose spec.chance is "deterministic"/);
  });
});
