import { AssertionError, expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { Rng } from '../../../envs/core/rng.ts';
import { signalling, type SignallingState } from '../../../envs/games/signalling/index.ts';
import { checkNoLeak } from '../../../envs/testing/leak-test.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { mutant } from './mutant.ts';

/** Runs the leak test over a few playouts; returns the first failure message, if any. */
function failure(env: AnyEnv): string | undefined {
  const rng = new Rng(1);
  try {
    for (let seed = 0; seed < 10; seed++) {
      randomPlayout(env, {}, seed, { visit: (v) => checkNoLeak(env, v.state, v.where, { twins: 3, rng }) });
    }
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  return undefined;
}

describe('envs/testing/leak-test', () => {
  it('passes an env that hides the state from the listener and the spectator', () => {
    expect(failure(signalling)).to.equal(undefined);
  });

  it("fails when a seat's text shows what it must not see", () => {
    const env = mutant(signalling, {
      observationText: (s: SignallingState, v) => `${signalling.observationText(s, v)}${v === 1 ? ` (${s.world})` : ''}`,
    });
    expect(failure(env)).to.match(/seat=1\] the text differs on a state resampled for this seat/);
  });

  it("fails when the spectator's view shows a hidden value before the end", () => {
    const env = mutant(signalling, {
      view: (s: SignallingState, v) => (v === 'spectator' ? { world: s.world } : signalling.view(s, v)),
    });
    expect(failure(env)).to.match(/seat=spectator\] the view differs on a state resampled for seat 1/);
  });

  it("fails when the spectator's tensor shows a hidden value before the end", () => {
    const env = mutant(signalling, {
      observationTensor: (s: SignallingState, v) => signalling.observationTensor(s, v === 'spectator' ? 0 : v),
    });
    expect(failure(env)).to.match(/seat=spectator\] the tensor differs/);
  });

  it('fails a resample that changes what the seat itself saw', () => {
    const env = mutant(signalling, {
      resampleHidden: (s: SignallingState, _seat, rng) => (s.world === null || s.act !== null ? s : { ...s, world: rng.int(s.params.states) }),
    });
    expect(failure(env)).to.match(/seat=0\] .* differs on a state resampled for this seat/);
  });
});
