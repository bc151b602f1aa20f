import { expect } from 'chai';
import { describe, it } from 'mocha';
import { ticTacToe } from '../../../envs/games/tic-tac-toe/index.ts';
import { readTranscripts, replayTranscript } from './transcripts.ts';

const transcripts = readTranscripts('textarena-064-tic-tac-toe.json');

describe('tic-tac-toe-v1 textFormat textarena: TextArena 0.6.4 transcripts', () => {
  it('holds valid and invalid replies under every wrapper and allowance', () => {
    const invalid = transcripts.flatMap((t) => t.steps.filter((s) => !s.valid));
    expect(invalid.length).to.be.greaterThan(20);
    expect(new Set(transcripts.map((t) => t.errorAllowance))).to.deep.equal(new Set([0, 1, 2]));
  });
  for (const t of transcripts) {
    it(`reproduces ${t.name} byte for byte`, () => {
      const spiral = t.name.includes('spiral');
      replayTranscript(
        ticTacToe,
        {
          textFormat: 'textarena',
          textWrapper: t.name.includes('_llm_') ? 'llm' : 'firstlast',
          errorAllowance: t.errorAllowance,
          ...(spiral ? { parse: 'spiral', invalidRewards: 'spiral-train' } : {}),
        },
        t,
      );
    });
  }
});
