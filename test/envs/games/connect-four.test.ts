import { expect } from 'chai';
import { IllegalActionError } from '../../../envs/core/errors.ts';
import { connectFour, type ConnectFourState } from '../../../envs/games/connect-four/index.ts';
import { parseActionText } from '../../../envs/core/text.ts';

const env = connectFour;

/** Plays columns alternately from seat 0, checking the game is not over before each move. */
function play(columns: readonly number[], params: unknown = {}): ConnectFourState {
  let state = env.init(env.parseParams(params), 0);
  columns.forEach((column, i) => {
    expect(env.turn(state).kind, `before move ${i} (column ${column})`).to.equal('decision');
    state = env.apply(state, i % 2, column);
  });
  return state;
}

const mirror = (columns: readonly number[]): number[] => columns.map((c) => 6 - c);

function expectWin(state: ConnectFourState, seat: number): void {
  expect(env.turn(state).kind).to.equal('terminal');
  expect(env.returns(state)).to.deep.equal(seat === 0 ? [1, -1] : [-1, 1]);
  expect(env.legalActions(state, 0)).to.deep.equal([]);
}

// x: (r0 c0) (r1 c1) (r2 c2) (r3 c3), built on o's pieces in row 0 and c3.
const DIAGONAL = [0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3];

describe('connect-four', () => {
  describe('rules', () => {
    it('ends with a horizontal line of four', () => {
      expectWin(play([0, 0, 1, 1, 2, 2, 3]), 0);
    });

    it('does not end at three in a row', () => {
      expect(env.turn(play([0, 0, 1, 1, 2, 2])).kind).to.equal('decision');
    });

    it('ends with a vertical line of four, for either seat', () => {
      expectWin(play([0, 1, 0, 1, 0, 1, 0]), 0);
      expectWin(play([0, 1, 0, 1, 2, 1, 2, 1]), 1);
    });

    it('ends with a rising and a falling diagonal line', () => {
      expectWin(play(DIAGONAL), 0);
      expectWin(play(mirror(DIAGONAL)), 0);
      expect(env.turn(play(DIAGONAL.slice(0, -1))).kind).to.equal('decision');
    });

    it('is a draw on a full board where no line fits', () => {
      // 4x4 board, 8 in a row needed: no line can ever win.
      const columns = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
      const state = play(columns, { rows: 4, columns: 4, xInRow: 8 });
      expect(env.turn(state).kind).to.equal('terminal');
      expect(env.returns(state)).to.deep.equal([0, 0]);
      expect(env.observationText(state, 'spectator')).to.include('draw');
    });

    it('makes a full column illegal', () => {
      const state = play([0, 0, 0, 0, 0, 0]); // x o x o x o: no line
      expect(env.legalActions(state, 0)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(env.isLegal(state, 0, 0)).to.equal(false);
      expect(env.legalMask(state, 0)[0]).to.equal(0);
      expect(() => env.apply(state, 0, 0))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
    });

    it('rejects a column past the board and the seat that is not to move', () => {
      const state = play([]);
      expect(env.isLegal(state, 0, 7)).to.equal(false);
      expect(() => env.apply(state, 0, 7))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(() => env.apply(state, 1, 3))
        .to.throw(IllegalActionError)
        .with.property('code', 'not-acting');
    });
  });

  describe('observations', () => {
    // Cell index in a [3, 6, 7] tensor: plane * 42 + row * 7 + column, row 0 = bottom.
    const at = (plane: number, row: number, column: number): number => plane * 42 + row * 7 + column;
    const state = play([3, 3]); // x at (row 0, col 3), o on top at (row 1, col 3)

    it('has shape [3, rows, columns] with one plane set per cell', () => {
      expect(env.dims(env.parseParams()).observationShape).to.deep.equal([3, 6, 7]);
      const t = env.observationTensor(state, 0);
      expect(t.length).to.equal(126);
      for (let cell = 0; cell < 42; cell++) expect(t[cell]! + t[42 + cell]! + t[84 + cell]!, `cell ${cell}`).to.equal(1);
    });

    it('puts x on plane 0, o on plane 1 and empty on plane 2 for every viewer by default', () => {
      for (const viewer of [0, 1, 'spectator'] as const) {
        const t = env.observationTensor(state, viewer);
        expect(t[at(0, 0, 3)], `viewer ${viewer}`).to.equal(1);
        expect(t[at(1, 1, 3)], `viewer ${viewer}`).to.equal(1);
        expect(t[at(2, 0, 3)], `viewer ${viewer}`).to.equal(0);
        expect(t[at(2, 5, 3)], `viewer ${viewer}`).to.equal(1);
      }
    });

    it("puts the opponent on plane 0 and the viewer's own pieces on plane 1 when egocentric", () => {
      const ego = play([3, 3], { egocentric: true });
      const x = env.observationTensor(ego, 0);
      expect(x[at(1, 0, 3)]).to.equal(1); // own x
      expect(x[at(0, 1, 3)]).to.equal(1); // opponent o
      const o = env.observationTensor(ego, 1);
      expect(o[at(1, 1, 3)]).to.equal(1); // own o
      expect(o[at(0, 0, 3)]).to.equal(1); // opponent x
    });

    it('prints the board top row first', () => {
      const lines = env.observationText(state, 0).split('\n');
      const board = lines.filter((line) => line.startsWith('|'));
      expect(board).to.have.length(6);
      expect(board[5]).to.equal('|. . . x . . .|');
      expect(board[4]).to.equal('|. . . o . . .|');
      expect(board[0]).to.equal('|. . . . . . .|');
    });

    it('gives a view with rows top first and who is to play', () => {
      const view = env.view(state, 'spectator') as { board: string[]; toPlay: number | null; winner: number | null };
      expect(view.board[5]).to.equal('...x...');
      expect(view.board[4]).to.equal('...o...');
      expect(view.toPlay).to.equal(0);
      expect(view.winner).to.equal(null);
    });
  });

  describe('actions', () => {
    const state = play([]);

    it('encodes and decodes columns', () => {
      expect(env.decodeAction(state, 0, 3)).to.deep.equal({ column: 3 });
      expect(env.encodeAction(state, 0, { column: 3 })).to.equal(3);
      expect(env.encodeAction(state, 0, { column: '3' } as never)).to.equal(undefined); // wire input failing actionSchema
    });

    it('writes actions as [column] and reads "[col 3]"', () => {
      expect(env.actionText(state, 0, 4)).to.equal('[4]');
      expect(parseActionText(env, state, 0, 'I drop in [col 3]')).to.equal(3);
      expect(parseActionText(env, state, 0, '\\boxed{column 5}')).to.equal(5);
    });
  });
});
