/**
 * What each viewer sees of a Leduc poker state: the tensor and the JSON view.
 *
 * Seat tensor = OpenSpiel's InformationStateTensor (size 30): observing player one-hot [2],
 * own private card one-hot [6], public card one-hot [6], betting [2 rounds x 4 slots x 2 bits]
 * with call = 10, raise = 01 and fold left as 00 (flat index 14 + round*8 + slot*2 + bit).
 * The spectator's tensor has the same layout holding the public information only: the
 * player bits and the private-card bits stay 0 (even after a showdown).
 * The opponent's card is shown (view, text) only after a showdown, never after a fold.
 */
import type { JsonValue, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import {
  CALL,
  CHANCE_PLAYER,
  NUM_CARDS,
  RAISE,
  folderOf,
  isTerminal,
  potOf,
  returnsOf,
  showdownWinners,
  toPlay,
  visibleCard,
  type LeducState,
} from './rules.ts';
import { betWords, cardName } from './text.ts';

export const TENSOR_SIZE = 2 + 2 * NUM_CARDS + 2 * 4 * 2; // 30
const PRIVATE = 2;
const PUBLIC = PRIVATE + NUM_CARDS;
const BETTING = PUBLIC + NUM_CARDS;

function writeBets(t: Float32Array, bets: readonly number[], offset: number): void {
  for (let i = 0; i < bets.length; i++) {
    const bet = bets[i];
    if (bet === CALL) t[offset + 2 * i] = 1;
    else if (bet === RAISE) t[offset + 2 * i + 1] = 1;
  }
}

export function observationTensor(s: LeducState, viewer: Viewer): Float32Array {
  const t = zeros(TENSOR_SIZE);
  writeObservation(s, viewer, t);
  return t;
}

/** Sets the non-zero entries of the tensor into a zero-filled `t`. */
export function writeObservation(s: LeducState, viewer: Viewer, t: Float32Array): void {
  if (viewer !== 'spectator') {
    t[viewer] = 1;
    const own = s.cards[viewer];
    if (own !== undefined) t[PRIVATE + own] = 1;
  }
  const pub = s.cards[2];
  if (pub !== undefined) t[PUBLIC + pub] = 1;
  writeBets(t, s.round1, BETTING);
  writeBets(t, s.round2, BETTING + 8);
}

function resultView(s: LeducState): JsonValue {
  if (!isTerminal(s)) return null;
  const folder = folderOf(s);
  const returns = returnsOf(s).slice();
  if (folder !== null) return { kind: 'fold', folder, winners: [1 - folder], returns };
  return { kind: 'showdown', winners: showdownWinners(s).slice(), returns };
}

export function viewOf(s: LeducState, viewer: Viewer): JsonValue {
  const name = (card: number | undefined): string | null => (card === undefined ? null : cardName(card));
  return {
    viewer,
    round: s.round,
    toPlay: toPlay(s),
    awaitingChance: s.player === CHANCE_PLAYER,
    cards: [name(visibleCard(s, 0, viewer)), name(visibleCard(s, 1, viewer))],
    publicCard: name(s.cards[2]),
    pot: potOf(s),
    contributions: [s.ante[0], s.ante[1]],
    raisesThisRound: s.raises,
    betting: [betWords(s.round1), betWords(s.round2)],
    result: resultView(s),
  };
}
