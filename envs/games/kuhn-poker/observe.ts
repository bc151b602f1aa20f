/**
 * Kuhn poker observations. The tensor is OpenSpiel's information-state tensor, which has
 * perfect recall, so a (seat, tensor) pair is an infoset:
 *   player one-hot [2], then per hand: own card one-hot [3], betting [3 rows x 2] (row i =
 *   the hand's i-th action, column 0 pass, 1 bet), and, only when rounds > 1, the opponent's
 *   card one-hot [3] once shown at a showdown.
 * With one hand this is exactly OpenSpiel's 11 values. The spectator's tensor has no player
 * bits; its card slots hold seat 0's and seat 1's cards, filled only after a showdown.
 */
import type { JsonValue, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import { CARD_NAMES, actorOf, facesBet, isOver, type KuhnHand, type KuhnState } from './rules.ts';

export const perHandSize = (rounds: number): number => (rounds > 1 ? 12 : 9);
export const tensorSize = (rounds: number): number => 2 + rounds * perHandSize(rounds);

export function observationTensor(s: KuhnState, viewer: Viewer): Float32Array {
  const { rounds } = s.params;
  const t = zeros(tensorSize(rounds));
  const per = perHandSize(rounds);
  if (viewer !== 'spectator') t[viewer] = 1;
  for (let r = 0; r < s.hands.length; r++) writeHand(t, 2 + r * per, rounds, s.hands[r]!.cards, s.hands[r]!.history, viewer, s.hands[r]!.showdown);
  if (!isOver(s)) writeHand(t, 2 + s.hands.length * per, rounds, s.cards, s.history, viewer, false);
  return t;
}

function writeHand(t: Float32Array, at: number, rounds: number, cards: readonly number[], history: string, viewer: Viewer, showdown: boolean): void {
  const own = viewer === 'spectator' ? (showdown ? cards[0] : undefined) : cards[viewer];
  if (own !== undefined) t[at + own] = 1;
  for (let i = 0; i < history.length; i++) t[at + 3 + 2 * i + (history[i] === 'b' ? 1 : 0)] = 1;
  if (rounds > 1 && showdown) {
    const other = viewer === 'spectator' ? cards[1]! : cards[1 - viewer]!;
    t[at + 9 + other] = 1;
  }
}

/** Chips in the pot of the hand in play: antes plus bets (always 2 under spiralCompat). */
export function potOf(s: KuhnState): number {
  if (s.params.spiralCompat) return 2;
  let pot = 2;
  for (const a of s.history) if (a === 'b') pot++;
  return pot;
}

const cardName = (c: number | undefined): string | null => (c === undefined ? null : CARD_NAMES[c]!);

function handView(h: KuhnHand, viewer: Viewer): JsonValue {
  const visible = (seat: number) => h.showdown || viewer === seat;
  return {
    cards: [visible(0) ? cardName(h.cards[0]) : null, visible(1) ? cardName(h.cards[1]) : null],
    betting: h.history, opener: h.opener, winner: h.winner, amount: h.amount, showdown: h.showdown,
  };
}

export function viewOf(s: KuhnState, viewer: Viewer): JsonValue {
  const over = isOver(s);
  return {
    rounds: s.params.rounds,
    hand: over ? s.params.rounds : s.hands.length + 1,
    chips: [s.chips, 0 - s.chips],
    pot: over ? 0 : potOf(s),
    cards: over ? [null, null] : [0, 1].map((seat) => (viewer === seat ? cardName(s.cards[seat]) : null)),
    betting: over ? '' : s.history,
    toAct: over || s.cards.length < 2 ? null : actorOf(s),
    facingBet: !over && facesBet(s.history),
    hands: s.hands.map((h) => handView(h, viewer)),
    over,
  };
}
