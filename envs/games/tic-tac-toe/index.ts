/**
 * Tic-tac-toe, OpenSpiel `tic_tac_toe` rules and tensor, TextArena `TicTacToe-v0` text.
 *
 * Cells are numbered row * 3 + column (0..8); seat 0 moves first; three in a row wins
 * (+1/-1), a full board is a draw (0). Observation tensor [3, 3, 3] CHW, the same for every
 * viewer: plane 0 = empty, 1 = seat 1's pieces ('o'), 2 = seat 0's pieces ('x').
 * Text draws the board as TextArena does and moves are written `[n]`. The `marks` param only
 * changes the letters shown: 'openspiel' (seat 0 = X) or 'textarena' (seat 0 = O, as
 * TextArena's Player 0). Perfect information: the board is the whole state.
 * `textFormat: 'textarena'` switches to TextArena 0.6.4's exact text and move rules
 * (textarena.ts): free-text replies judged by its parser, its error allowance, SPIRAL's
 * extraction and reward variants as params.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Seat, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, decision } from '../../core/turns.ts';
import { TextWrapperSchema } from '../../textarena/messages.ts';
import { TEXTARENA_MAX_CHARS, forfeitOutcome, forfeitRange, textArenaParams } from '../../textarena/rules.ts';
import * as ta from './textarena.ts';

// The text-format params are optional (not defaulted) so default params serialize as before.
const ParamsSchema = z.object({
  marks: z.enum(['openspiel', 'textarena']).default('openspiel'),
  textFormat: textArenaParams.textFormat.removeDefault().optional(),
  /** TextArena observation wrapper: 'firstlast' (SPIRAL's choice for TicTacToe) or 'llm'. */
  textWrapper: TextWrapperSchema.optional(),
  errorAllowance: textArenaParams.errorAllowance.removeDefault().optional(),
  invalidRewards: textArenaParams.invalidRewards.removeDefault().optional(),
  parse: textArenaParams.parse.removeDefault().optional(),
});
export type TicTacToeParams = z.infer<typeof ParamsSchema>;

const ActionSchema = z.object({ cell: z.number().int().min(0).max(8) });
export type TicTacToeAction = z.infer<typeof ActionSchema>;

/** Cells: 0 empty, 1 = seat 0, 2 = seat 1. `moves` and `winner` are cached facts of the board. */
const StateSchema = z
  .object({
    params: ParamsSchema,
    board: z.array(z.number().int().min(0).max(2)).length(9),
    moves: z.number().int().min(0).max(9),
    winner: z.number().int().min(0).max(1).nullable(),
    /** TextArena format only: the replies, the error count and a forfeit. */
    ta: ta.TaLogSchema.optional(),
  })
  .refine((s) => s.moves === s.board.filter((v) => v !== 0).length, { message: 'moves must equal the number of filled cells' });
export type TicTacToeState = z.infer<typeof StateSchema>;

const MARKS: Readonly<Record<TicTacToeParams['marks'], readonly [string, string]>> = {
  openspiel: ['X', 'O'],
  textarena: ['O', 'X'],
};

const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
] as const;

/** For each cell, the other two cells of every line through it, flattened as pairs. */
const PARTNERS: readonly (readonly number[])[] = Array.from({ length: 9 }, (_, cell) =>
  LINES.filter((line) => (line as readonly number[]).includes(cell)).flatMap((line) => line.filter((c) => c !== cell)),
);

/** Legal-move lists for every set of empty cells (bit i = cell i empty), shared and frozen. */
const LEGAL_BY_EMPTY: readonly (readonly ActionId[])[] = Array.from({ length: 512 }, (_, mask) =>
  Object.freeze(Array.from({ length: 9 }, (_, c) => c).filter((c) => (mask >> c) & 1)),
);

/** Text-reply names of a cell besides `[n]`: "cell 4". */
const CELL_ALIASES: readonly (readonly string[])[] = Array.from({ length: 9 }, (_, c) => Object.freeze([`cell ${c}`]));

const WIN: readonly (readonly number[])[] = [Object.freeze([1, -1]), Object.freeze([-1, 1])];
const DRAW: readonly number[] = Object.freeze([0, 0]);

function completesLine(board: readonly number[], cell: number, mark: number): boolean {
  const partners = PARTNERS[cell]!;
  for (let i = 0; i < partners.length; i += 2) {
    if (board[partners[i]!] === mark && board[partners[i + 1]!] === mark) return true;
  }
  return false;
}

function emptyMask(board: readonly number[]): number {
  let mask = 0;
  for (let c = 0; c < 9; c++) if (board[c] === 0) mask |= 1 << c;
  return mask;
}

const isOver = (s: TicTacToeState): boolean => s.winner !== null || s.moves >= 9 || !!s.ta?.forfeit;

const isTa = (p: TicTacToeParams): boolean => p.textFormat === 'textarena';

function taParams(p: TicTacToeParams): ta.TaParams {
  return { textFormat: 'textarena', textWrapper: p.textWrapper ?? 'firstlast', errorAllowance: p.errorAllowance ?? 0, parse: p.parse ?? 'textarena' };
}

function place(s: TicTacToeState, seat: Seat, cell: number, ta?: ta.TaLog): TicTacToeState {
  const mark = seat + 1;
  const board = s.board.slice();
  board[cell] = mark;
  const next: TicTacToeState = { params: s.params, board, moves: s.moves + 1, winner: completesLine(board, cell, mark) ? seat : null };
  return ta ? { ...next, ta } : next;
}

// TextArena's format always uses its own letters (Player 0 plays 'O').
const markOf = (s: TicTacToeState, seat: Seat): string => MARKS[s.params.textFormat === 'textarena' ? 'textarena' : s.params.marks][seat]!;

/** TextArena's board block: `Current Board:`, the grid, and (while playing) the quoted moves. */
function boardBlock(s: TicTacToeState): string {
  const rows = [0, 1, 2].map((r) =>
    [0, 1, 2]
      .map((c) => {
        const v = s.board[r * 3 + c]!;
        return ` ${v === 0 ? String(r * 3 + c) : markOf(s, v - 1)} `;
      })
      .join('|'),
  );
  const grid = `Current Board:\n\n${rows.join('\n---+---+---\n')}`;
  if (isOver(s)) return grid;
  const moves = LEGAL_BY_EMPTY[emptyMask(s.board)]!.map((c) => `'[${c}]'`).join(', ');
  return `${grid}\n\nAvailable Moves: ${moves}`;
}

function statusText(s: TicTacToeState, viewer: Viewer): string {
  if (s.ta?.forfeit) return `Game over: seat ${s.ta.forfeit.seat} made an invalid move and lost (${s.ta.forfeit.reason}).`;
  if (s.winner !== null) {
    const who = viewer === s.winner ? 'you win' : viewer === 'spectator' ? `seat ${s.winner} wins` : 'your opponent wins';
    return `Game over: seat ${s.winner} ('${markOf(s, s.winner)}') has three in a row, ${who}.`;
  }
  if (isOver(s)) return 'Game over: the board is full, the game is a draw.';
  const seat = s.moves % 2;
  if (viewer === seat) {
    return `Move ${s.moves + 1}: your turn. Place your '${markOf(s, seat)}' in an empty cell by answering with its number in brackets, for example [4].`;
  }
  return `Move ${s.moves + 1}: seat ${seat} ('${markOf(s, seat)}') to play.`;
}

function whoText(s: TicTacToeState, viewer: Viewer): string {
  if (viewer === 'spectator') return `You are watching: seat 0 plays '${markOf(s, 0)}', seat 1 plays '${markOf(s, 1)}'.`;
  return `You are seat ${viewer}, playing '${markOf(s, viewer)}'; your opponent (seat ${1 - viewer}) plays '${markOf(s, 1 - viewer)}'.`;
}

const RULES_TEXT =
  'Tic-tac-toe. Two players take turns placing their mark in an empty cell of a 3 by 3 grid. Cells are ' +
  'numbered 0 to 8, row by row from the top left: the top row is 0 1 2, the middle row 3 4 5, the bottom ' +
  'row 6 7 8. Seat 0 moves first. The first player with three of their marks in a row (horizontally, ' +
  'vertically or diagonally) wins (+1, the loser gets -1). If all nine cells fill up with no line, the game ' +
  'is a draw (0 each). Your observation tells you which mark (X or O) is yours; the board shows the number ' +
  'of every empty cell. To move, answer with the number of an empty cell in square brackets, for example ' +
  '[4] for the centre. Choosing an occupied cell is an illegal move.';

/** Empty (0) -> plane 0, seat 1 (2) -> plane 1, seat 0 (1) -> plane 2, as OpenSpiel's x/o planes; `t` zero-filled. */
function writeObservation(s: TicTacToeState, t: Float32Array): void {
  const board = s.board;
  for (let i = 0; i < 9; i++) t[((3 - board[i]!) % 3) * 9 + i] = 1;
}

export const ticTacToe = defineEnv<TicTacToeState, TicTacToeAction, TicTacToeParams>({
  spec: {
    id: 'tic-tac-toe',
    version: 1,
    title: 'Tic-tac-toe',
    dynamics: 'sequential',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => {
    const base = {
      numPlayers: 2,
      numDistinctActions: 9,
      maxChanceOutcomes: 0,
      observationShape: [3, 3, 3],
      maxGameLength: 9,
      minUtility: -1,
      maxUtility: 1,
      utilitySum: 0,
    };
    if (!isTa(p)) return base;
    const range = forfeitRange(p.invalidRewards ?? 'textarena');
    return {
      ...base,
      maxGameLength: 9 * ((p.errorAllowance ?? 0) + 1),
      minUtility: range.min,
      maxUtility: range.max,
      utility: 'general-sum' as const,
      textActions: { maxChars: TEXTARENA_MAX_CHARS },
    };
  },
  init: (params) => ({
    params,
    board: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    moves: 0,
    winner: null,
    ...(isTa(params) ? { ta: { log: [], errors: 0, forfeit: null } } : {}),
  }),
  turn: (s) => (isOver(s) ? TERMINAL : decision(s.moves & 1)),
  legal: (s) => LEGAL_BY_EMPTY[emptyMask(s.board)]!,
  isLegal: (s, _seat, cell) => cell < 9 && s.board[cell] === 0,
  apply: (s, actor, cell) => place(s, actor as Seat, cell, s.ta && ta.afterValid(s.ta, actor as Seat, `[${cell}]`)),
  applyText(s, seat, text) {
    const p = taParams(s.params);
    const log = s.ta!;
    const outcome = ta.receive(p, s.board, seat, text);
    if (outcome.cell !== undefined) {
      const state = place(s, seat, outcome.cell, ta.afterValid(log, seat, outcome.received));
      return { state, verdict: { kind: 'move', action: outcome.cell, summary: `[${outcome.cell}]` } };
    }
    const next = ta.afterInvalid(p, log, seat, outcome);
    const state: TicTacToeState = { ...s, ta: next };
    return {
      state,
      verdict: {
        kind: 'invalid',
        code: outcome.spiralInvalid ? 'spiral-invalid-action' : 'textarena-invalid-move',
        reason: outcome.reason ?? '',
        final: next.forfeit !== null,
      },
    };
  },
  rolePrompt: (s, seat) => (s.ta ? ta.prompt(seat) : `${RULES_TEXT}\nYou are seat ${seat}, playing '${markOf(s, seat)}'.`),
  sampleText: (s, _seat, rng, valid) => ta.sampleReply(taParams(s.params), s.board, rng, valid),
  returns: (s) => (s.ta?.forfeit ? forfeitOutcome(s.params, s.ta.forfeit, 2) : s.winner === null ? DRAW : WIN[s.winner]!),
  observationTensor(s) {
    const t = zeros(27);
    writeObservation(s, t);
    return t;
  },
  writeObservation: (s, _viewer, t) => writeObservation(s, t),
  observationText: (s, viewer) =>
    s.ta && viewer !== 'spectator'
      ? ta.observationText(taParams(s.params), s.ta, viewer)
      : `Tic Tac Toe. ${whoText(s, viewer)}\n${statusText(s, viewer)}\n\n${boardBlock(s)}`,
  view: (s) => ({
    marks: [markOf(s, 0), markOf(s, 1)],
    board: [0, 1, 2].map((r) =>
      s.board
        .slice(r * 3, r * 3 + 3)
        .map((v) => (v === 0 ? '.' : markOf(s, v - 1)))
        .join(''),
    ),
    moves: s.moves,
    toPlay: isOver(s) ? null : s.moves % 2,
    winner: s.winner,
  }),
  actionText: (_s, _actor, cell) => `[${cell}]`,
  actionAliases: (_s, _seat, cell) => CELL_ALIASES[cell] ?? [],
  encodeAction: (_s, _seat, a) => a.cell,
  decodeAction: (_s, _seat, cell) => ({ cell }),
  clone: (s) => ({ params: s.params, board: s.board.slice(), moves: s.moves, winner: s.winner, ...(s.ta ? { ta: structuredClone(s.ta) } : {}) }),
});
