import { expect } from 'chai';
import { Episode, IllegalActionError, parseActionText } from '../../../envs/index.ts';
import { rockPaperScissors, type RockPaperScissorsAction, type RockPaperScissorsState } from '../../../envs/games/rock-paper-scissors/index.ts';

const env = rockPaperScissors;
const [ROCK, PAPER, SCISSORS] = [0, 1, 2];

function play(rounds: readonly (readonly [number, number])[], params: unknown = {}): RockPaperScissorsState {
  let state = env.init(env.parseParams(params), 0);
  for (const [a, b] of rounds) state = env.applyJoint(state, [a, b]);
  return state;
}

describe('rock-paper-scissors', () => {
  describe('rules', () => {
    it('scores +1 to the winner of each pairing and 0 on ties', () => {
      const beats: [number, number][] = [
        [PAPER, ROCK],
        [ROCK, SCISSORS],
        [SCISSORS, PAPER],
      ];
      for (const [winner, loser] of beats) {
        expect(env.returns(play([[winner, loser]])), `${winner} vs ${loser}`).to.deep.equal([1, -1]);
        expect(env.returns(play([[loser, winner]])), `${loser} vs ${winner}`).to.deep.equal([-1, 1]);
      }
      for (const move of [ROCK, PAPER, SCISSORS]) expect(env.returns(play([[move, move]]))).to.deep.equal([0, 0]);
    });

    it('sums round scores and ends after the configured rounds', () => {
      const state = play(
        [
          [PAPER, ROCK],
          [ROCK, ROCK],
          [SCISSORS, ROCK],
        ],
        { rounds: 3 },
      );
      expect(env.turn(state).kind).to.equal('terminal');
      expect(env.returns(state)).to.deep.equal([0, 0]);
      expect(state.wins).to.deep.equal([1, 1]);
      expect(env.dims(state.params)).to.include({ maxGameLength: 3, minUtility: -3, maxUtility: 3, utilitySum: 0 });
    });

    it('asks both seats to act together until the last round', () => {
      const state = play([[ROCK, PAPER]]);
      expect(env.turn(state)).to.deep.equal({ kind: 'simultaneous', seats: [0, 1] });
      expect(env.legalActions(state, 0)).to.deep.equal([0, 1, 2]);
      expect(env.legalActions(state, 1)).to.deep.equal([0, 1, 2]);
      expect(env.dims(state.params).maxGameLength).to.equal(5);
    });

    it('gives stepwise rewards each round through an Episode', () => {
      const episode = new Episode(env, { rounds: 2 }, 7);
      episode.stepJoint([SCISSORS, PAPER]);
      expect(episode.rewards).to.deep.equal([1, -1]);
      episode.stepJoint([SCISSORS, ROCK]);
      expect(episode.rewards).to.deep.equal([-1, 1]);
      expect(episode.isTerminal).to.equal(true);
      expect(episode.returns).to.deep.equal([0, 0]);
    });
  });

  describe('illegal input', () => {
    it('throws wrong-node when apply() is used at a simultaneous node', () => {
      expect(() => env.apply(play([]), 0, ROCK))
        .to.throw(IllegalActionError)
        .with.property('code', 'wrong-node');
    });

    it('throws when a seat outside the table is given an action', () => {
      expect(() => env.applyJoint(play([]), [ROCK, PAPER, ROCK]))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(() => env.apply(play([]), 1, PAPER))
        .to.throw(IllegalActionError)
        .with.property('code', 'wrong-node');
    });

    it('throws when a seat is missing or out of range', () => {
      const state = play([]);
      expect(() => env.applyJoint(state, [ROCK, null]))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(() => env.applyJoint(state, [ROCK]))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(() => env.applyJoint(state, [ROCK, 3]))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
    });

    it('throws terminal after the last round', () => {
      const state = play([[ROCK, ROCK]], { rounds: 1 });
      expect(() => env.applyJoint(state, [ROCK, ROCK]))
        .to.throw(IllegalActionError)
        .with.property('code', 'terminal');
    });

    it('rejects out-of-range params', () => {
      expect(() => env.parseParams({ rounds: 0 })).to.throw(/rounds/);
      expect(() => env.parseParams({ rounds: 1001 })).to.throw(/rounds/);
    });
  });

  describe('observations', () => {
    it('encodes own and opponent last move, progress and wins from the viewer side', () => {
      const state = play(
        [
          [ROCK, PAPER],
          [SCISSORS, PAPER],
        ],
        { rounds: 4 },
      );
      // last round: seat 0 scissors, seat 1 paper; seat 0 won 1 of 4, seat 1 won 1 of 4
      expect(Array.from(env.observationTensor(state, 0))).to.deep.equal([0, 0, 1, 0, 1, 0, 0.5, 0.25, 0.25]);
      expect(Array.from(env.observationTensor(state, 1))).to.deep.equal([0, 1, 0, 0, 0, 1, 0.5, 0.25, 0.25]);
      expect(Array.from(env.observationTensor(state, 'spectator'))).to.deep.equal(Array.from(env.observationTensor(state, 0)));
      expect(Array.from(env.observationTensor(play([]), 0))).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    });

    it('writes the history, score and choices into the text for each seat', () => {
      const state = play([[ROCK, PAPER]], { rounds: 3 });
      const text0 = env.observationText(state, 0);
      expect(text0).to.include('You are seat 0.');
      expect(text0).to.include('Round 1: you played rock, your opponent played paper: your opponent won the round.');
      expect(text0).to.include('you: 0, your opponent: 1, ties: 0');
      expect(text0).to.include("Your opponent's moves so far: rock 0, paper 1, scissors 0.");
      expect(text0).to.include('Round 2 of 3');
      expect(text0).to.include('[rock], [paper], [scissors]');
      expect(env.observationText(state, 1)).to.include('Round 1: you played paper, your opponent played rock: you won the round.');
      expect(env.observationText(state, 'spectator')).to.include('Round 1: seat 0 played rock, seat 1 played paper: seat 1 won the round.');
    });

    it('writes out only the last 50 rounds of a long game', () => {
      const state = play(
        Array.from({ length: 55 }, () => [ROCK, PAPER] as const),
        { rounds: 60 },
      );
      const text = env.observationText(state, 0);
      expect(text).to.include('(5 earlier rounds not shown.)');
      expect(text).to.include('Round 6: you played rock');
      expect(text).not.to.include('Round 5: you played rock');
      expect(text).to.include("Your opponent's moves so far: rock 0, paper 55, scissors 0.");
    });

    it('reports the final result from each side', () => {
      const state = play([[PAPER, ROCK]], { rounds: 1 });
      expect(env.observationText(state, 0)).to.include('you win the match; your return is +1');
      expect(env.observationText(state, 1)).to.include('you lose the match; your return is -1');
      expect(env.view(state, 'spectator')).to.deep.equal({
        rounds: 1,
        played: [['paper', 'rock']],
        wins: [1, 0],
        returns: [1, -1],
        toPlay: [],
      });
    });
  });

  describe('actions', () => {
    it('writes moves as [rock] and parses them back from free text', () => {
      const state = play([]);
      expect([0, 1, 2].map((a) => env.actionText(state, 0, a))).to.deep.equal(['[rock]', '[paper]', '[scissors]']);
      expect(parseActionText(env, state, 0, 'I go with [Scissors]')).to.equal(SCISSORS);
      expect(parseActionText(env, state, 1, 'paper.')).to.equal(PAPER);
      expect(() => parseActionText(env, state, 1, 'rock or paper?')).to.throw(/no legal action/);
    });

    it('encodes and decodes the move struct', () => {
      const state = play([]);
      expect(env.encodeAction(state, 0, { move: 'paper' })).to.equal(PAPER);
      const wireInput: unknown = { move: 'lizard' }; // untyped input from the wire
      expect(env.encodeAction(state, 0, wireInput as RockPaperScissorsAction)).to.equal(undefined);
      expect(env.decodeAction(state, 1, SCISSORS)).to.deep.equal({ move: 'scissors' });
    });

    it('round-trips a state through serialize', () => {
      const state = play([
        [ROCK, PAPER],
        [PAPER, PAPER],
      ]);
      expect(env.deserialize(JSON.parse(JSON.stringify(env.serialize(state))))).to.deep.equal(state);
      expect(env.clone(state)).to.deep.equal(state);
    });
  });
});
