/**
 * Leduc poker rules, OpenSpiel `leduc_poker` with its default parameters (2 players).
 *
 * The state keeps the deal and both betting sequences (the history) plus the few counters
 * OpenSpiel's state keeps (contributions, raises and calls this round, round, player to
 * act), so `turn`, `legal` and `apply` are O(1). The schema replays the history and checks
 * that the counters agree with it, so a deserialized state is always a reachable one.
 */
import { z } from 'zod';
import type { ActionId, ChanceOutcome, Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';

export const FOLD = 0;
export const CALL = 1; // also a check when not facing a bet
export const RAISE = 2;
export const NUM_CARDS = 6; // ids 0..5, rank = id >> 1 (J, Q, K), suit = id & 1
export const MAX_RAISES = 2; // per round
export const ANTE = 1;
export const STARTING_MONEY = 100;
/** Raise size by round (index 1 and 2). */
export const RAISE_AMOUNT: readonly number[] = [0, 2, 4];
/** OpenSpiel's player ids for the node kinds without a seat to act. */
export const CHANCE_PLAYER = -1;
export const TERMINAL_PLAYER = -4;

export const ParamsSchema = z.strictObject({});
export type LeducParams = z.infer<typeof ParamsSchema>;

const CardSchema = z
  .number()
  .int()
  .min(0)
  .max(NUM_CARDS - 1);
const BetSchema = z.number().int().min(FOLD).max(RAISE);

const FieldsSchema = z.object({
  params: ParamsSchema,
  /** Cards in deal order: seat 0's private card, seat 1's, then the public card. */
  cards: z.array(CardSchema).max(3),
  /** Action ids of each betting round (OpenSpiel's round1_sequence_ / round2_sequence_). */
  round1: z.array(BetSchema).max(4),
  round2: z.array(BetSchema).max(4),
  /** Each seat's total contribution to the pot, ante included. */
  ante: z.tuple([z.number().int(), z.number().int()]),
  /** 1 or 2; becomes 2 as soon as round 1 ends, before the public card is dealt (as OpenSpiel). */
  round: z.union([z.literal(1), z.literal(2)]),
  raises: z.number().int().min(0).max(MAX_RAISES),
  /** Calls since the round started or since its last raise. */
  calls: z.number().int().min(0).max(2),
  /** Seat to act, CHANCE_PLAYER at chance nodes, TERMINAL_PLAYER once the hand is over. */
  player: z.number().int(),
});
export type LeducState = z.infer<typeof FieldsSchema>;

export const StateSchema = FieldsSchema.superRefine((s, ctx) => {
  const problem = checkHistory(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export function initialState(params: LeducParams): LeducState {
  return { params, cards: [], round1: [], round2: [], ante: [ANTE, ANTE], round: 1, raises: 0, calls: 0, player: CHANCE_PLAYER };
}

export const isTerminal = (s: LeducState): boolean => s.player === TERMINAL_PLAYER;
export const rankOf = (card: number): number => card >> 1;
export const stakesOf = (s: LeducState): number => Math.max(s.ante[0], s.ante[1]);
/** Whether this seat must put in more chips to stay in (fold is legal only then). */
export const isFacingBet = (s: LeducState, seat: Seat): boolean => s.ante[seat]! < stakesOf(s);
export const potOf = (s: LeducState): number => s.ante[0] + s.ante[1];

const freeze = (ids: ActionId[]): readonly ActionId[] => Object.freeze(ids);
const CALL_ONLY = freeze([CALL]);
const CALL_RAISE = freeze([CALL, RAISE]);
const FOLD_CALL = freeze([FOLD, CALL]);
const FOLD_CALL_RAISE = freeze([FOLD, CALL, RAISE]);

export function legalBets(s: LeducState, seat: Seat): readonly ActionId[] {
  const canRaise = s.raises < MAX_RAISES;
  if (isFacingBet(s, seat)) return canRaise ? FOLD_CALL_RAISE : FOLD_CALL;
  return canRaise ? CALL_RAISE : CALL_ONLY;
}

export function isLegalBet(s: LeducState, seat: Seat, action: ActionId): boolean {
  if (action === CALL) return true;
  if (action === RAISE) return s.raises < MAX_RAISES;
  return action === FOLD && isFacingBet(s, seat);
}

/** Chance outcomes for each set of dealt cards (bit mask), built once and frozen. */
const OUTCOMES: (readonly ChanceOutcome[] | undefined)[] = new Array(1 << NUM_CARDS);

export function chanceOutcomesOf(s: LeducState): readonly ChanceOutcome[] {
  let mask = 0;
  for (const card of s.cards) mask |= 1 << card;
  let outcomes = OUTCOMES[mask];
  if (!outcomes) {
    const left = Array.from({ length: NUM_CARDS }, (_, card) => card).filter((card) => (mask & (1 << card)) === 0);
    outcomes = Object.freeze(left.map((action) => Object.freeze({ action, probability: 1 / left.length })));
    OUTCOMES[mask] = outcomes;
  }
  return outcomes;
}

export function dealCard(s: LeducState, card: number): LeducState {
  const cards = [...s.cards, card];
  // Seat 0 opens both rounds, once the private cards (round 1) or the public card (round 2) are out.
  const player = cards.length === 1 ? CHANCE_PLAYER : 0;
  return { ...s, cards, player };
}

/** Applies a legal bet of the seat to act (OpenSpiel's DoApplyAction at a player node). */
export function applyBet(s: LeducState, seat: Seat, action: ActionId): LeducState {
  const round1 = s.round === 1 ? [...s.round1, action] : s.round1;
  const round2 = s.round === 2 ? [...s.round2, action] : s.round2;
  if (action === FOLD) return { ...s, round1, round2, player: TERMINAL_PLAYER };
  const ante: [number, number] = [s.ante[0], s.ante[1]];
  const stakes = stakesOf(s);
  if (action === RAISE) {
    ante[seat] = stakes + RAISE_AMOUNT[s.round]!;
    return { ...s, round1, round2, ante, raises: s.raises + 1, calls: 0, player: 1 - seat };
  }
  ante[seat] = stakes;
  const calls = s.calls + 1;
  // The round ends when both checked, or when the other seat called the last raise.
  const roundOver = s.raises === 0 ? calls === 2 : calls === 1;
  if (!roundOver) return { ...s, round1, round2, ante, calls, player: 1 - seat };
  if (s.round === 2) return { ...s, round1, round2, ante, calls, player: TERMINAL_PLAYER };
  return { ...s, round1, round2, ante, round: 2, raises: 0, calls: 0, player: CHANCE_PLAYER };
}

/** The betting sequence of the round in progress (or of the last round played). */
export const currentSequence = (s: LeducState): readonly number[] => (s.round === 2 ? s.round2 : s.round1);

/** The seat that folded, or null if the hand is not over or went to a showdown. */
export function folderOf(s: LeducState): Seat | null {
  if (!isTerminal(s)) return null;
  const seq = currentSequence(s);
  // Seat 0 opens every round and the seats alternate, so the i-th bet is seat i % 2's.
  return seq[seq.length - 1] === FOLD ? (seq.length - 1) % 2 : null;
}

/** Whether the hand ended in a showdown, which shows both private cards to everyone. */
export const isShowdown = (s: LeducState): boolean => isTerminal(s) && folderOf(s) === null;

/** The private card of `seat` as `viewer` sees it: own card, or any after a showdown; else undefined. */
export function visibleCard(s: LeducState, seat: Seat, viewer: Seat | 'spectator'): number | undefined {
  return viewer === seat || isShowdown(s) ? s.cards[seat] : undefined;
}

export const toPlay = (s: LeducState): Seat | null => (s.player >= 0 ? s.player : null);

/** Showdown strength: a pair with the public card beats any single card; else private rank. */
export function handStrength(s: LeducState, seat: Seat): number {
  const rank = rankOf(s.cards[seat]!);
  return rank === rankOf(s.cards[2]!) ? 10 + rank : rank;
}

/** Seats that win the pot at a showdown (both on a split). */
export function showdownWinners(s: LeducState): readonly Seat[] {
  const a = handStrength(s, 0);
  const b = handStrength(s, 1);
  return a > b ? [0] : b > a ? [1] : [0, 1];
}

const ZERO: readonly number[] = Object.freeze([0, 0]);

/** Returns = final money - 100: the winner takes the loser's contribution; a split pot is 0 each. */
export function returnsOf(s: LeducState): readonly number[] {
  if (!isTerminal(s)) return ZERO;
  const folder = folderOf(s);
  if (folder !== null) {
    const lost = s.ante[folder]!;
    return folder === 0 ? [-lost, lost] : [lost, -lost];
  }
  const winners = showdownWinners(s);
  if (winners.length === 2) return ZERO;
  const won = s.ante[1 - winners[0]!]!;
  return winners[0] === 0 ? [won, -won] : [-won, won];
}

/** The opponent's private card redrawn uniformly from the cards this seat has not seen. */
export function resampleOpponent(s: LeducState, seat: Seat, rng: Rng): LeducState {
  const opponent = 1 - seat;
  if (s.cards.length <= opponent || isShowdown(s)) return s;
  const seen = s.cards.filter((_, i) => i !== opponent);
  const pool = Array.from({ length: NUM_CARDS }, (_, card) => card).filter((card) => !seen.includes(card));
  const cards = s.cards.slice();
  cards[opponent] = pool[rng.int(pool.length)]!;
  return { ...s, cards };
}

/** Replays the history from the initial state; a message if it is impossible or the counters differ. */
function checkHistory(s: LeducState): string | undefined {
  let replay = initialState(s.params);
  const deal = (card: number | undefined): string | undefined => {
    if (card === undefined) return undefined;
    if (replay.cards.includes(card)) return `card ${card} is dealt twice`;
    replay = dealCard(replay, card);
    return undefined;
  };
  const bet = (action: number): string | undefined => {
    if (replay.player < 0 || !isLegalBet(replay, replay.player, action)) return `bet ${action} is not possible after the earlier history`;
    replay = applyBet(replay, replay.player, action);
    return undefined;
  };
  const problem =
    deal(s.cards[0]) ??
    deal(s.cards[1]) ??
    s.round1.map(bet).find(Boolean) ??
    (s.cards[2] !== undefined && replay.player !== CHANCE_PLAYER ? 'the public card is dealt before round 1 ended' : undefined) ??
    deal(s.cards[2]) ??
    s.round2.map(bet).find(Boolean);
  if (problem) return problem;
  const { ante, round, raises, calls, player } = replay;
  const same = ante[0] === s.ante[0] && ante[1] === s.ante[1] && round === s.round && raises === s.raises && calls === s.calls && player === s.player;
  return same ? undefined : 'ante, round, raises, calls or player do not match the cards and betting history';
}
