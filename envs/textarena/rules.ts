/**
 * TextArena's invalid-move rule and the params that select it, shared by the games that offer
 * `textFormat: 'textarena'`. With an error allowance k the offender may resubmit up to k
 * times (the count resets when the turn passes); the next invalid move ends the game. The
 * default rewards are TextArena's (offender -1, everyone else 0); SPIRAL's training loop
 * uses -1.5 / +0.5 and its evaluation -1 / +1.
 */
import { z } from 'zod';
import type { Seat } from '../core/env.ts';
import { GAME, broadcast, type Inbox } from './messages.ts';

export const InvalidRewardsSchema = z.enum(['textarena', 'spiral-train', 'spiral-eval']);
export type InvalidRewards = z.infer<typeof InvalidRewardsSchema>;

/** The text-format params every TextArena-compatible game accepts. */
export const textArenaParams = {
  /** 'ludus' (Ludus's own prose) or 'textarena' (TextArena 0.6.4 text and move rules). */
  textFormat: z.enum(['ludus', 'textarena']).default('ludus'),
  /** Invalid replies a player may resubmit before losing (TextArena's error_allowance; SPIRAL uses 0). */
  errorAllowance: z.number().int().min(0).max(10).default(0),
  invalidRewards: InvalidRewardsSchema.default('textarena'),
  /** 'textarena': the game's own move parser judges the raw reply; 'spiral': SPIRAL's extraction first. */
  parse: z.enum(['textarena', 'spiral']).default('textarena'),
};

/** Longest reply a TextArena-format game accepts. */
export const TEXTARENA_MAX_CHARS = 8192;

export interface Forfeit {
  readonly seat: Seat;
  readonly reason: string;
  /** Ended by SPIRAL's loop (extraction failed) rather than by the game's own rule. */
  readonly spiral?: boolean;
}

export const ForfeitSchema = z.object({ seat: z.number().int().min(0), reason: z.string(), spiral: z.boolean().optional() }).nullable();

/**
 * Returns after a forfeit. Under parse 'spiral', SPIRAL's reward override applies only to its
 * own extraction failures; a reply the game itself rejects (e.g. an empty one) keeps
 * TextArena's -1 / 0, exactly as SPIRAL's loop does.
 */
export function forfeitOutcome(p: { invalidRewards?: InvalidRewards; parse?: 'textarena' | 'spiral' }, forfeit: Forfeit, players: number): number[] {
  const rule = p.parse === 'spiral' && !forfeit.spiral ? 'textarena' : (p.invalidRewards ?? 'textarena');
  return forfeitReturns(rule, forfeit.seat, players);
}

/** Returns after a forfeit by `seat` under one reward rule. */
export function forfeitReturns(rule: InvalidRewards, seat: Seat, players: number): number[] {
  const [offender, other] = rule === 'spiral-train' ? [-1.5, 0.5] : rule === 'spiral-eval' ? [-1, 1] : [-1, 0];
  return Array.from({ length: players }, (_, p) => (p === seat ? offender : other));
}

export function forfeitRange(rule: InvalidRewards): { min: number; max: number } {
  return rule === 'spiral-train' ? { min: -1.5, max: 1 } : { min: -1, max: 1 };
}

/**
 * Applies TextArena's `set_invalid_move` to a message inbox: a retry message while the
 * allowance lasts, else the loss message. Returns the new error count, or 'forfeit'.
 */
export function invalidMove(inbox: Inbox, seat: Seat, reason: string, errors: number, allowance: number): number | 'forfeit' {
  if (allowance > errors) {
    broadcast(
      inbox,
      GAME,
      `Player ${seat} attempted an invalid move. Reason: ${reason} Please resubmit a valid move and remember to follow the game rules to avoid penalties.`,
    );
    return errors + 1;
  }
  broadcast(inbox, GAME, `Player ${seat} lost the game by way of invalid move. Reason: ${reason}`);
  return 'forfeit';
}

export const winMessage = (seat: Seat, reason: string): string => `Player ${seat} won the game. Reason: ${reason}`;
export const drawMessage = (reason: string): string => `The game ended in a draw. Reason: ${reason}`;
