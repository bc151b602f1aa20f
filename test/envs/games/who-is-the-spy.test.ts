import { expect } from 'chai';
import { describe, it } from 'mocha';
import { Episode } from '../../../envs/core/episode.ts';
import { whoIsTheSpy } from '../../../envs/games/who-is-the-spy/index.ts';
import { WORD_PAIRS } from '../../../envs/games/who-is-the-spy/words.ts';

/** Deals pair 0 (coffee / tea) with the spies on the second word, the given spies and first speaker. */
function dealt(params: object, spies: number[], firstSpeaker?: number): Episode {
  const episode = new Episode(whoIsTheSpy, params, 0);
  const pair = WORD_PAIRS[0]!;
  expect(pair).to.deep.equal(['coffee', 'tea']);
  for (const outcome of [0, 0, ...spies, ...(firstSpeaker === undefined ? [] : [firstSpeaker])]) episode.resolveChance(outcome);
  return episode;
}

const clue = (episode: Episode, text: string): void => {
  const turn = episode.turn;
  if (turn.kind !== 'decision') throw new Error('not a decision');
  expect(episode.stepText(turn.seat, `\\boxed{${text}}`).kind, text).to.equal('move');
};

describe('who-is-the-spy-v1', () => {
  it('ships a few hundred distinct word pairs', () => {
    expect(WORD_PAIRS.length).to.be.greaterThan(300);
    expect(new Set(WORD_PAIRS.map((p) => p.join('/'))).size).to.equal(WORD_PAIRS.length);
    expect(WORD_PAIRS.every(([a, b]) => a !== b && a.length > 0 && b.length > 0)).to.equal(true);
  });

  it('checks clues: saying your own word or repeating a clue is rejected, then the retry counts', () => {
    const episode = dealt({ mode: 'vision-zero' }, [2]);
    expect(episode.stepText(0, 'It is \\boxed{hot coffee in a mug}')).to.deep.include({ kind: 'invalid', code: 'spy-clue-says-word', final: false });
    expect(whoIsTheSpy.observationText(episode.state, 0)).to.include('Your last reply was rejected: the clue says your own word');
    clue(episode, 'You drink it in the morning');
    expect(episode.stepText(1, '\\boxed{you drink it in the morning!}')).to.deep.include({ kind: 'invalid', code: 'spy-clue-repeated' });
    expect(episode.stepText(1, 'line one\nline two')).to.deep.include({ kind: 'invalid', code: 'spy-clue-multiline', final: true });
    expect(episode.turn).to.deep.equal({ kind: 'decision', seat: 2 });
    expect(whoIsTheSpy.observationText(episode.state, 3)).to.include('Player 2: (no valid clue)');
  });

  it('scores the Vision-Zero vote with alpha 0.6 and beta 0.5', () => {
    const episode = dealt({ mode: 'vision-zero' }, [2]);
    expect(whoIsTheSpy.observationText(episode.state, 2)).to.include('You are the spy.\nYour secret word is: tea');
    expect(whoIsTheSpy.observationText(episode.state, 0)).to.include('You are a civilian.\nYour secret word is: coffee');
    expect(whoIsTheSpy.observationText(episode.state, 0)).to.not.include('tea');
    const clues = ['It is brown', 'It has caffeine', 'Served hot', 'Great with milk', 'Comes from beans?', 'Morning ritual', 'In a cup', 'Can be iced'];
    for (const c of clues) clue(episode, c);
    for (const [seat, vote] of [
      [0, '\\boxed{3}'],
      [1, 'Player 3'],
      [2, '\\boxed{1}'],
      [3, '\\boxed{N/A}'],
    ] as const) {
      expect(episode.stepText(seat, vote).kind).to.equal('move');
      if (seat === 0) expect(whoIsTheSpy.observationText(episode.state, 1)).to.not.include('Player 1 -> ');
    }
    expect(episode.isTerminal).to.equal(true);
    const [c0, c1, spy, c3] = episode.returns;
    expect(c0).to.be.closeTo(1 - (0.6 * 1) / 3, 1e-12); // named the spy, drew one vote
    expect(c1).to.equal(1);
    expect(c3).to.equal(-1); // N/A counts as a miss
    expect(spy).to.be.closeTo(1 - 2 / 3 + (0.5 * 1.5) / 3, 1e-12); // two votes against, mislead = 1 + 0.5
  });

  it('classic: the most-voted player is out with their role shown; civilians win when the spy is gone', () => {
    const episode = dealt({ players: 4 }, [3], 0);
    expect(whoIsTheSpy.observationText(episode.state, 3)).to.include('You are not told whether you are a civilian or the spy');
    for (const c of ['Warm drink', 'Often in cafes', 'Has a smell', 'Leaves or beans']) clue(episode, c);
    expect(episode.stepText(0, '\\boxed{1}')).to.deep.include({ kind: 'invalid', code: 'spy-vote-invalid-target' });
    for (const [seat, vote] of [
      [0, '4'],
      [1, '\\boxed{4}'],
      [2, '\\boxed{4}'],
      [3, '\\boxed{1}'],
    ] as const)
      episode.stepText(seat, vote);
    expect(episode.isTerminal).to.equal(true);
    expect(episode.returns).to.deep.equal([1, 1, 1, -1]);
    expect(whoIsTheSpy.observationText(episode.state, 0)).to.include('Player 4 was voted out; they were a spy.');
  });

  it('classic: a tie eliminates nobody, and the spy wins once it is as many as the civilians', () => {
    const episode = dealt({ players: 4 }, [3], 0);
    for (const c of ['Warm drink', 'Often in cafes', 'Has a smell', 'Leaves or beans']) clue(episode, c);
    for (const [seat, vote] of [
      [0, '2'],
      [1, '1'],
      [2, 'N/A'],
      [3, 'N/A'],
    ] as const)
      episode.stepText(seat, vote);
    expect(whoIsTheSpy.observationText(episode.state, 0)).to.include('Nobody was voted out');
    for (const c of ['Bitter sometimes', 'Needs hot water', 'Sold in packs', 'Goes with biscuits']) clue(episode, c);
    for (const [seat, vote] of [
      [0, '2'],
      [1, '3'],
      [2, '2'],
      [3, '2'],
    ] as const)
      episode.stepText(seat, vote);
    for (const c of ['A break at work', 'Kettle time', 'Steam rises']) clue(episode, c);
    for (const [seat, vote] of [
      [0, '3'],
      [2, '1'],
      [3, '1'],
    ] as const)
      episode.stepText(seat, vote);
    expect(episode.isTerminal).to.equal(true);
    expect(episode.returns).to.deep.equal([-1, -1, -1, 1]);
  });
});
