import { expect } from 'chai';
import { ratedOutcome, ResultPolicySchema } from '../../../league/ratings/outcome.ts';
import { RatingError } from '../../../league/ratings/rating-error.ts';

describe('league/ratings/outcome', () => {
  it('scores a two-player win, loss and draw from returns', () => {
    expect(ratedOutcome({ returns: [1, -1] }, 'forfeit')).to.deep.equal({
      kind: 'rated',
      scores: [
        [0.5, 1],
        [0, 0.5],
      ],
      ranks: [1, 2],
    });
    expect(ratedOutcome({ returns: [-1, 1] }, 'forfeit', 'zero-sum')).to.deep.include({
      scores: [
        [0.5, 0],
        [1, 0.5],
      ],
      ranks: [2, 1],
    });
    expect(ratedOutcome({ returns: [0, 0] }, 'forfeit')).to.deep.include({
      scores: [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      ranks: [1, 1],
    });
  });

  it('ranks many seats by return with shared ranks for ties', () => {
    const out = ratedOutcome({ returns: [3, 1, 3, 2] }, 'forfeit', 'general-sum');
    expect(out).to.deep.include({ ranks: [1, 4, 1, 3] });
    if (out.kind !== 'rated') return expect.fail('expected a rated outcome');
    expect(out.scores[0]).to.deep.equal([0.5, 1, 0.5, 1]);
    expect(out.scores[3]).to.deep.equal([0, 1, 0, 0.5]);
  });

  it('treats returns equal up to rounding as a tie', () => {
    expect(ratedOutcome({ returns: [0.1 + 0.2, 0.3] }, 'forfeit')).to.deep.include({ ranks: [1, 1] });
  });

  it('makes a faulted match a loss for the faulting seat under forfeit', () => {
    // Seat 0 was ahead on returns when it faulted: the fault decides, not the returns.
    const out = ratedOutcome({ returns: [5, 0], fault: { seat: 0 } }, 'forfeit');
    expect(out).to.deep.equal({
      kind: 'rated',
      scores: [
        [0.5, 0],
        [1, 0.5],
      ],
      ranks: [2, 1],
      forfeit: 0,
    });
    const three = ratedOutcome({ returns: [0, 0, 0], fault: { seat: 1 } }, 'forfeit');
    expect(three).to.deep.include({
      ranks: [1, 2, 1],
      forfeit: 1,
      scores: [
        [0.5, 1, 0.5],
        [0, 0.5, 0],
        [0.5, 1, 0.5],
      ],
    });
  });

  it('does not rate a faulted match under no-result, and says why', () => {
    const out = ratedOutcome({ returns: [1, -1], fault: { seat: 1 } }, 'no-result');
    expect(out.kind).to.equal('unrated');
    expect(out).to.deep.include({ reason: 'fault' });
  });

  it('never rates identical-utility (cooperative) games', () => {
    expect(ratedOutcome({ returns: [4, 4] }, 'forfeit', 'identical')).to.deep.include({ kind: 'unrated', reason: 'identical-utility' });
  });

  it('accepts only the two policies', () => {
    expect(ResultPolicySchema.options).to.deep.equal(['forfeit', 'no-result']);
    expect(ResultPolicySchema.safeParse('ignore').success).to.equal(false);
  });

  it('rejects non-finite returns and unknown fault seats', () => {
    expect(() => ratedOutcome({ returns: [1, Number.NaN] }, 'forfeit'))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => ratedOutcome({ returns: [1] }, 'forfeit'))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
    expect(() => ratedOutcome({ returns: [1, 0], fault: { seat: 2 } }, 'no-result'))
      .to.throw(RatingError)
      .with.property('code', 'bad-match');
  });
});
