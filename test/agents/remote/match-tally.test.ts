import { expect } from 'chai';
import { MatchTally, outcomeOf } from '../../../agents/remote/match-tally.ts';

describe('agents/remote/match-tally', () => {
  it('calls a strictly best return a win, a shared best a draw, anything else a loss', () => {
    expect(outcomeOf({ returns: [1, -1], reason: 'terminal' }, 0)).to.equal('win');
    expect(outcomeOf({ returns: [1, -1], reason: 'terminal' }, 1)).to.equal('loss');
    expect(outcomeOf({ returns: [0, 0], reason: 'terminal' }, 1)).to.equal('draw');
    expect(outcomeOf({ returns: [2, 2, -4], reason: 'terminal' }, 0)).to.equal('draw');
    expect(outcomeOf({ returns: [2, 2, -4], reason: 'terminal' }, 2)).to.equal('loss');
    expect(outcomeOf({ returns: [-1, 1], reason: 'forfeit' }, 1)).to.equal('win');
    expect(outcomeOf({ returns: [0, 0], reason: 'aborted' }, 0)).to.equal('aborted');
  });

  it('counts matches, outcomes, failures and decisions per second on its clock', () => {
    let now = 1000;
    const tally = new MatchTally(() => now);
    tally.started();
    tally.started();
    for (let i = 0; i < 10; i++) tally.decided();
    tally.ended('win');
    tally.failed(true);
    tally.failed(false);
    now = 3000;
    expect(tally.snapshot()).to.deep.equal({
      matches: 1,
      wins: 1,
      draws: 0,
      losses: 0,
      aborted: 0,
      failed: 2,
      playing: 0,
      decisions: 10,
      elapsedMs: 2000,
      decisionsPerSec: 5,
    });
  });
});
