import { AssertionError, expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { IllegalActionError } from '../../../envs/core/errors.ts';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { rockPaperScissors } from '../../../envs/games/rock-paper-scissors/index.ts';
import { signalling } from '../../../envs/games/signalling/index.ts';
import { checkIllegalInput } from '../../../envs/testing/illegal-input.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { mutant } from './mutant.ts';

function failure(env: AnyEnv, seed = 0): string | undefined {
  try {
    randomPlayout(env, {}, seed, { visit: (v) => checkIllegalInput(env, v.state, v.where) });
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  return undefined;
}

describe('envs/testing/illegal-input', () => {
  it('passes envs whose checked apply rejects every kind of bad input', () => {
    expect(failure(connectFour)).to.equal(undefined);
    expect(failure(rockPaperScissors)).to.equal(undefined);
    expect(failure(signalling)).to.equal(undefined);
  });

  it('fails an apply that lets a seat act out of turn', () => {
    const env = mutant(connectFour, {
      apply: (s: ConnectFourState, actor, a) => connectFour.apply(s, actor === 'chance' ? actor : s.moves % 2, a),
    });
    expect(failure(env)).to.match(/step=0 seat=1\] seat 1 acting out of turn was accepted/);
  });

  it('fails an apply that throws an untyped error on an illegal id', () => {
    const env = mutant(connectFour, {
      apply(s, actor, a) {
        if (!connectFour.isLegal(s, actor as number, a)) throw new Error('nope');
        return connectFour.apply(s, actor, a);
      },
    });
    expect(failure(env)).to.match(/illegal action 7 threw Error: nope, not IllegalActionError\('illegal'\)/);
  });

  it('fails an error with the wrong code', () => {
    const env = mutant(rockPaperScissors, {
      applyJoint() {
        throw new IllegalActionError('wrong-node', 'always');
      },
    });
    expect(failure(env)).to.match(/threw IllegalActionError\('wrong-node'\), expected 'illegal'/);
  });
});
