import { expect } from 'chai';
import { crossplayMatrix } from '../../../league/evaluate/crossplay.ts';
import type { MatchSummary } from '../../../league/storage/league-store.ts';

const match = (index: number, seats: [string, string], value: number, status: MatchSummary['status'] = 'finished'): MatchSummary => ({
  index,
  seed: index,
  seats,
  returns: [value, value],
  length: 400,
  status,
  fault: null,
});

describe('league/evaluate/crossplay', () => {
  it('averages by ordered pair with standard errors, self-play and held-out means, skipping unfinished matches', () => {
    const x = crossplayMatrix(
      [
        match(0, ['a', 'b'], 20),
        match(1, ['a', 'b'], 60),
        match(2, ['b', 'a'], 0),
        match(3, ['a', 'a'], 100),
        match(4, ['a', 'a'], 140),
        match(5, ['b', 'a'], 80, 'aborted'),
      ],
      ['a', 'b', 'c'],
    );
    expect(x.agentIds).to.deep.equal(['a', 'b', 'c']);
    expect(x.cells[0]![1]).to.deep.equal({ games: 2, mean: 40, stderr: 20 }); // sd 28.28 / √2
    expect(x.cells[1]![0]).to.deep.equal({ games: 1, mean: 0, stderr: null });
    expect(x.cells[0]![0]).to.deep.equal({ games: 2, mean: 120, stderr: 20 });
    expect(x.cells[2]![2]).to.deep.equal({ games: 0, mean: null, stderr: null });
    expect(x.members[0]).to.deep.equal({
      agentId: 'a',
      selfPlay: { games: 2, mean: 120, stderr: 20 },
      heldOut: { games: 3, mean: 80 / 3, stderr: x.members[0]!.heldOut.stderr },
    });
    expect(x.members[0]!.heldOut.stderr).to.be.closeTo(Math.sqrt(((20 - 80 / 3) ** 2 + (60 - 80 / 3) ** 2 + (80 / 3) ** 2) / 2 / 3), 1e-9);
    expect(x.members[1]!.selfPlay.games).to.equal(0);
    expect(x.skipped).to.equal(1);
  });
});
