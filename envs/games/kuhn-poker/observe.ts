/**
 * Kuhn poker observations. The tensor is OpenSpiel's information-state tensor, extended hand by
 * hand, so it has perfect recall and a (seat, tensor) pair is an infoset:
 *   [0, 2)  observing seat one-hot (both 0 for the spectator);
 *   then one block per hand, hand r (0-based) at offset 2 + r * B:
 *     [+0, +3)  own card one-hot (once dealt);
 *     [+3, +9)  betting, 3 rows x 2: row i is the hand's i-th action, column 0 pass, 1 bet;
 *     [+9, +12) only when rounds > 1: the opponent's card one-hot, once shown at a showdown.
 * B = 9 for one hand, so the default tensor is exactly OpenSpiel's 11 values; B = 12 for
 * several hands (size 2 + 12 * rounds). The blocks of finished hands keep their content, so the
 * hand index, the openers and the chips all follow from the tensor. The spectator's tensor has
 * no seat bits; with several hands its two card slots hold seat 0's and seat 1's cards, filled
 * only after a showdown. No tensor shows a card that was folded.
 */
import type { JsonValue, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import { CARD_NAMES, actorOf, facesBet, isOver, openerOf, potOf, returnsOf, type KuhnHand, type KuhnState } from './rules.ts';

export const perHandSize = (rounds: number): number => (rounds > 1 ? 12 : 9);
export const tensorSize = (rounds: number): number => 2 + rounds * perHandSize(rounds);

export function observationTensor(s: KuhnState, viewer: Viewer): Float32Array {
  const t = zeros(tensorSize(s.params.rounds));
  writeObservation(s, viewer, t);
  return t;
}

/** Sets the non-zero entries of the tensor into a zero-filled `t`. */
export function writeObservation(s: KuhnState, viewer: Viewer, t: Float32Array): void {
  const { rounds } = s.params;
  const per = perHandSize(rounds);
  if (viewer !== 'spectator') t[viewer] = 1;
  for (let r = 0; r < s.hands.length; r++) writeHand(t, 2 + r * per, rounds, s.hands[r]!.cards, s.hands[r]!.history, viewer, s.hands[r]!.showdown);
  if (!isOver(s)) writeHand(t, 2 + s.hands.length * per, rounds, s.cards, s.history, viewer, false);
}

function writeHand(t: Float32Array, at: number, rounds: number, cards: readonly number[], history: string, viewer: Viewer, showdown: boolean): void {
  const own = viewer !== 'spectator' ? cards[viewer] : rounds > 1 && showdown ? cards[0] : undefined;
  if (own !== undefined) t[at + own] = 1;
  for (let i = 0; i < history.length; i++) t[at + 3 + 2 * i + (history[i] === 'b' ? 1 : 0)] = 1;
  if (rounds > 1 && showdown) {
    const other = viewer === 'spectator' ? cards[1]! : cards[1 - viewer]!;
    t[at + 9 + other] = 1;
  }
}

const cardName = (c: number | undefined): string | null => (c === undefined ? null : CARD_NAMES[c]!);

function handView(h: KuhnHand, viewer: Viewer): JsonValue {
  const visible = (seat: number) => h.showdown || viewer === seat;
  return {
    cards: [visible(0) ? cardName(h.cards[0]) : null, visible(1) ? cardName(h.cards[1]) : null],
    betting: h.history,
    opener: h.opener,
    winner: h.winner,
    amount: h.amount,
    showdown: h.showdown,
  };
}

export function viewOf(s: KuhnState, viewer: Viewer): JsonValue {
  const over = isOver(s);
  return {
    rounds: s.params.rounds,
    hand: over ? s.params.rounds : s.hands.length + 1,
    chips: [s.chips, 0 - s.chips],
    ante: s.params.ante,
    pot: over ? 0 : potOf(s.params, s.history),
    cards: over ? [null, null] : [0, 1].map((seat) => (viewer === seat ? cardName(s.cards[seat]) : null)),
    betting: over ? '' : s.history,
    opener: over ? null : openerOf(s.params, s.hands.length),
    toAct: over || s.cards.length < 2 ? null : actorOf(s),
    facingBet: !over && facesBet(s.history),
    hands: s.hands.map((h) => handView(h, viewer)),
    over,
    returns: over ? returnsOf(s).slice() : null,
  };
}
