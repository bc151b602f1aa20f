import { expect } from 'chai';
import { getEnv, Rng } from '../../../envs/index.ts';
import { forfeitReturns, timeoutAction } from '../../../arena/match/timeout-policy.ts';

describe('arena/match/timeout-policy', () => {
  it("plays the lowest legal id for 'default' and a legal one for 'random'", () => {
    const rng = new Rng(3);
    expect(timeoutAction('default', [2, 5, 7], rng)).to.equal(2);
    for (let i = 0; i < 20; i++) expect([2, 5, 7]).to.include(timeoutAction('random', [2, 5, 7], rng));
    expect(timeoutAction('forfeit', [2, 5, 7], rng)).to.equal('forfeit');
  });

  it('gives the forfeiting seat the minimum and the others the rest of a zero-sum total', () => {
    expect(forfeitReturns(getEnv('tic-tac-toe-v1'), {}, 1)).to.deep.equal([1, -1]);
    expect(forfeitReturns(getEnv('leduc-poker-v1'), {}, 0)).to.deep.equal([-13, 13]);
  });

  it('makes everyone lose together in a cooperative game', () => {
    const env = getEnv('signalling-v1');
    expect(forfeitReturns(env, env.parseParams({}), 0)).to.deep.equal([0, 0]);
  });
});
