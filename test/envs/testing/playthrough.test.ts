import { AssertionError, expect } from 'chai';
import { connectFour } from '../../../envs/games/connect-four/index.ts';
import { rockPaperScissors } from '../../../envs/games/rock-paper-scissors/index.ts';
import { signalling } from '../../../envs/games/signalling/index.ts';
import { checkGoldenPlaythrough, firstDifference, renderPlaythrough, tensorText } from '../../../envs/testing/playthrough.ts';
import { randomPlayout } from '../../../envs/testing/random-playout.ts';

describe('envs/testing/playthrough', () => {
  describe('tensorText', () => {
    it('writes binary tensors as 0/1 runs grouped by the last dimension', () => {
      expect(tensorText(new Float32Array([1, 0, 0, 0, 1, 1]), [2, 3])).to.equal('100 011');
    });

    it('writes other tensors as sparse index:value pairs', () => {
      expect(tensorText(new Float32Array([0, 0.5, 0, -2]), [4])).to.equal('1:0.5 3:-2');
      expect(tensorText(new Float32Array([0.2]), [1])).to.equal('0:0.2');
    });
  });

  describe('renderPlaythrough', () => {
    it('is deterministic and follows randomPlayout with the same seed', () => {
      const text = renderPlaythrough(connectFour);
      expect(renderPlaythrough(connectFour)).to.equal(text);
      const first = randomPlayout(connectFour, {}, 0).episode.history[0];
      expect(first?.kind).to.equal('decision');
      expect(text).to.include(`> seat 0: ${first!.kind === 'decision' ? first!.action : -1} [`);
      expect(renderPlaythrough(connectFour, { seed: 1 })).to.not.equal(text);
    });

    it('shows every viewer, chance outcomes, joint moves and the final returns', () => {
      const s = renderPlaythrough(signalling);
      expect(s).to.match(/chance outcomes: 0 state 0 \(p=0.333333\) \| 1 state 1/);
      expect(s).to.include('-- seat 0 text:').and.include('-- seat 1 tensor:').and.include('-- spectator text:');
      expect(s).to.match(/== step 3: terminal\nreturns: [01] [01]\n/);
      expect(renderPlaythrough(rockPaperScissors)).to.match(/> joint: seat 0: \d \[\w+\] \| seat 1: \d \[\w+\]/);
    });

    it('counts the steps beyond maxSteps instead of writing them', () => {
      const text = renderPlaythrough(connectFour, { maxSteps: 2 });
      expect(text).to.include('== step 1:').and.not.include('== step 2:');
      expect(text).to.match(/\.\.\. \d+ more steps not shown/);
    });
  });

  describe('checkGoldenPlaythrough', () => {
    const source = 'test/envs/playthroughs/connect-four-v1.txt';

    it('passes an identical transcript', () => {
      expect(() => checkGoldenPlaythrough(connectFour, { expected: renderPlaythrough(connectFour), source })).to.not.throw();
    });

    it('fails a missing file, telling how to generate it', () => {
      expect(() => checkGoldenPlaythrough(connectFour, { expected: undefined, source })).to.throw(
        AssertionError,
        /no golden playthrough at test\/envs\/playthroughs\/connect-four-v1.txt; generate it with `npm run playthroughs:update`/,
      );
    });

    it('fails a changed transcript, naming the line and asking for a version bump', () => {
      const changed = renderPlaythrough(connectFour).replace('returns: 0 0', 'returns: 0 1');
      expect(() => checkGoldenPlaythrough(connectFour, { expected: changed, source })).to.throw(
        AssertionError,
        /differs from .* at line 7: .*bump the env version and run `npm run playthroughs:update`/,
      );
    });
  });

  describe('firstDifference', () => {
    it('names the first differing line, or nothing when equal', () => {
      expect(firstDifference('a\nb\nc', 'a\nb\nc')).to.equal(undefined);
      expect(firstDifference('a\nb\nc', 'a\nx\nc')).to.equal('line 2: expected "b", got "x"');
      expect(firstDifference('a\nb', 'a')).to.equal('line 2: expected "b", got "<end of file>"');
    });
  });
});
