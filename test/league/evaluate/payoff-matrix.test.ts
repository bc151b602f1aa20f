import { expect } from 'chai';
import { EvaluateError } from '../../../league/evaluate/evaluate-error.ts';
import { crossPlayMatrix, meanReturnOf, metaGame, payoffMatrix, scoreOf, seatGrid } from '../../../league/evaluate/payoff-matrix.ts';

describe('league/evaluate/payoff-matrix', () => {
  const results = [
    { seats: ['a', 'b'], returns: [1, -1] },
    { seats: ['b', 'a'], returns: [2, -2] },
    { seats: ['a', 'b'], returns: [0, 0] },
    { seats: ['a', 'c'], returns: [-1, 1], fault: { seat: 0 }, status: 'faulted' as const },
    { seats: ['c', 'b'], returns: [0, 0], status: 'aborted' as const },
  ];

  it('counts wins, draws, losses and mean return per ordered pair, both seatings pooled', () => {
    const m = payoffMatrix(results);
    expect(m.agentIds).to.deep.equal(['a', 'b', 'c']);
    const ab = m.cells[0]![1]!;
    expect(ab).to.deep.equal({ games: 3, wins: 1, draws: 1, losses: 1, returnSum: -1, returnGames: 3 });
    expect(m.cells[1]![0]).to.deep.equal({ games: 3, wins: 1, draws: 1, losses: 1, returnSum: 1, returnGames: 3 });
    expect(scoreOf(ab)).to.equal(0.5);
    expect(meanReturnOf(ab)).to.be.closeTo(-1 / 3, 1e-12);
  });

  it("in team envs counts members on opposing teams only, scored by team result; a teammate's fault loses for the team", () => {
    const dims = { numPlayers: 4, teams: [0, 0, 1, 1], numActions: 1, maxGameLength: 1, minUtility: -1, maxUtility: 1 } as never;
    const m = payoffMatrix(
      [
        { seats: ['a', 'b', 'c', 'd'], returns: [1, 1, -1, -1] },
        { seats: ['a', 'c', 'b', 'd'], returns: [1, 1, -1, -1], fault: { seat: 1 }, status: 'faulted' as const },
        { seats: ['a', 'b', 'a', 'd'], returns: [1, 1, -1, -1] }, // a on both teams: not counted
      ],
      { dims },
    );
    const cell = (x: string, y: string) => m.cells[m.agentIds.indexOf(x)]![m.agentIds.indexOf(y)]!;
    expect(cell('a', 'b').games).to.equal(1); // teammates in match 0, opponents in match 1
    expect(cell('a', 'b')).to.include({ wins: 0, losses: 1 });
    expect(cell('a', 'c')).to.include({ games: 1, wins: 1, losses: 0 });
    expect(cell('a', 'd')).to.include({ games: 2, wins: 1, losses: 1 });
    expect(cell('c', 'd')).to.include({ games: 1, wins: 0, losses: 1 });
    expect(cell('b', 'd')).to.include({ games: 1, wins: 1 }); // teammates in match 1: not counted there
  });

  it('applies the fault policy: a forfeit loses without a return, no-result skips the match', () => {
    const forfeit = payoffMatrix(results);
    expect(forfeit.cells[0]![2]).to.deep.equal({ games: 1, wins: 0, draws: 0, losses: 1, returnSum: 0, returnGames: 0 });
    expect(forfeit.cells[2]![0]).to.include({ wins: 1, games: 1 });
    expect(Number.isNaN(meanReturnOf(forfeit.cells[2]![0]!))).to.equal(true);
    const skipped = payoffMatrix(results, { faults: 'no-result' });
    expect(skipped.cells[0]![2]!.games).to.equal(0);
    // The aborted match counts nowhere.
    expect(forfeit.cells[2]![1]!.games).to.equal(0);
  });

  it('compares returns pairwise in matches with more than two seats', () => {
    const m = payoffMatrix([{ seats: ['a', 'b', 'c'], returns: [3, 1, 1] }]);
    expect(m.cells[0]![1]).to.include({ wins: 1 });
    expect(m.cells[1]![2]).to.include({ draws: 1 });
    expect(m.cells[2]![0]).to.include({ losses: 1 });
  });

  it('builds the antisymmetric score meta-game, failing on holes unless told how to fill them', () => {
    const m = payoffMatrix([...results.slice(0, 3), { seats: ['b', 'c'], returns: [1, -1] }]);
    expect(() => metaGame(m))
      .to.throw(EvaluateError)
      .with.property('code', 'incomplete-matrix');
    const game = metaGame(m, { missing: 0 });
    expect(game).to.deep.equal([
      [0, 0, 0],
      [0, 0, 0.5],
      [0, -0.5, 0],
    ]);
    expect(metaGame(m, { measure: 'return', missing: 0 })[0]![1]).to.be.closeTo(-1 / 3, 1e-12);
  });

  it("builds a seat grid of the row seat's return with standard errors", () => {
    const grid = seatGrid([
      { seats: ['a', 'x'], returns: [1, -1] },
      { seats: ['a', 'x'], returns: [3, -3] },
      { seats: ['b', 'x'], returns: [2, -2] },
    ]);
    expect(grid.rowIds).to.deep.equal(['a', 'b']);
    expect(grid.colIds).to.deep.equal(['x']);
    expect(grid.games).to.deep.equal([[2], [1]]);
    expect(grid.mean).to.deep.equal([[2], [2]]);
    // Sample sd of {1, 3} is √2; standard error √2/√2 = 1.
    expect(grid.stdError[0]![0]).to.be.closeTo(1, 1e-12);
    expect(Number.isNaN(grid.stdError[1]![0])).to.equal(true);
  });

  it('builds a cross-play matrix of mean team return (speaker i with listener j)', () => {
    const grid = crossPlayMatrix([
      { seats: ['s1', 'l1'], returns: [1, 1] },
      { seats: ['s1', 'l2'], returns: [0, 0] },
      { seats: ['s2', 'l1'], returns: [0, 0] },
      { seats: ['s2', 'l2'], returns: [1, 1] },
      { seats: ['s2', 'l2'], returns: [0, 0] },
      { seats: ['s1', 'l1'], returns: [0, 0], fault: { seat: 1 } },
    ]);
    expect(grid.rowIds).to.deep.equal(['s1', 's2']);
    expect(grid.colIds).to.deep.equal(['l1', 'l2']);
    expect(grid.mean).to.deep.equal([
      [1, 0],
      [0, 0.5],
    ]);
    expect(grid.games).to.deep.equal([
      [1, 1],
      [1, 2],
    ]);
  });

  it('rejects results whose seats and returns do not match', () => {
    expect(() => payoffMatrix([{ seats: ['a', 'b'], returns: [1] }]))
      .to.throw(EvaluateError)
      .with.property('code', 'bad-results');
    expect(() => seatGrid([{ seats: ['a', 'b'], returns: [1, -1] }], { rowSeat: 0, colSeat: 2 }))
      .to.throw(EvaluateError)
      .with.property('code', 'bad-results');
  });
});
