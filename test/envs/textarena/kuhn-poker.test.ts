import { expect } from 'chai';
import { describe, it } from 'mocha';
import { kuhnPoker } from '../../../envs/games/kuhn-poker/index.ts';
import { readTranscripts, replayTranscript } from './transcripts.ts';

const transcripts = readTranscripts('spiral-kuhn-poker-v1.json');

describe('kuhn-poker-v1 textFormat textarena: SPIRAL KuhnPoker-v1 transcripts', () => {
  it('holds full games, invalid replies and SPIRAL extraction failures', () => {
    expect(transcripts.filter((t) => t.reason?.startsWith('Player')).length).to.be.greaterThan(5);
    expect(transcripts.flatMap((t) => t.steps.filter((s) => !s.valid)).length).to.be.greaterThan(10);
    expect(transcripts.some((t) => t.rewards['0'] === -1.5 || t.rewards['1'] === -1.5)).to.equal(true);
  });
  for (const t of transcripts) {
    it(`reproduces ${t.name} byte for byte`, () => {
      const spiral = t.name.includes('spiral');
      replayTranscript(
        kuhnPoker,
        {
          rounds: 5,
          spiralCompat: true,
          textFormat: 'textarena',
          errorAllowance: t.errorAllowance,
          ...(spiral ? { parse: 'spiral', invalidRewards: 'spiral-train' } : {}),
        },
        t,
        t.chance.flatMap((c) => c.cards),
      );
    });
  }
});
