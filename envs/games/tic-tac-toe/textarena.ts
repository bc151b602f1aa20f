/**
 * Tic-tac-toe in `textFormat: 'textarena'`: TextArena 0.6.4's TicTacToe-v0 text and move
 * rules. Player 0 plays 'O'. A reply is judged by the first `[n]` in it; no match, a number
 * outside 0..8 or an occupied cell is an invalid move under the error allowance. Every reply
 * (valid or not) is kept in `ta.log`, from which each player's messages are rebuilt: the
 * rules prompt, each reply, verdicts and results, and the board after every step. SPIRAL
 * shows them through the FirstLast wrapper (default) or the LLM wrapper.
 */
import { z } from 'zod';
import type { Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { GAME, broadcast, emptyInbox, send, wrap, type Inbox } from '../../textarena/messages.ts';
import { ForfeitSchema, drawMessage, invalidMove, winMessage, type Forfeit } from '../../textarena/rules.ts';
import { SPIRAL_INVALID_ACTION, spiralExtract } from '../../textarena/spiral.ts';

export const TaLogSchema = z.object({
  /** Every reply as the game received it (after SPIRAL extraction under parse: 'spiral'). */
  log: z.array(z.object({ seat: z.number().int().min(0).max(1), text: z.string() })),
  /** Invalid replies of the seat to act since the turn passed. */
  errors: z.number().int().min(0),
  forfeit: ForfeitSchema,
});
export type TaLog = z.infer<typeof TaLogSchema>;

export interface TaParams {
  readonly textFormat: 'ludus' | 'textarena';
  readonly textWrapper: 'firstlast' | 'llm';
  readonly errorAllowance: number;
  readonly parse: 'textarena' | 'spiral';
}

const MARK = ['O', 'X'] as const;
const CELL = /\[\s*(\d+)\s*\]/;

export function prompt(seat: Seat): string {
  return (
    `You are Player ${seat} in Tic Tac Toe.\n` +
    'Your goal is to win three in a row (horizontally, vertically, or diagonally) on the board.\n' +
    'On your turn, you should select the square number (0-8) you want to put your mark in next.\n' +
    "For example, '[4]' places your mark in the center cell of the board.\n" +
    '\n' +
    `As Player ${seat}, you will be '${MARK[seat]}', while your opponent is '${MARK[1 - seat]}'.\n`
  );
}

/** The board message: grid (empty cells show their number) and the quoted free cells. */
export function boardMessage(board: readonly number[]): string {
  const rows = [0, 1, 2].map((r) =>
    [0, 1, 2]
      .map((c) => {
        const v = board[r * 3 + c]!;
        return ` ${v === 0 ? String(r * 3 + c) : MARK[v - 1]} `;
      })
      .join('|'),
  );
  const free = board.flatMap((v, cell) => (v === 0 ? [`'[${cell}]'`] : []));
  return `Current Board:\n\n${rows.join('\n---+---+---\n')}\n\nAvailable Moves: ${free.join(', ')}`;
}

/** TextArena's verdict on a reply: the cell it plays, or the reason it is invalid. */
export function judge(board: readonly number[], seat: Seat, text: string): { cell: number } | { reason: string } {
  const m = CELL.exec(text);
  if (!m) return { reason: `Invalid move format. Player ${seat} did not respond with a valid move.` };
  const cell = Number(m[1]);
  // Python's int() accepts any digit run: a huge number is still just "not 0..8".
  if (!(cell >= 0 && cell <= 8)) return { reason: `Invalid cell number: ${m[1]!.replace(/^0+(?=\d)/, '')}. Must be between 0 and 8.` };
  if (board[cell] !== 0) return { reason: `Invalid move. Player ${seat} selected cell ${cell} which is already occupied.` };
  return { cell };
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
] as const;
const hasLine = (board: readonly number[]): boolean => LINES.some(([a, b, c]) => board[a] !== 0 && board[a] === board[b] && board[b] === board[c]);

/** Each player's messages, rebuilt from the reply log. */
export function inboxOf(log: TaLog, allowance: number): Inbox {
  const inbox = emptyInbox(2);
  for (const seat of [0, 1]) send(inbox, seat, GAME, prompt(seat));
  const board = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  broadcast(inbox, GAME, boardMessage(board));
  let errors = 0;
  for (const { seat, text } of log.log) {
    broadcast(inbox, seat, text);
    const verdict = judge(board, seat, text);
    if ('cell' in verdict) {
      board[verdict.cell] = seat + 1;
      errors = 0;
      if (hasLine(board)) broadcast(inbox, GAME, winMessage(seat, `Player ${seat} has won!`));
      else if (board.every((v) => v !== 0)) broadcast(inbox, GAME, drawMessage('The game is a draw!'));
    } else {
      const next = invalidMove(inbox, seat, verdict.reason, errors, allowance);
      errors = next === 'forfeit' ? errors : next;
    }
    broadcast(inbox, GAME, boardMessage(board));
  }
  return inbox;
}

export function observationText(p: TaParams, log: TaLog, seat: Seat): string {
  return wrap(p.textWrapper, inboxOf(log, p.errorAllowance)[seat]!);
}

/** The moves SPIRAL reads from the FirstLast observation: `[n]` for every free cell. */
export const spiralActions = (board: readonly number[]): string[] => board.flatMap((v, cell) => (v === 0 ? [`[${cell}]`] : []));

export interface TextOutcome {
  readonly cell?: number;
  readonly received: string;
  readonly reason?: string;
  /** SPIRAL's loop ends the game on an extraction failure, whatever the allowance. */
  readonly spiralInvalid: boolean;
}

/** What the game receives from a raw reply, and TextArena's verdict on it. */
export function receive(p: TaParams, board: readonly number[], seat: Seat, reply: string): TextOutcome {
  const received = p.parse === 'spiral' ? spiralExtract(reply, spiralActions(board)) : reply;
  const verdict = judge(board, seat, received);
  const spiralInvalid = p.parse === 'spiral' && received === SPIRAL_INVALID_ACTION;
  return 'cell' in verdict ? { cell: verdict.cell, received, spiralInvalid } : { received, reason: verdict.reason, spiralInvalid };
}

/** Log entry, error count and forfeit after an invalid reply. */
export function afterInvalid(p: TaParams, log: TaLog, seat: Seat, outcome: TextOutcome): TaLog {
  const entry = [...log.log, { seat, text: outcome.received }];
  const ends = outcome.spiralInvalid || log.errors >= p.errorAllowance;
  const forfeit: Forfeit | null = !ends
    ? null
    : outcome.spiralInvalid
      ? { seat, reason: outcome.reason ?? 'invalid move', spiral: true }
      : { seat, reason: outcome.reason ?? 'invalid move' };
  return { log: entry, errors: ends ? log.errors : log.errors + 1, forfeit };
}

export const afterValid = (log: TaLog, seat: Seat, received: string): TaLog => ({ log: [...log.log, { seat, text: received }], errors: 0, forfeit: null });

const CHATTER = ['I will take ', 'My move: ', 'Thinking about the corners... ', ''];

/** A random reply: a free cell in TextArena's form, or one of its invalid kinds. */
export function sampleReply(p: TaParams, board: readonly number[], rng: Rng, valid: boolean): string {
  const free = board.flatMap((v, c) => (v === 0 ? [c] : []));
  const taken = board.flatMap((v, c) => (v !== 0 ? [c] : []));
  if (valid) {
    const cell = rng.pick(free);
    return p.parse === 'spiral' ? `${rng.pick(CHATTER)}\\boxed{${cell}}` : `${rng.pick(CHATTER)}[${cell}]`;
  }
  const kinds = ['no move here', `[${9 + rng.int(90)}]`, ...(taken.length ? [`[${rng.pick(taken)}]`] : [])];
  if (p.parse === 'spiral') kinds.push(`\\boxed{ ${rng.pick(free)} }`, `\\boxed{${9 + rng.int(9)}}`);
  return rng.pick(kinds);
}
