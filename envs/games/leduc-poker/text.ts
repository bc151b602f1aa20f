/**
 * Leduc poker as text: card names, OpenSpiel's information-state string, a readable
 * description for people and language models, action texts and their aliases.
 * Card id = rank * 2 + suit; ranks J, Q, K; suit 0 = spades (s), 1 = hearts (h): 5 = "Kh".
 */
import type { ActionId, Actor, Seat, Viewer } from '../../core/env.ts';
import {
  CALL,
  CHANCE_PLAYER,
  FOLD,
  MAX_RAISES,
  RAISE,
  RAISE_AMOUNT,
  STARTING_MONEY,
  currentSequence,
  folderOf,
  handStrength,
  isFacingBet,
  isTerminal,
  legalBets,
  potOf,
  rankOf,
  returnsOf,
  showdownWinners,
  stakesOf,
  visibleCard,
  type LeducState,
} from './rules.ts';

const RANKS = ['J', 'Q', 'K'] as const;
const RANK_WORDS = ['jack', 'queen', 'king'] as const;
const SUITS = ['s', 'h'] as const;
const SUIT_WORDS = ['spades', 'hearts'] as const;
/** OpenSpiel prints kInvalidCard for a private card not dealt yet. */
const INVALID_CARD = -10000;

export const cardName = (card: number): string => `${RANKS[rankOf(card)]}${SUITS[card & 1]}`;
export const cardLongName = (card: number): string => `${RANK_WORDS[rankOf(card)]} of ${SUIT_WORDS[card & 1]}`;
const describeCard = (card: number): string => `${cardName(card)} (${cardLongName(card)})`;

/** Word per bet of one round: a call with no raise before it in the round is a check. */
export function betWords(bets: readonly number[]): string[] {
  return bets.map((bet, i) => (bet === FOLD ? 'fold' : bet === RAISE ? 'raise' : bets.slice(0, i).includes(RAISE) ? 'call' : 'check'));
}

const ACTION_TEXT = ['[fold]', '[call]', '[raise]'] as const;
const CHECK_TEXT = '[check]';

export function betText(s: LeducState, seat: Seat, action: ActionId): string {
  if (action === CALL && !isFacingBet(s, seat)) return CHECK_TEXT;
  return ACTION_TEXT[action as 0 | 1 | 2] ?? `[${action}]`;
}

export function actionText(s: LeducState, actor: Actor, action: ActionId): string {
  if (actor !== 'chance') return betText(s, actor, action);
  return s.cards.length < 2 ? `deal ${cardName(action)} to seat ${s.cards.length}` : `public card ${cardName(action)}`;
}

/**
 * Text-reply names of each bet besides its action text: "check" and "call" both name action 1
 * (OpenSpiel's Call, which checks when there is no bet), and "bet" names the raise.
 */
export const BET_ALIASES: Readonly<Record<ActionId, readonly string[]>> = {
  [FOLD]: [],
  [CALL]: ['call', 'check'],
  [RAISE]: ['raise', 'bet'],
};

/** The player id OpenSpiel prints: the seat to act, -1 at chance, the last bettor once over. */
function printedPlayer(s: LeducState): number {
  if (!isTerminal(s)) return s.player;
  return (currentSequence(s).length - 1) % 2;
}

/**
 * OpenSpiel's InformationStateString for a seat, e.g.
 * `[Observer: 0][Private: 5][Round 1][Player: 1][Pot: 4][Money: 97 99][Round1: 2][Round2: ]`;
 * for the spectator, the public-information form (no observer, no private card).
 */
export function infoString(s: LeducState, viewer: Viewer): string {
  const over = isTerminal(s);
  const returns = returnsOf(s);
  const money = [0, 1].map((seat) => (over ? STARTING_MONEY + returns[seat]! : STARTING_MONEY - s.ante[seat]!));
  const pub = s.cards[2];
  return (
    (viewer === 'spectator' ? '' : `[Observer: ${viewer}][Private: ${s.cards[viewer] ?? INVALID_CARD}]`) +
    `[Round ${s.round}][Player: ${printedPlayer(s)}][Pot: ${over ? 0 : potOf(s)}][Money: ${money.join(' ')}]` +
    (pub === undefined ? '' : `[Public: ${pub}]`) +
    `[Round1: ${s.round1.join(' ')}][Round2: ${s.round2.join(' ')}]`
  );
}

function handText(s: LeducState, seat: Seat): string {
  const strength = handStrength(s, seat);
  const rank = rankOf(s.cards[seat]!);
  return strength >= 10 ? `a pair of ${RANK_WORDS[rank]}s` : `${RANK_WORDS[rank]} high`;
}

function bettingText(s: LeducState): string {
  const round = (bets: readonly number[]): string => {
    const words = betWords(bets);
    return words.length === 0 ? 'no bets yet' : words.map((w, i) => `seat ${i % 2} ${w}s`).join(', ');
  };
  const second = s.cards[2] === undefined ? 'not started' : round(s.round2);
  return `Betting in round 1: ${round(s.round1)}. Round 2: ${second}.`;
}

const signed = (x: number): string => (x > 0 ? `+${x}` : `${x}`);

function resultText(s: LeducState): string {
  const returns = returnsOf(s);
  const payoff = `Returns: seat 0 ${signed(returns[0]!)}, seat 1 ${signed(returns[1]!)}.`;
  const folder = folderOf(s);
  if (folder !== null) return `Hand over: seat ${folder} folded, seat ${1 - folder} wins the pot of ${potOf(s)}. ${payoff}`;
  const shows = `Showdown: seat 0 shows ${cardName(s.cards[0]!)} (${handText(s, 0)}), seat 1 shows ${cardName(s.cards[1]!)} (${handText(s, 1)}).`;
  const winners = showdownWinners(s);
  const outcome = winners.length === 2 ? `Equal hands: the pot of ${potOf(s)} is split.` : `Seat ${winners[0]} wins the pot of ${potOf(s)}.`;
  return `${shows} ${outcome} ${payoff}`;
}

function costText(s: LeducState, seat: Seat, action: ActionId): string {
  if (action === FOLD) return 'gives up the pot';
  const toCall = stakesOf(s) - s.ante[seat]!;
  if (action === CALL) return toCall === 0 ? 'puts in nothing' : `puts in ${toCall} more`;
  return `puts in ${toCall + RAISE_AMOUNT[s.round]!} more`;
}

function turnText(s: LeducState, viewer: Viewer): string {
  if (isTerminal(s)) return resultText(s);
  if (s.player === CHANCE_PLAYER) return s.cards.length < 2 ? 'The private cards are being dealt.' : 'The public card is being dealt.';
  if (viewer !== s.player) return `Seat ${s.player} to act.`;
  const legal = legalBets(s, s.player);
  const options = legal.map((a) => `${betText(s, s.player, a)} ${costText(s, s.player, a)}`).join(', ');
  return `Your turn: ${options}. Answer with one of: ${legal.map((a) => betText(s, s.player, a)).join(' ')}`;
}

function cardsText(s: LeducState, viewer: Viewer): string {
  const pub = s.cards[2];
  const table = `Public card: ${pub === undefined ? 'not dealt yet (it comes after round 1)' : describeCard(pub)}.`;
  const shown = (seat: Seat): string => {
    const card = visibleCard(s, seat, viewer);
    return card !== undefined ? describeCard(card) : s.cards[seat] === undefined ? 'not dealt yet' : 'hidden';
  };
  if (viewer === 'spectator') return `You are watching. Seat 0's card: ${shown(0)}. Seat 1's card: ${shown(1)}. ${table}`;
  return `You are seat ${viewer}. Your card: ${shown(viewer)}. Seat ${1 - viewer}'s card: ${shown(1 - viewer)}. ${table}`;
}

/** The info string, then a readable description of the hand from this viewer's side. */
export function observationText(s: LeducState, viewer: Viewer): string {
  const pot =
    `Round ${s.round} of 2. Pot: ${potOf(s)} (seat 0 put in ${s.ante[0]}, seat 1 put in ${s.ante[1]}). ` + `Raises this round: ${s.raises} of ${MAX_RAISES}.`;
  return [infoString(s, viewer), `Leduc poker. ${cardsText(s, viewer)}`, pot, bettingText(s), turnText(s, viewer)].join('\n');
}
