/**
 * Kuhn poker rules: the state, dealing, betting and settlement of one or more hands.
 *
 * One hand (OpenSpiel `kuhn_poker`): cards 0, 1, 2 (J < Q < K); chance deals a card to seat 0,
 * then to seat 1; both ante 1; the opener may pass (0) or bet 1 (1); the betting sequences
 * pp, bp, bb, pbp, pbb end the hand. A fold loses the ante; a showdown after pp wins the antes
 * (1), after a called bet 2.
 * Several hands (TextArena / SPIRAL `KuhnPoker-v1`): `rounds` hands, the opener alternating;
 * the game is settled by `scoring` ('chips': the chip difference, 'winner': +1 to the chip
 * leader, 0 each on a tie). `spiralCompat` reproduces SPIRAL's quirks: every hand nets +-1
 * whatever the betting (a fixed pot of 2), seat 1 opens the first hand, and the winner of the
 * last hand wins the game even when behind on chips.
 */
import { z } from 'zod';
import type { ActionId, ChanceOutcome, Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';

export const PASS = 0;
export const BET = 1;
export const NUM_CARDS = 3;
export const CARD_NAMES = ['J', 'Q', 'K'] as const;

export const ParamsSchema = z.object({
  rounds: z.number().int().min(1).max(100).default(1),
  /** How the game is settled; default 'chips' for one hand, 'winner' for several. */
  scoring: z.enum(['chips', 'winner']).optional(),
  spiralCompat: z.boolean().default(false),
}).strict();
export type KuhnParams = z.infer<typeof ParamsSchema>;

const CardSchema = z.number().int().min(0).max(2);
const HistorySchema = z.string().regex(/^(|p|b|pp|pb|bp|bb|pbp|pbb)$/);

const HandSchema = z.object({
  cards: z.tuple([CardSchema, CardSchema]),
  history: z.enum(['pp', 'bp', 'bb', 'pbp', 'pbb']),
  opener: z.number().int().min(0).max(1),
  winner: z.number().int().min(0).max(1),
  amount: z.number().int().min(1).max(2),
  showdown: z.boolean(),
});
export type KuhnHand = z.infer<typeof HandSchema>;

export const StateSchema = z.object({
  params: ParamsSchema,
  /** Finished hands, oldest first. */
  hands: z.array(HandSchema),
  /** Cards of the hand in play, in dealing order (seat 0, then seat 1). */
  cards: z.array(CardSchema).max(2),
  history: HistorySchema,
  /** Net chips of seat 0 over the finished hands (seat 1 has the negative). */
  chips: z.number().int(),
}).refine((s) => s.hands.length <= s.params.rounds, { message: 'more hands than rounds' })
  .refine((s) => s.cards.length === 2 || s.history === '', { message: 'betting before both cards are dealt' })
  .refine((s) => s.cards.length < 2 || s.cards[0] !== s.cards[1], { message: 'both seats hold the same card' });
export type KuhnState = z.infer<typeof StateSchema>;

export const scoringOf = (p: KuhnParams): 'chips' | 'winner' => (p.spiralCompat ? 'winner' : p.scoring ?? (p.rounds > 1 ? 'winner' : 'chips'));

/** Seat that opens hand `round` (0-based): seat 0 first, alternating; seat 1 first under SPIRAL. */
export const openerOf = (p: KuhnParams, round: number): Seat => (round + (p.spiralCompat ? 1 : 0)) % 2;

export const isOver = (s: KuhnState): boolean => s.hands.length >= s.params.rounds;

/** The seat to act in the hand in play (both cards dealt, betting not finished). */
export const actorOf = (s: KuhnState): Seat => (openerOf(s.params, s.hands.length) + s.history.length) % 2;

/** True when the seat to act faces an outstanding bet (its 0 is fold, its 1 is call). */
export const facesBet = (history: string): boolean => history === 'b' || history === 'pb';

export const initialState = (params: KuhnParams): KuhnState => ({ params, hands: [], cards: [], history: '', chips: 0 });

const ONE_THIRD: readonly ChanceOutcome[] = Object.freeze([0, 1, 2].map((action) => Object.freeze({ action, probability: 1 / 3 })));
const HALF = new Map<number, readonly ChanceOutcome[]>([0, 1, 2].map((dealt) => [dealt,
  Object.freeze([0, 1, 2].filter((c) => c !== dealt).map((action) => Object.freeze({ action, probability: 1 / 2 })))]));

export function chanceOutcomesOf(s: KuhnState): readonly ChanceOutcome[] {
  return s.cards.length === 0 ? ONE_THIRD : HALF.get(s.cards[0]!)!;
}

export const deal = (s: KuhnState, card: ActionId): KuhnState => ({ ...s, cards: [...s.cards, card] });

const ENDS = new Set(['pp', 'bp', 'bb', 'pbp', 'pbb']);

/** Applies a pass or bet; a finished hand is settled at once and the next one begins. */
export function bet(s: KuhnState, action: ActionId): KuhnState {
  const history = s.history + (action === BET ? 'b' : 'p');
  if (!ENDS.has(history)) return { ...s, history };
  const hand = settle(s, history);
  const won = hand.winner === 0 ? hand.amount : -hand.amount;
  return { params: s.params, hands: [...s.hands, hand], cards: [], history: '', chips: s.chips + won };
}

function settle(s: KuhnState, history: string): KuhnHand {
  const opener = openerOf(s.params, s.hands.length);
  const cards: [number, number] = [s.cards[0]!, s.cards[1]!];
  const fold = history === 'bp' ? 1 - opener : history === 'pbp' ? opener : -1;
  const winner = fold >= 0 ? 1 - fold : cards[0] > cards[1] ? 0 : 1;
  const amount = s.params.spiralCompat || !history.endsWith('bb') ? 1 : 2;
  return { cards, history: history as KuhnHand['history'], opener, winner, amount, showdown: fold < 0 };
}

export function returnsOf(s: KuhnState): readonly number[] {
  if (!isOver(s)) return ZERO;
  if (s.params.spiralCompat) return s.hands[s.hands.length - 1]!.winner === 0 ? WIN0 : WIN1;
  if (scoringOf(s.params) === 'winner') return s.chips > 0 ? WIN0 : s.chips < 0 ? WIN1 : ZERO;
  return [s.chips, 0 - s.chips]; // 0 - x, never -0
}

const ZERO: readonly number[] = Object.freeze([0, 0]);
const WIN0: readonly number[] = Object.freeze([1, -1]);
const WIN1: readonly number[] = Object.freeze([-1, 1]);

/** Largest |return| for these params. */
export const maxUtilityOf = (p: KuhnParams): number => (scoringOf(p) === 'winner' ? 1 : 2 * p.rounds);

/**
 * A state `seat` cannot tell apart from `s`: the opponent's unseen cards (the hand in play,
 * and earlier hands that ended in a fold) are redrawn from the cards `seat` did not hold.
 */
export function resampleHidden(s: KuhnState, seat: Seat, rng: Rng): KuhnState {
  const hands = s.hands.map((h) => (h.showdown ? h : { ...h, cards: redrawOpponent(h.cards, seat, rng) as [number, number] }));
  let cards = s.cards.slice();
  if (cards.length === 2) cards = redrawOpponent(cards, seat, rng);
  else if (cards.length === 1 && seat === 1) cards = [rng.int(NUM_CARDS)]; // seat 1 has no card yet: any card
  return { ...s, hands, cards };
}

function redrawOpponent(cards: readonly number[], seat: Seat, rng: Rng): number[] {
  const out = cards.slice();
  const choices = [0, 1, 2].filter((c) => c !== cards[seat]);
  out[1 - seat] = choices[rng.int(choices.length)]!;
  return out;
}
