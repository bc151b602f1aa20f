import { expect } from 'chai';
import { BadParamsError, Episode, type EpisodeRecord } from '../../../envs/index.ts';
import { connectFour } from '../../../envs/games/connect-four/index.ts';
import { leducPoker } from '../../../envs/games/leduc-poker/index.ts';
import { rockPaperScissors } from '../../../envs/games/rock-paper-scissors/index.ts';

const ROCK = 0;
const PAPER = 1;
const SCISSORS = 2;

function expectBadRecord(attempt: () => unknown, message: RegExp): void {
  try {
    attempt();
  } catch (error) {
    expect(error).to.be.instanceOf(BadParamsError);
    expect((error as BadParamsError).code).to.equal('bad-record');
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail('the record was accepted');
}

/** Leduc with both private cards dealt and one bet: chance nodes then a decision. */
function leducEpisode(seed: number): Episode {
  const episode = new Episode(leducPoker, {}, seed);
  episode.resolveChance();
  episode.resolveChance();
  episode.step(0, 1); // check
  return episode;
}

describe('envs/core/episode', () => {
  describe('rewards', () => {
    it('are zero before the first transition', () => {
      expect(new Episode(rockPaperScissors, { rounds: 3 }, 0).rewards).to.deep.equal([0, 0]);
    });

    it('are the change in returns over the last transition', () => {
      const episode = new Episode(rockPaperScissors, { rounds: 3 }, 0);
      episode.stepJoint([ROCK, SCISSORS]); // rock beats scissors
      expect(episode.rewards).to.deep.equal([1, -1]);
      episode.stepJoint([ROCK, PAPER]); // paper beats rock
      expect(episode.rewards).to.deep.equal([-1, 1]);
      expect(episode.returns).to.deep.equal([0, 0]);
      episode.stepJoint([SCISSORS, PAPER]);
      expect(episode.rewards).to.deep.equal([1, -1]);
      expect(episode.returns).to.deep.equal([1, -1]);
      expect(episode.isTerminal).to.equal(true);
    });

    it('are zero on a step that changes no return', () => {
      const episode = new Episode(rockPaperScissors, { rounds: 2 }, 0);
      episode.stepJoint([ROCK, SCISSORS]);
      episode.stepJoint([PAPER, PAPER]); // a tie
      expect(episode.rewards).to.deep.equal([0, 0]);
      expect(episode.returns).to.deep.equal([1, -1]);
    });
  });

  describe('records', () => {
    it('counts every transition, chance included, and writes it to the record', () => {
      const episode = leducEpisode(4);
      expect(episode.stepIndex).to.equal(3);
      const record = episode.toRecord();
      expect(record).to.include({ format: 1, env: 'leduc-poker', version: 1, seed: 4 });
      expect(record.history.map((h) => h.kind)).to.deep.equal(['chance', 'chance', 'decision']);
      expect(record.history[2]).to.deep.equal({ kind: 'decision', seat: 0, action: 1 });
    });

    it('hands out a copy that later steps do not change', () => {
      const episode = new Episode(connectFour, {}, 0).step(0, 3);
      const record = episode.toRecord();
      episode.step(1, 4);
      expect(record.history).to.have.length(1);
    });
  });

  describe('replay', () => {
    it('reproduces the state and returns from a JSON record', () => {
      const episode = leducEpisode(11);
      episode.step(1, 2); // raise
      const json = JSON.parse(JSON.stringify(episode.toRecord())) as unknown;
      const replayed = Episode.replay(leducPoker, json);
      expect(replayed.state).to.deep.equal(episode.state);
      expect(replayed.returns).to.deep.equal(episode.returns);
      expect(replayed.toRecord()).to.deep.equal(episode.toRecord());
    });

    it('keeps the chance RNG in step, so later chance nodes match the original', () => {
      const episode = leducEpisode(7);
      episode.step(1, 1); // check: round 1 ends, the public card is next
      const replayed = Episode.replay(leducPoker, JSON.parse(JSON.stringify(episode.toRecord())));
      expect(episode.turn.kind).to.equal('chance');
      expect(replayed.resolveChance()).to.equal(episode.resolveChance());
    });

    it('rejects a malformed record with code bad-record', () => {
      const good = new Episode(connectFour, {}, 0).step(0, 3).toRecord();
      expectBadRecord(() => Episode.replay(connectFour, { ...good, format: 2 }), /bad episode record: format/);
      expectBadRecord(() => Episode.replay(connectFour, { ...good, history: [{ kind: 'decision', action: 3 }] }), /bad episode record/);
      expectBadRecord(() => Episode.replay(connectFour, 'not a record'), /bad episode record/);
    });

    it('rejects a record whose history cannot be replayed, naming the step', () => {
      const record: EpisodeRecord = {
        format: 1,
        env: 'connect-four',
        version: 1,
        params: {},
        seed: 0,
        history: [
          { kind: 'decision', seat: 0, action: 3 },
          { kind: 'decision', seat: 0, action: 3 }, // seat 1's turn
        ],
      };
      expectBadRecord(() => Episode.replay(connectFour, record), /step 1 cannot be replayed: seat 0 is not acting/);
    });

    it('rejects a record for another env or another version', () => {
      const record = new Episode(connectFour, {}, 0).step(0, 3).toRecord();
      expectBadRecord(() => Episode.replay(leducPoker, record), /record is for connect-four-v1, not leduc-poker-v1/);
      expectBadRecord(() => Episode.replay(connectFour, { ...record, version: 2 }), /record is for connect-four-v2, not connect-four-v1/);
    });

    it('rejects a record with bad params as a bad record', () => {
      const record = { ...new Episode(connectFour, {}, 0).toRecord(), params: { rows: 99 } };
      expectBadRecord(() => Episode.replay(connectFour, record), /record params do not fit connect-four-v1: .*rows/);
    });
  });
});
