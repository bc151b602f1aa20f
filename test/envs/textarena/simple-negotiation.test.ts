import { expect } from 'chai';
import { describe, it } from 'mocha';
import { simpleNegotiation } from '../../../envs/games/simple-negotiation/index.ts';
import { readTranscripts, replayTranscript } from './transcripts.ts';

describe('simple-negotiation-v1: SPIRAL SimpleNegotiation-v1 transcripts', () => {
  const transcripts = readTranscripts('spiral-simple-negotiation-v1.json');
  it('holds trades, denials, invalid replies and every kind of ending', () => {
    const reasons = transcripts.map((t) => t.reason ?? '');
    expect(reasons.some((r) => r.includes('won by having a larger gain'))).to.equal(true);
    expect(reasons.some((r) => r.includes('Draw'))).to.equal(true);
    expect(reasons.some((r) => r.startsWith('Invalid Move'))).to.equal(true);
    const observations = transcripts.flatMap((t) => t.steps.map((s) => s.observation)).join('\n');
    for (const event of ['accepted the trade offer', 'denied the trade offer', 'implicitly denied', 'attempted an invalid move']) {
      expect(observations, event).to.include(event);
    }
  });
  for (const t of transcripts) {
    it(`reproduces ${t.name} byte for byte`, () => {
      replayTranscript(simpleNegotiation, { errorAllowance: t.errorAllowance }, t);
    });
  }
});

describe('simple-negotiation-v1 variant textarena-v0: TextArena 0.6.4 SimpleNegotiation-v0 transcripts', () => {
  for (const t of readTranscripts('textarena-064-simple-negotiation-v0.json')) {
    it(`reproduces ${t.name} byte for byte`, () => {
      replayTranscript(
        simpleNegotiation,
        {
          variant: 'textarena-v0',
          maxTurns: t.maxTurns,
          errorAllowance: t.errorAllowance,
          inventories: t.inventories,
          values: t.values,
        },
        t,
      );
    });
  }
});

describe('simple-negotiation-v1 parse spiral: SPIRAL extraction over its own action menu', () => {
  for (const t of readTranscripts('spiral-simple-negotiation-v1-extraction.json')) {
    it(`reproduces ${t.name} byte for byte`, () => {
      replayTranscript(simpleNegotiation, { parse: 'spiral', invalidRewards: 'spiral-train' }, t);
    });
  }
});
