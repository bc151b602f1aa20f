import { expect } from 'chai';
import { describe, it } from 'mocha';
import type { AnyEnv } from '../../../envs/core/env.ts';
import { proposeSolve } from '../../../envs/games/propose-solve/index.ts';
import { simpleNegotiation } from '../../../envs/games/simple-negotiation/index.ts';
import { checkDims } from '../../../envs/testing/checks.ts';
import { checkIllegalInput } from '../../../envs/testing/illegal-input.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { mutant } from './mutant.ts';

describe('envs/testing on text envs', () => {
  it('plays text envs with valid and invalid sampled replies, recording every text', () => {
    const result = randomPlayout(simpleNegotiation, { errorAllowance: 2 }, 3);
    const texts = result.episode.toRecord().history;
    expect(texts.length).to.be.greaterThan(0);
    expect(texts.every((h) => h.kind === 'text')).to.equal(true);
  });

  it('fails when a sampler promises a valid reply the env rejects', () => {
    const liar = mutant(proposeSolve, { sampleText: () => 'not a task at all' });
    expect(() => randomPlayout(liar, {}, 0)).to.throw(/sampleText promised a valid reply/);
  });

  it('fails when an env throws on a bad reply instead of returning a verdict', () => {
    const thrower = mutant(proposeSolve, {
      applyText: (state, seat, text) => {
        if (text.includes('cannot')) throw new Error('boom');
        return proposeSolve.applyText!(state, seat, text);
      },
      sampleText: (state, seat, rng, valid) => (valid ? proposeSolve.sampleText!(state, seat, rng, true) : 'I cannot think of a task.'),
    });
    const failures = [0, 1, 2, 3, 4, 5, 6, 7].filter((seed) => {
      try {
        randomPlayout(thrower, {}, seed);
        return false;
      } catch (error) {
        return /must be a verdict/.test(String(error));
      }
    });
    expect(failures.length).to.be.greaterThan(0);
  });

  it('fails a text env without a sampler, and dims that claim text without applyText', () => {
    const mute = { ...simpleNegotiation, sampleText: undefined } as AnyEnv;
    expect(() => randomPlayout(mute, {}, 0)).to.throw(/needs sampleText/);
    const noJudge = { ...simpleNegotiation, applyText: undefined } as AnyEnv;
    expect(() => checkDims(noJudge, noJudge.parseParams({}), { key: 'x', params: {} })).to.throw(/no applyText/);
  });

  it('fails an env that accepts an over-long reply', () => {
    const lax = mutant(simpleNegotiation, { applyText: (state, seat, text) => simpleNegotiation.applyText!(state, seat, text.slice(0, 10)) });
    const state = simpleNegotiation.init(simpleNegotiation.parseParams({}), 0);
    expect(() => checkIllegalInput(lax, state, { key: 'x', params: {} })).to.throw(/over-long text reply was accepted/);
  });
});
