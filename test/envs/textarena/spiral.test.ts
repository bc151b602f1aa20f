import { expect } from 'chai';
import { describe, it } from 'mocha';
import { Episode } from '../../../envs/core/episode.ts';
import { kuhnPoker } from '../../../envs/games/kuhn-poker/index.ts';
import { ticTacToe } from '../../../envs/games/tic-tac-toe/index.ts';
import { SPIRAL_INVALID_ACTION, spiralExtract, spiralFormat } from '../../../envs/textarena/spiral.ts';

describe('SPIRAL action extraction', () => {
  it('takes the last balanced \\boxed{}, drops \\text{}, and brackets short answers', () => {
    expect(spiralFormat('first \\boxed{0}, no: \\boxed{4}')).to.equal('[4]');
    expect(spiralFormat('\\boxed{[bet]}')).to.equal('[bet]');
    expect(spiralFormat('\\boxed{\\text{check}}')).to.equal('[check]');
    expect(spiralFormat('\\boxed{ 4 }')).to.equal('[ 4 ]');
    expect(spiralFormat('call')).to.equal('[call]');
    expect(spiralFormat('I would like to call here, honestly')).to.equal('I would like to call here, honestly');
    expect(spiralFormat('unclosed \\boxed{4')).to.equal('[unclosed \\boxed{4]');
  });

  it('accepts only an exact listed action; an empty reply passes through for the game to judge', () => {
    expect(spiralExtract('\\boxed{Bet}', ['[check]', '[bet]'])).to.equal(SPIRAL_INVALID_ACTION);
    expect(spiralExtract('\\boxed{bet}', ['[check]', '[bet]'])).to.equal('[bet]');
    expect(spiralExtract('', ['[check]'])).to.equal('');
  });
});

describe('tic-tac-toe textFormat textarena: replies', () => {
  it('plays the first bracketed number as TextArena does, and the last \\boxed{} under parse: spiral', () => {
    const reply = 'Column [3] is blocked; \\boxed{5}';
    const ta = new Episode(ticTacToe, { textFormat: 'textarena' });
    expect(ta.stepText(0, reply)).to.deep.equal({ kind: 'move', action: 3, summary: '[3]' });
    const spiral = new Episode(ticTacToe, { textFormat: 'textarena', parse: 'spiral' });
    expect(spiral.stepText(0, reply)).to.deep.equal({ kind: 'move', action: 5, summary: '[5]' });
  });

  it('ends the game on an invalid move with allowance 0 (offender -1, other 0), and lets the player retry with allowance 1', () => {
    const strict = new Episode(ticTacToe, { textFormat: 'textarena' });
    expect(strict.stepText(0, 'I pass')).to.deep.include({ kind: 'invalid', final: true });
    expect(strict.isTerminal).to.equal(true);
    expect(strict.returns).to.deep.equal([-1, 0]);
    const lenient = new Episode(ticTacToe, { textFormat: 'textarena', textWrapper: 'llm', errorAllowance: 1, invalidRewards: 'spiral-eval' });
    expect(lenient.stepText(0, '[9]')).to.deep.include({ kind: 'invalid', final: false, reason: 'Invalid cell number: 9. Must be between 0 and 8.' });
    expect(lenient.turn).to.deep.equal({ kind: 'decision', seat: 0 });
    expect(ticTacToe.observationText(lenient.state, 0)).to.include('Player 0 attempted an invalid move.');
    lenient.stepText(0, '[4]');
    lenient.stepText(1, '[4]');
    lenient.stepText(1, 'still [4]');
    expect(lenient.returns).to.deep.equal([1, -1]);
  });

  it('applies SPIRAL training rewards to extraction failures only', () => {
    const params = { textFormat: 'textarena', parse: 'spiral', invalidRewards: 'spiral-train' };
    const failed = new Episode(ticTacToe, params);
    failed.stepText(0, '\\boxed{ 4 }');
    expect(failed.returns).to.deep.equal([-1.5, 0.5]);
    const empty = new Episode(ticTacToe, params);
    empty.stepText(0, '');
    expect(empty.returns).to.deep.equal([-1, 0]);
  });
});

describe('kuhn-poker textFormat textarena', () => {
  it('shows the LLM-wrapper history and carries the error count over a hand end, as TextArena does', () => {
    const episode = new Episode(kuhnPoker, { rounds: 2, spiralCompat: true, textFormat: 'textarena', errorAllowance: 1 });
    for (const card of [2, 0]) episode.resolveChance(card);
    expect(episode.turn).to.deep.equal({ kind: 'decision', seat: 1 });
    expect(kuhnPoker.observationText(episode.state, 1)).to.match(/^\n\[GAME\] You are Player 1 in a 2 round game of Kuhn Poker\./);
    episode.stepText(1, '[bet]');
    expect(episode.stepText(0, '[check]')).to.deep.include({ kind: 'invalid', final: false, reason: 'Action must be [fold], [call].' });
    episode.stepText(0, '[call]');
    for (const card of [1, 2]) episode.resolveChance(card);
    // The error seat 0 made is still counted in the next hand: seat 0's first invalid reply now loses.
    expect(episode.stepText(0, 'hmm')).to.deep.include({ kind: 'invalid', final: true });
    expect(episode.returns).to.deep.equal([-1, 0]);
  });
});
