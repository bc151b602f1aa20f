import { AssertionError, expect } from 'chai';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { BadParamsError } from '../../../envs/core/errors.ts';
import { connectFour, type ConnectFourParams, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { signalling } from '../../../envs/games/signalling/index.ts';
import { checkDims, checkEnd, checkInit, checkSpec } from '../../../envs/testing/checks.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import type { Where } from '../../../envs/testing/where.ts';
import { mutant } from './mutant.ts';

const where = (env: AnyEnv): Where => ({ key: env.key, params: env.parseParams() });
const withSpec = (overrides: Partial<AnyEnv['spec']>): AnyEnv => mutant(connectFour, { spec: { ...connectFour.spec, ...overrides } });

describe('envs/testing/checks', () => {
  describe('checkSpec', () => {
    it('passes a well-formed spec', () => {
      expect(() => checkSpec(connectFour)).to.not.throw();
    });

    it('fails an id that is not kebab-case, an empty rules text and inverted player counts', () => {
      expect(() => checkSpec(withSpec({ id: 'ConnectFour' }))).to.throw(AssertionError, /not kebab-case/);
      expect(() => checkSpec(withSpec({ rulesText: '  ' }))).to.throw(AssertionError, /rulesText is empty/);
      expect(() => checkSpec(withSpec({ players: { min: 3, max: 2 } }))).to.throw(AssertionError, /1 <= min <= max/);
    });

    it('fails a key that does not match id and version', () => {
      expect(() => checkSpec({ ...connectFour, key: 'connect-four-v2' })).to.throw(AssertionError, /is not "<id>-v<version>"/);
    });

    it('fails parseParams that accepts garbage', () => {
      // Strict about keys, but takes anything that is not an object.
      const lax = (input?: unknown) => connectFour.parseParams(typeof input === 'object' ? input : {});
      expect(() => checkSpec(mutant(connectFour, { parseParams: lax }))).to.throw(AssertionError, /parseParams\(42\) was accepted/);
    });

    it('fails parseParams that drops an unknown key, or does not name it and the known ones', () => {
      expect(() => checkSpec(mutant(connectFour, { parseParams: () => connectFour.parseParams() }))).to.throw(AssertionError, /notAParam: 1\}\) was accepted/);
      const vague = () => {
        throw new BadParamsError('bad-params', 'bad params');
      };
      expect(() => checkSpec(mutant(connectFour, { parseParams: (input?: unknown) => (input === undefined ? connectFour.parseParams() : vague()) }))).to.throw(
        AssertionError,
        /does not name the key/,
      );
    });
  });

  describe('checkDims', () => {
    const params = connectFour.parseParams();

    it('passes consistent dims', () => {
      expect(checkDims(connectFour, params, where(connectFour)).numPlayers).to.equal(2);
    });

    it('fails a zero-sum env without utilitySum 0, and an empty shape', () => {
      const noSum = mutant(connectFour, { dims: (p) => ({ ...connectFour.dims(p), utilitySum: undefined }) });
      expect(() => checkDims(noSum, params, where(connectFour))).to.throw(AssertionError, /zero-sum env needs utilitySum = 0/);
      const noShape = mutant(connectFour, { dims: (p) => ({ ...connectFour.dims(p), observationShape: [] }) });
      expect(() => checkDims(noShape, params, where(connectFour))).to.throw(AssertionError, /observationShape \[\]/);
    });

    it('fails chance outcomes declared by a deterministic env', () => {
      const env = mutant(connectFour, { dims: (p) => ({ ...connectFour.dims(p), maxChanceOutcomes: 2 }) });
      expect(() => checkDims(env, params, where(connectFour))).to.throw(AssertionError, /maxChanceOutcomes = 0/);
    });
  });

  describe('checkInit', () => {
    it('fails a seed-dependent init in a non-sampled env', () => {
      const env = mutant(connectFour, { init: (p, seed) => ({ ...connectFour.init(p, seed), moves: seed % 2 }) });
      expect(() => checkInit(env, connectFour.parseParams(), where(connectFour))).to.throw(AssertionError, /init depends on the seed/);
    });

    it('fails an init that mutates its params', () => {
      const env = mutant(connectFour, {
        init(p: ConnectFourParams, seed) {
          p.rows = 4;
          return connectFour.init(p, seed);
        },
      });
      expect(() => checkInit(env, connectFour.parseParams(), where(connectFour))).to.throw(TypeError);
    });
  });

  describe('checkEnd', () => {
    it('passes a finished playout', () => {
      const result = randomPlayout(signalling, {}, 1);
      expect(() => checkEnd(signalling, result, signalling.dims(signalling.parseParams()), where(signalling))).to.not.throw();
    });

    it('fails returns outside the utility range and rewards that do not sum to the returns', () => {
      const result = randomPlayout(connectFour, {}, 0);
      const dims = connectFour.dims(connectFour.parseParams());
      const narrow = { ...dims, minUtility: -0.5, maxUtility: 0.5 };
      expect(() => checkEnd(connectFour, result, narrow, where(connectFour))).to.throw(AssertionError, /outside \[minUtility, maxUtility\]/);
      const drifted = { ...result, rewardSums: [0.25, -0.25] };
      expect(() => checkEnd(connectFour, drifted, dims, where(connectFour))).to.throw(AssertionError, /summed rewards 0.25 differ/);
    });

    it('fails returns that break the utility type', () => {
      const env = mutant(connectFour, { returns: (s: ConnectFourState) => (connectFour.turn(s).kind === 'terminal' ? [1, 1] : [0, 0]) });
      const result = randomPlayout(env, {}, 0);
      expect(() => checkEnd(env, result, env.dims(result.episode.params), where(env))).to.throw(AssertionError, /zero-sum returns 1, 1 sum to 2/);
    });
  });
});
