import { expect } from 'chai';
import { ActionParseError, IllegalActionError, parseActionText } from '../../../envs/index.ts';
import { ticTacToe, type TicTacToeState } from '../../../envs/games/tic-tac-toe/index.ts';

const env = ticTacToe;

/** Plays cells alternately from seat 0, checking the game is not over before the last one. */
function play(cells: readonly number[], params: unknown = {}): TicTacToeState {
  let state = env.init(env.parseParams(params), 0);
  cells.forEach((cell, i) => {
    expect(env.turn(state).kind, `before move ${i} (${cell})`).to.equal('decision');
    state = env.apply(state, i % 2, cell);
  });
  return state;
}

const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
];
const containsLine = (cells: readonly number[]): boolean => LINES.some((line) => line.every((c) => cells.includes(c)));

/** `count` cells outside `line` that hold no line themselves (first such set in index order). */
function fillers(line: readonly number[], count: number): number[] {
  const free = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((c) => !line.includes(c));
  const pick = (from: number, chosen: number[]): number[] | undefined => {
    if (chosen.length === count) return containsLine(chosen) ? undefined : chosen;
    for (let i = from; i < free.length; i++) {
      const found = pick(i + 1, [...chosen, free[i]!]);
      if (found) return found;
    }
    return undefined;
  };
  return pick(0, [])!;
}

const interleave = (first: readonly number[], second: readonly number[]): number[] => first.flatMap((c, i) => (i < second.length ? [c, second[i]!] : [c]));

describe('tic-tac-toe', () => {
  describe('rules', () => {
    for (const line of LINES) {
      it(`lets seat 0 win with the line ${line.join('-')}`, () => {
        const state = play(interleave(line, fillers(line, 2)));
        expect(env.turn(state).kind).to.equal('terminal');
        expect(env.returns(state)).to.deep.equal([1, -1]);
        expect(state.winner).to.equal(0);
      });

      it(`lets seat 1 win with the line ${line.join('-')}`, () => {
        const state = play(interleave(fillers(line, 3), line));
        expect(env.turn(state).kind).to.equal('terminal');
        expect(env.returns(state)).to.deep.equal([-1, 1]);
        expect(state.winner).to.equal(1);
      });
    }

    it('ends in a draw when the board fills with no line', () => {
      // x o x / x o o / o x x
      const state = play([0, 1, 2, 4, 3, 5, 7, 6, 8]);
      expect(env.turn(state).kind).to.equal('terminal');
      expect(env.returns(state)).to.deep.equal([0, 0]);
      expect(state.winner).to.equal(null);
    });

    it('alternates seats starting with seat 0 and lists empty cells ascending', () => {
      const state = play([4, 0]);
      expect(env.turn(state)).to.deep.equal({ kind: 'decision', seat: 0 });
      expect(env.legalActions(state, 0)).to.deep.equal([1, 2, 3, 5, 6, 7, 8]);
      expect(env.legalActions(state, 1)).to.deep.equal([]);
    });

    it('throws IllegalActionError when a seat plays into an occupied cell', () => {
      const state = play([4]);
      expect(() => env.apply(state, 1, 4))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(env.isLegal(state, 1, 4)).to.equal(false);
    });

    it('throws IllegalActionError when the wrong seat moves or the game is over', () => {
      expect(() => env.apply(play([4]), 0, 0))
        .to.throw(IllegalActionError)
        .with.property('code', 'not-acting');
      expect(() => env.apply(play([0, 3, 1, 4, 2]), 1, 8))
        .to.throw(IllegalActionError)
        .with.property('code', 'terminal');
      expect(() => env.apply(play([]), 0, 9))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
    });
  });

  describe('observations', () => {
    it('lays out the tensor as OpenSpiel planes empty, o (seat 1), x (seat 0) for every viewer', () => {
      const state = play([0, 4, 8]); // x at 0 and 8, o at 4
      const expected = [
        0,
        1,
        1,
        1,
        0,
        1,
        1,
        1,
        0, // empty
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        0, // o
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1, // x
      ];
      for (const viewer of [0, 1, 'spectator'] as const) {
        expect(Array.from(env.observationTensor(state, viewer)), `viewer=${viewer}`).to.deep.equal(expected);
      }
      expect(env.dims(state.params).observationShape).to.deep.equal([3, 3, 3]);
    });

    it('keeps the tensor planes on seats when marks are textarena', () => {
      const a = play([0, 4, 8]);
      const b = play([0, 4, 8], { marks: 'textarena' });
      expect(Array.from(env.observationTensor(b, 0))).to.deep.equal(Array.from(env.observationTensor(a, 0)));
    });

    it('draws the board exactly as TextArena does with textarena marks', () => {
      const state = play([0, 4], { marks: 'textarena' }); // Player 0 = 'O' at 0, Player 1 = 'X' at 4
      const block =
        'Current Board:\n\n' +
        ' O | 1 | 2 \n---+---+---\n 3 | X | 5 \n---+---+---\n 6 | 7 | 8 ' +
        "\n\nAvailable Moves: '[1]', '[2]', '[3]', '[5]', '[6]', '[7]', '[8]'";
      const text = env.observationText(state, 0);
      expect(text.endsWith(`\n\n${block}`), text).to.equal(true);
      expect(text).to.include("You are seat 0, playing 'O'");
      expect(text).to.include('your turn');
      expect(env.observationText(state, 1)).to.include("You are seat 1, playing 'X'");
      expect(env.observationText(state, 1)).to.include("seat 0 ('O') to play");
    });

    it('shows seat 0 as X with the default openspiel marks', () => {
      const state = play([0, 4]);
      expect(env.observationText(state, 'spectator')).to.include(' X | 1 | 2 \n---+---+---\n 3 | O | 5 ');
      expect(env.view(state, 'spectator')).to.deep.equal({
        marks: ['X', 'O'],
        board: ['X..', '.O.', '...'],
        moves: 2,
        toPlay: 0,
        winner: null,
      });
    });

    it('announces the winner and lists no moves when the game is over', () => {
      const text = env.observationText(play([0, 3, 1, 4, 2]), 1);
      expect(text).to.include('Game over');
      expect(text).to.include('your opponent wins');
      expect(text).not.to.include('Available Moves');
    });
  });

  describe('actions', () => {
    it('parses a bracketed cell, and calls a reply naming two cells ambiguous', () => {
      // TextArena takes the first bracketed number; Ludus refuses to guess between [7] and [2].
      const state = play([]);
      expect(parseActionText(env, state, 0, 'I play [4]')).to.equal(4);
      expect(() => parseActionText(env, state, 0, 'hmm [ 7 ] or maybe [2]')).to.throw(ActionParseError, /2 different legal actions/);
      expect(parseActionText(env, state, 0, 'hmm [ 7 ] or maybe [2]; \\boxed{2}')).to.equal(2);
      expect(parseActionText(env, state, 0, '[cell 8]')).to.equal(8);
      expect(env.actionText(state, 0, 4)).to.equal('[4]');
    });

    it('encodes and decodes the cell struct', () => {
      const state = play([]);
      expect(env.encodeAction(state, 0, { cell: 5 })).to.equal(5);
      expect(env.encodeAction(state, 0, { cell: 9 })).to.equal(undefined);
      expect(env.decodeAction(state, 0, 5)).to.deep.equal({ cell: 5 });
    });

    it('round-trips a state through serialize and rejects an inconsistent one', () => {
      const state = play([0, 4, 8]);
      expect(env.deserialize(JSON.parse(JSON.stringify(env.serialize(state))))).to.deep.equal(state);
      expect(() => env.deserialize({ ...state, moves: 2 })).to.throw(/bad state/);
    });
  });

  describe('game tree (known values)', () => {
    it('has 5,478 states, 255,168 games and minimax value 0', () => {
      const states = new Map<string, boolean>(); // board -> terminal
      const games = { x: 0, o: 0, draw: 0 };
      const visit = (state: TicTacToeState): void => {
        const turn = env.turn(state);
        states.set(state.board.join(''), turn.kind === 'terminal');
        if (turn.kind === 'terminal') {
          const [r0] = env.returns(state);
          if (r0 === 1) games.x++;
          else if (r0 === -1) games.o++;
          else games.draw++;
          return;
        }
        if (turn.kind !== 'decision') throw new Error(`unexpected turn ${turn.kind}`);
        for (const cell of env.legalActions(state, turn.seat)) visit(env.apply(state, turn.seat, cell));
      };
      visit(play([]));
      expect(states.size).to.equal(5478);
      expect([...states.values()].filter((terminal) => !terminal).length).to.equal(4520);
      expect(games).to.deep.equal({ x: 131184, o: 77904, draw: 46080 });

      const memo = new Map<string, number>();
      const value = (state: TicTacToeState): number => {
        // seat 0's minimax value
        const key = state.board.join('');
        const known = memo.get(key);
        if (known !== undefined) return known;
        const turn = env.turn(state);
        let v: number;
        if (turn.kind !== 'decision') v = env.returns(state)[0]!;
        else {
          const children = env.legalActions(state, turn.seat).map((cell) => value(env.apply(state, turn.seat, cell)));
          v = turn.seat === 0 ? Math.max(...children) : Math.min(...children);
        }
        memo.set(key, v);
        return v;
      };
      expect(value(play([]))).to.equal(0);
    });
  });
});
