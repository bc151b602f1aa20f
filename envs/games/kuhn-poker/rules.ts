/**
 * Kuhn poker rules: the params, the state, dealing, betting and settlement of one or more hands.
 *
 * One hand (OpenSpiel `kuhn_poker`): cards 0, 1, 2 (J < Q < K); chance deals a card to seat 0,
 * then to seat 1; both ante 1; the opener may pass (0) or bet 1 (1); the betting sequences
 * pp, bp, bb, pbp, pbb end the hand. The winner takes the loser's contribution: the ante after
 * a fold or pp, ante + 1 after a called bet.
 * Several hands (TextArena / SPIRAL `KuhnPoker-v1`): `rounds` hands, each dealt afresh; the
 * opener alternates (`alternate`) starting with `firstSeat`; the game is settled by `scoring`
 * ('chips': the chip difference, the default for one hand; 'winner': +1 to the chip leader,
 * -1 to the other, 0 each on a tie, the default for several hands). `spiralCompat` reproduces
 * SPIRAL's quirks: a fixed pot of 2 antes so every hand nets +-ante whatever the betting, seat 1
 * opens the first hand (unless `firstSeat` says otherwise), and the winner of the last hand wins
 * the game even when behind on chips.
 */
import { z } from 'zod';
import type { ActionId, ChanceOutcome, Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { TextWrapperSchema } from '../../textarena/messages.ts';
import { ForfeitSchema, textArenaParams } from '../../textarena/rules.ts';

export const PASS = 0;
export const BET = 1;
export const BET_SIZE = 1;
export const NUM_CARDS = 3;
export const MAX_ROUNDS = 100;
export const CARD_NAMES = ['J', 'Q', 'K'] as const;

export const ParamsSchema = z
  .strictObject({
    /** Hands per game. */
    rounds: z.number().int().min(1).max(MAX_ROUNDS).default(1),
    /** Chips each seat puts in the pot before every hand. */
    ante: z.number().int().min(1).max(100).default(1),
    /** How the game is settled; default 'chips' for one hand, 'winner' for several (and under spiralCompat). */
    scoring: z.enum(['chips', 'winner']).optional(),
    /** Seat that opens the first hand; default 0, or 1 under spiralCompat. */
    firstSeat: z.union([z.literal(0), z.literal(1)]).optional(),
    /** Whether the opener alternates from hand to hand. */
    alternate: z.boolean().default(true),
    spiralCompat: z.boolean().default(false),
    // TextArena format (textarena.ts); optional, so default params serialize as before.
    textFormat: textArenaParams.textFormat.removeDefault().optional(),
    /** 'llm' (SPIRAL's wrapper for Kuhn, the default) or 'firstlast'. */
    textWrapper: TextWrapperSchema.optional(),
    errorAllowance: textArenaParams.errorAllowance.removeDefault().optional(),
    invalidRewards: textArenaParams.invalidRewards.removeDefault().optional(),
    parse: textArenaParams.parse.removeDefault().optional(),
  })
  .refine((p) => !(p.spiralCompat && p.scoring === 'chips'), {
    message: 'spiralCompat settles the game by the winner of the last hand; omit scoring or set it to "winner"',
    path: ['scoring'],
  });
export type KuhnParams = z.infer<typeof ParamsSchema>;

export type Betting = 'p' | 'b' | 'pp' | 'pb' | 'bp' | 'bb' | 'pbp' | 'pbb';
const CardSchema = z
  .number()
  .int()
  .min(0)
  .max(NUM_CARDS - 1);

const HandSchema = z.object({
  cards: z.tuple([CardSchema, CardSchema]),
  history: z.enum(['pp', 'bp', 'bb', 'pbp', 'pbb']),
  opener: z.number().int().min(0).max(1),
  winner: z.number().int().min(0).max(1),
  /** Chips the winner won (what the loser lost) in this hand. */
  amount: z.number().int().min(1),
  showdown: z.boolean(),
});
export type KuhnHand = z.infer<typeof HandSchema>;

const FieldsSchema = z.object({
  params: ParamsSchema,
  /** Finished hands, oldest first. */
  hands: z.array(HandSchema),
  /** Cards of the hand in play, in dealing order (seat 0, then seat 1). */
  cards: z.array(CardSchema).max(2),
  /** Betting of the hand in play: 'p' pass/check/fold, 'b' bet/call. */
  history: z.enum(['', 'p', 'b', 'pb']),
  /** Net chips of seat 0 over the finished hands (seat 1 has the negative). */
  chips: z.number().int(),
  /** TextArena format only: every reply, the error count and a forfeit. */
  ta: z
    .object({
      log: z.array(z.object({ seat: z.number().int().min(0).max(1), text: z.string() })),
      errors: z.number().int().min(0),
      forfeit: ForfeitSchema,
    })
    .optional(),
});
export type KuhnState = z.infer<typeof FieldsSchema>;

export const StateSchema = FieldsSchema.superRefine((s, ctx) => {
  const problem = checkState(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const scoringOf = (p: KuhnParams): 'chips' | 'winner' => (p.spiralCompat ? 'winner' : (p.scoring ?? (p.rounds > 1 ? 'winner' : 'chips')));

/** Seat that opens hand `round` (0-based). */
export function openerOf(p: KuhnParams, round: number): Seat {
  const first = p.firstSeat ?? (p.spiralCompat ? 1 : 0);
  return p.alternate ? (first + round) % 2 : first;
}

export const isOver = (s: KuhnState): boolean => s.hands.length >= s.params.rounds;

/** The seat to act in the hand in play (both cards dealt, betting not finished). */
export const actorOf = (s: KuhnState): Seat => (openerOf(s.params, s.hands.length) + s.history.length) % 2;

/** True when the seat to act faces an outstanding bet (its 0 is fold, its 1 is call). */
export const facesBet = (history: string): boolean => history === 'b' || history === 'pb';

/** Chips in the pot of a hand after this betting: the antes plus the bets (the antes only under spiralCompat). */
export function potOf(p: KuhnParams, history: string): number {
  if (p.spiralCompat) return 2 * p.ante;
  let pot = 2 * p.ante;
  for (let i = 0; i < history.length; i++) if (history[i] === 'b') pot += BET_SIZE;
  return pot;
}

export const initialState = (params: KuhnParams): KuhnState => ({
  params,
  hands: [],
  cards: [],
  history: '',
  chips: 0,
  ...(params.textFormat === 'textarena' ? { ta: { log: [], errors: 0, forfeit: null } } : {}),
});

const ONE_THIRD: readonly ChanceOutcome[] = Object.freeze([0, 1, 2].map((action) => Object.freeze({ action, probability: 1 / 3 })));
const HALF: readonly (readonly ChanceOutcome[])[] = [0, 1, 2].map((dealt) =>
  Object.freeze([0, 1, 2].filter((c) => c !== dealt).map((action) => Object.freeze({ action, probability: 1 / 2 }))),
);

export function chanceOutcomesOf(s: KuhnState): readonly ChanceOutcome[] {
  return s.cards.length === 0 ? ONE_THIRD : HALF[s.cards[0]!]!;
}

// Literal objects, not spreads: one hidden class for every state, and faster to build. The
// TextArena format's log (`ta`) rides along when the state has one.
export const deal = (s: KuhnState, card: ActionId): KuhnState => {
  const next: KuhnState = { params: s.params, hands: s.hands, cards: s.cards.length === 0 ? [card] : [s.cards[0]!, card], history: s.history, chips: s.chips };
  return s.ta ? { ...next, ta: s.ta } : next;
};

const isHandOver = (history: string): boolean => history.length === 3 || (history.length === 2 && history !== 'pb');

/** Applies a pass or bet; a finished hand is settled at once and the next one begins. */
export function bet(s: KuhnState, action: ActionId): KuhnState {
  const history = s.history + (action === BET ? 'b' : 'p');
  if (!isHandOver(history)) {
    const next: KuhnState = { params: s.params, hands: s.hands, cards: s.cards, history: history as KuhnState['history'], chips: s.chips };
    return s.ta ? { ...next, ta: s.ta } : next;
  }
  const hand = settle(s.params, s.hands.length, s.cards, history as KuhnHand['history']);
  const won = hand.winner === 0 ? hand.amount : -hand.amount;
  const next: KuhnState = { params: s.params, hands: [...s.hands, hand], cards: [], history: '', chips: s.chips + won };
  return s.ta ? { ...next, ta: s.ta } : next;
}

/** The result of hand `round`, dealt `cards`, that ended with `history`. */
function settle(p: KuhnParams, round: number, cards: readonly number[], history: KuhnHand['history']): KuhnHand {
  const opener = openerOf(p, round);
  const dealt: [number, number] = [cards[0]!, cards[1]!];
  const folder = history === 'bp' ? 1 - opener : history === 'pbp' ? opener : -1;
  const winner = folder >= 0 ? 1 - folder : dealt[0] > dealt[1] ? 0 : 1;
  // A folder never put in a bet (bp: the caller folds; pbp: the opener checked first).
  const amount = p.spiralCompat || !history.endsWith('bb') ? p.ante : p.ante + BET_SIZE;
  return { cards: dealt, history, opener, winner, amount, showdown: folder < 0 };
}

const ZERO: readonly number[] = Object.freeze([0, 0]);
const WIN0: readonly number[] = Object.freeze([1, -1]);
const WIN1: readonly number[] = Object.freeze([-1, 1]);

export function returnsOf(s: KuhnState): readonly number[] {
  if (!isOver(s)) return ZERO;
  if (s.params.spiralCompat) return s.hands[s.hands.length - 1]!.winner === 0 ? WIN0 : WIN1;
  if (scoringOf(s.params) === 'winner') return s.chips > 0 ? WIN0 : s.chips < 0 ? WIN1 : ZERO;
  return [s.chips, 0 - s.chips]; // 0 - x, never -0
}

/** Largest |return| for these params. */
export const maxUtilityOf = (p: KuhnParams): number => (scoringOf(p) === 'winner' ? 1 : (p.ante + BET_SIZE) * p.rounds);

/**
 * A state `seat` cannot tell apart from `s`: the opponent's unseen cards (the hand in play,
 * and earlier hands that ended in a fold) are redrawn uniformly from the cards `seat` did not
 * hold. Folds do not depend on the cards, so chips and results stay as they are.
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

/** Replays the finished hands; a message if the stored results, chips or hand in play are impossible. */
function checkState(s: KuhnState): string | undefined {
  if (s.hands.length > s.params.rounds) return `${s.hands.length} hands finished but the game has ${s.params.rounds} rounds`;
  let chips = 0;
  for (let i = 0; i < s.hands.length; i++) {
    const h = s.hands[i]!;
    if (h.cards[0] === h.cards[1]) return `hand ${i + 1}: both seats hold the same card`;
    const expected = settle(s.params, i, h.cards, h.history);
    if (expected.opener !== h.opener || expected.winner !== h.winner || expected.amount !== h.amount || expected.showdown !== h.showdown) {
      return `hand ${i + 1}: opener, winner, amount or showdown do not match its cards and betting`;
    }
    chips += h.winner === 0 ? h.amount : -h.amount;
  }
  if (chips !== s.chips) return `chips ${s.chips} do not match the finished hands (${chips})`;
  if (isOver(s) && (s.cards.length > 0 || s.history !== '')) return 'cards or betting after the last hand';
  if (s.cards.length === 2 && s.cards[0] === s.cards[1]) return 'both seats hold the same card';
  if (s.cards.length < 2 && s.history !== '') return 'betting before both cards are dealt';
  return undefined;
}
