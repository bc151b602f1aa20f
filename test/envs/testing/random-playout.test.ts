import { expect } from 'chai';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { mutant } from './mutant.ts';

describe('envs/testing/random-playout', () => {
  it('plays the same episode for the same seed and another for another seed', () => {
    const a = randomPlayout(connectFour, {}, 3).episode.toRecord();
    const b = randomPlayout(connectFour, {}, 3).episode.toRecord();
    const c = randomPlayout(connectFour, {}, 4).episode.toRecord();
    expect(b).to.deep.equal(a);
    expect(c.history).to.not.deep.equal(a.history);
  });

  it('visits every state, terminal included, and counts decision steps', () => {
    const kinds: string[] = [];
    const result = randomPlayout(connectFour, {}, 0, { visit: (v) => kinds.push(v.turn.kind) });
    expect(kinds.at(-1)).to.equal('terminal');
    expect(kinds.length).to.equal(result.length + 1);
    expect(result.rewardSums).to.deep.equal(result.episode.returns);
  });

  it('hands the env deep-frozen states, so a mutating apply throws', () => {
    const mutating = mutant(connectFour, {
      apply(state: ConnectFourState, actor, action) {
        (state.board as number[])[0] = 1; // the bug under test
        return connectFour.apply(state, actor, action);
      },
    });
    expect(() => randomPlayout(mutating, {}, 0)).to.throw(TypeError);
    expect(() => randomPlayout(mutating, {}, 0, { freeze: false })).to.not.throw();
  });

  it('fails an episode that runs past maxGameLength, naming the seed', () => {
    const short = mutant(connectFour, { dims: (p) => ({ ...connectFour.dims(p), maxGameLength: 3 }) });
    expect(() => randomPlayout(short, {}, 9)).to.throw(/seed=9.*maxGameLength = 3/);
  });
});
