/**
 * Connect Four, OpenSpiel `connect_four` rules and tensor layout.
 *
 * Seat 0 plays 'x' and moves first; actions are columns; a piece falls to the lowest empty
 * row; `xInRow` in a line wins; a full board is a draw.
 * Observation tensor [3, rows, cols], row 0 = bottom: planes x, o, empty (absolute), or with
 * `egocentric` (OpenSpiel's egocentric_obs_tensor) opponent, own, empty.
 * Perfect recall: the board is the whole state. Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Seat, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, decision } from '../../core/turns.ts';

const ParamsSchema = z.object({
  rows: z.number().int().min(4).max(12).default(6),
  columns: z.number().int().min(4).max(12).default(7),
  xInRow: z.number().int().min(3).max(8).default(4),
  egocentric: z.boolean().default(false),
});
export type ConnectFourParams = z.infer<typeof ParamsSchema>;

const ActionSchema = z.object({ column: z.number().int().min(0) });
export type ConnectFourAction = z.infer<typeof ActionSchema>;

/** Cells: 0 empty, 1 = x (seat 0), 2 = o (seat 1). Index = row * columns + column, row 0 at the bottom. */
const StateSchema = z.object({
  params: ParamsSchema,
  board: z.array(z.number().int().min(0).max(2)),
  moves: z.number().int().min(0),
  winner: z.number().int().min(0).max(1).nullable(),
});
export type ConnectFourState = z.infer<typeof StateSchema>;

const MARK = ['.', 'x', 'o'] as const;
const WIN: readonly (readonly number[])[] = [
  [1, -1],
  [-1, 1],
];
const DRAW: readonly number[] = [0, 0];

function dropRow(s: ConnectFourState, column: number): number {
  const { rows, columns } = s.params;
  for (let r = 0; r < rows; r++) if (s.board[r * columns + column] === 0) return r;
  return -1;
}

function countDir(board: readonly number[], p: ConnectFourParams, r: number, c: number, dr: number, dc: number, mark: number): number {
  let n = 0;
  for (let rr = r + dr, cc = c + dc; rr >= 0 && rr < p.rows && cc >= 0 && cc < p.columns; rr += dr, cc += dc) {
    if (board[rr * p.columns + cc] !== mark) break;
    n++;
  }
  return n;
}

function wins(board: readonly number[], p: ConnectFourParams, r: number, c: number, mark: number): boolean {
  const need = p.xInRow - 1;
  return (
    countDir(board, p, r, c, 0, 1, mark) + countDir(board, p, r, c, 0, -1, mark) >= need ||
    countDir(board, p, r, c, 1, 0, mark) + countDir(board, p, r, c, -1, 0, mark) >= need ||
    countDir(board, p, r, c, 1, 1, mark) + countDir(board, p, r, c, -1, -1, mark) >= need ||
    countDir(board, p, r, c, 1, -1, mark) + countDir(board, p, r, c, -1, 1, mark) >= need
  );
}

const isOver = (s: ConnectFourState): boolean => s.winner !== null || s.moves >= s.board.length;

function boardText(s: ConnectFourState): string {
  const { rows, columns } = s.params;
  const lines = [` ${Array.from({ length: columns }, (_, c) => c % 10).join(' ')}`];
  for (let r = rows - 1; r >= 0; r--) {
    const cells = s.board.slice(r * columns, (r + 1) * columns).map((v) => MARK[v as 0 | 1 | 2]);
    lines.push(`|${cells.join(' ')}|`);
  }
  return lines.join('\n');
}

function statusText(s: ConnectFourState): string {
  if (s.winner !== null) return `Game over: ${MARK[s.winner + 1]} (seat ${s.winner}) connected ${s.params.xInRow} and wins.`;
  if (isOver(s)) return 'Game over: the board is full, the game is a draw.';
  const seat = s.moves % 2;
  const legal = legalColumns(s)
    .map((c) => `[${c}]`)
    .join(', ');
  return `Move ${s.moves + 1}: ${MARK[seat + 1]} (seat ${seat}) to play. Available columns: ${legal}`;
}

/** Legal-move lists by set of open columns (bit c = column c open), shared and frozen, built on first use. */
const LEGAL_BY_OPEN: (readonly ActionId[] | undefined)[] = [];

function legalList(open: number): readonly ActionId[] {
  let list = LEGAL_BY_OPEN[open];
  if (list === undefined) {
    const out: ActionId[] = [];
    for (let c = 0; open >> c; c++) if ((open >> c) & 1) out.push(c);
    LEGAL_BY_OPEN[open] = list = Object.freeze(out);
  }
  return list;
}

function legalColumns(s: ConnectFourState): readonly ActionId[] {
  const { rows, columns } = s.params;
  const top = (rows - 1) * columns;
  let open = 0;
  for (let c = 0; c < columns; c++) if (s.board[top + c] === 0) open |= 1 << c;
  return legalList(open);
}

/** Sets the 1s of the [3, rows, cols] planes into a zero-filled `t`. */
function writeObservation(s: ConnectFourState, viewer: Viewer, t: Float32Array): void {
  const n = s.board.length;
  // Absolute planes: x -> 0, o -> 1. Egocentric: opponent -> 0, own -> 1 (OpenSpiel's order).
  const flip = s.params.egocentric && viewer === 0;
  for (let i = 0; i < n; i++) {
    const v = s.board[i]!;
    const plane = v === 0 ? 2 : flip ? 2 - v : v - 1;
    t[plane * n + i] = 1;
  }
}

export const connectFour = defineEnv<ConnectFourState, ConnectFourAction, ConnectFourParams>({
  spec: {
    id: 'connect-four',
    version: 1,
    title: 'Connect Four',
    dynamics: 'sequential',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText:
      'Connect Four. Two players take turns dropping a piece into one of the columns of an upright grid ' +
      '(default 6 rows by 7 columns); the piece falls to the lowest empty cell of that column. Seat 0 plays x and ' +
      'moves first, seat 1 plays o. The first player with four of their pieces in a line (horizontal, vertical or ' +
      'diagonal) wins (+1, the loser gets -1). If the board fills up with no line, the game is a draw (0 each). ' +
      'A move names a column that is not full, for example [3].',
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: p.columns,
    maxChanceOutcomes: 0,
    observationShape: [3, p.rows, p.columns],
    maxGameLength: p.rows * p.columns,
    minUtility: -1,
    maxUtility: 1,
    utilitySum: 0,
  }),
  init: (params) => ({ params, board: new Array<number>(params.rows * params.columns).fill(0), moves: 0, winner: null }),
  turn: (s) => (isOver(s) ? TERMINAL : decision(s.moves % 2)),
  legal: legalColumns,
  isLegal: (s, _seat, column) => column < s.params.columns && s.board[(s.params.rows - 1) * s.params.columns + column] === 0,
  apply(s, actor, column) {
    const seat = actor as Seat;
    const r = dropRow(s, column);
    const board = s.board.slice();
    const mark = seat + 1;
    board[r * s.params.columns + column] = mark;
    const winner = wins(board, s.params, r, column, mark) ? seat : null;
    return { params: s.params, board, moves: s.moves + 1, winner };
  },
  returns: (s) => (s.winner === null ? DRAW : WIN[s.winner]!),
  observationTensor(s, viewer: Viewer) {
    const t = zeros(3 * s.board.length);
    writeObservation(s, viewer, t);
    return t;
  },
  writeObservation,
  observationText(s, viewer) {
    const who = viewer === 'spectator' ? 'You are watching.' : `You are seat ${viewer}, playing ${MARK[viewer + 1]}.`;
    return `Connect Four (${s.params.rows} rows x ${s.params.columns} columns, connect ${s.params.xInRow}). ${who}\n${boardText(s)}\n${statusText(s)}`;
  },
  view: (s) => ({
    rows: s.params.rows,
    columns: s.params.columns,
    board: Array.from({ length: s.params.rows }, (_, k) => {
      const r = s.params.rows - 1 - k;
      return s.board
        .slice(r * s.params.columns, (r + 1) * s.params.columns)
        .map((v) => MARK[v as 0 | 1 | 2])
        .join('');
    }),
    moves: s.moves,
    toPlay: isOver(s) ? null : s.moves % 2,
    winner: s.winner,
  }),
  actionText: (_s, _actor, column) => `[${column}]`,
  actionAliases: (_s, _seat, column) => [`col ${column}`, `col${column}`, `column ${column}`, `column${column}`],
  encodeAction: (_s, _seat, a) => a.column,
  decodeAction: (_s, _seat, column) => ({ column }),
  clone: (s) => ({ ...s, board: s.board.slice() }),
});
