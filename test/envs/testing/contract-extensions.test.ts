/**
 * The conformance checks for teams, real-time dims and truncation (issue 13), each shown
 * to pass a well-formed env and to fail a broken copy of one.
 */
import { AssertionError, expect } from 'chai';
import type { AnyEnv, EnvDims } from '../../../envs/core/env.ts';
import { Episode } from '../../../envs/core/episode.ts';
import { numSides, numTeams, sideOf, teammates, teamOf, teamSeats } from '../../../envs/core/teams.ts';
import { rockPaperScissors } from '../../../envs/games/rock-paper-scissors/index.ts';
import { checkDims, checkEnd } from '../../../envs/testing/checks.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';
import { checkState } from '../../../envs/testing/state-checks.ts';
import { mutant } from './mutant.ts';

const rps = rockPaperScissors;
const params = rps.parseParams();
const where = { key: rps.key, params };
const withDims = (extra: Partial<EnvDims>, overrides: Partial<AnyEnv> = {}): AnyEnv =>
  mutant(rps, { dims: (p) => ({ ...rps.dims(p), ...extra }), ...overrides });

/** Runs checkState and checkEnd over one seeded playout; returns the failure message, if any. */
function failure(env: AnyEnv, seed = 0): string | undefined {
  try {
    const result = randomPlayout(env, params, seed, { visit: (v) => checkState(env, v.state, v.where) });
    checkEnd(env, result, env.dims(params), where);
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  return undefined;
}

describe('envs/testing: teams, real time and truncation', () => {
  describe('teams', () => {
    it('passes one seat per team and fails teammates with different returns', () => {
      expect(failure(withDims({ teams: [0, 1] }))).to.equal(undefined);
      // Rock-paper-scissors is zero-sum: seats on one team differ as soon as a round is won.
      expect(failure(withDims({ teams: [0, 0] }))).to.match(/team members share returns/);
    });

    it('fails team lists of the wrong length or with a skipped id', () => {
      expect(() => checkDims(withDims({ teams: [0] }), params, where)).to.throw(AssertionError, /one non-negative integer team id per seat/);
      expect(() => checkDims(withDims({ teams: [0, 2] }), params, where)).to.throw(AssertionError, /skip a number/);
    });

    it('maps seats to teams, with every seat its own team when the env declares none', () => {
      const dims = { ...rps.dims(params), numPlayers: 4, teams: [1, 0, 1, 0] };
      expect(teamSeats(dims)).to.deep.equal([
        [1, 3],
        [0, 2],
      ]);
      expect(numTeams(dims)).to.equal(2);
      expect(teammates(dims, 2)).to.deep.equal([0, 2]);
      expect(teamOf(rps.dims(params), 1)).to.equal(1);
      expect(teamSeats(rps.dims(params))).to.deep.equal([[0], [1]]);
    });

    it('draws opponents by team when there are two or more, and partners by seat in a one-team env', () => {
      const four = { ...rps.dims(params), numPlayers: 4, teams: [1, 0, 1, 0] };
      expect([0, 1, 2, 3].map((seat) => sideOf(four, seat))).to.deep.equal([1, 0, 1, 0]);
      expect(numSides(four)).to.equal(2);
      const kitchen = { ...rps.dims(params), teams: [0, 0] }; // Overcooked's two chefs
      expect([sideOf(kitchen, 0), sideOf(kitchen, 1)]).to.deep.equal([0, 1]);
      expect(numSides(kitchen)).to.equal(2);
      expect(numSides(rps.dims(params))).to.equal(2);
      expect(sideOf(rps.dims(params), 1)).to.equal(1);
    });
  });

  describe('real time', () => {
    const realtime = { tickHz: 30, input: 'held' as const, defaultActions: [0, 0] };

    it('passes legal default actions', () => {
      expect(failure(withDims({ realtime }))).to.equal(undefined);
    });

    it('fails a default action that is not legal where the seat acts', () => {
      // Id 2 is in range but made illegal for seat 1.
      const drop = (seat: number, legal: readonly number[]): number[] => legal.filter((a) => !(seat === 1 && a === 2));
      const env = withDims(
        { realtime: { ...realtime, defaultActions: [0, 2] } },
        {
          legalActions: (s, seat) => drop(seat, rps.legalActions(s, seat)),
          legalMask: (s, seat) => {
            const m = rps.legalMask(s, seat);
            if (seat === 1) m[2] = 0;
            return m;
          },
          isLegal: (s, seat, a) => rps.isLegal(s, seat, a) && !(seat === 1 && a === 2),
        },
      );
      expect(failure(env)).to.match(/seat=1\] the default action 2 is not legal/);
    });

    it('fails bad tick rates, input modes and default lists', () => {
      expect(() => checkDims(withDims({ realtime: { ...realtime, tickHz: 0 } }), params, where)).to.throw(AssertionError, /tickHz 0/);
      const mode = { ...realtime, input: 'sticky' } as unknown as EnvDims['realtime'];
      expect(() => checkDims(withDims({ realtime: mode }), params, where)).to.throw(AssertionError, /input "sticky"/);
      expect(() => checkDims(withDims({ realtime: { ...realtime, defaultActions: [0, 3] } }), params, where)).to.throw(
        AssertionError,
        /defaultActions \[0,3\]/,
      );
    });
  });

  describe('truncation', () => {
    const capped = (extra: Partial<EnvDims> = {}): AnyEnv =>
      withDims(extra, {
        isTruncated: (s) => rps.turn(s).kind === 'terminal',
      });

    it('passes an episode truncated at maxGameLength and records how it ended', () => {
      expect(failure(capped())).to.equal(undefined);
      const episode = randomPlayout(capped(), params, 3).episode;
      expect(episode.isTruncated).to.equal(true);
      expect(episode.toRecord().end).to.equal('truncated');
      expect(randomPlayout(rps, params, 3).episode.toRecord().end).to.equal('terminal');
      expect(new Episode(rps, params, 3).toRecord().end).to.equal(undefined);
    });

    it('fails truncation before maxGameLength and a truncated state that is not terminal', () => {
      expect(failure(capped({ maxGameLength: 6 }))).to.match(/truncated after 5 steps, not at maxGameLength 6/);
      expect(failure(mutant(rps, { isTruncated: () => true }))).to.match(/isTruncated is true at a state that is not terminal/);
    });

    it('rejects a record whose end disagrees with its replay', () => {
      const record = randomPlayout(rps, params, 1).episode.toRecord();
      expect(() => Episode.replay(rps, { ...record, end: 'truncated' })).to.throw(/record says the episode ended truncated, its replay ended terminal/);
      expect(Episode.replay(rps, record).isTruncated).to.equal(false);
    });
  });
});
