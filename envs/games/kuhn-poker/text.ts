/**
 * Kuhn poker text: prompts in TextArena's words ("Starting round r out of N rounds.",
 * "Your card is: Q", "Your available actions are: [check], [bet]") and a parser for replies.
 * Action 0 reads [check] or [fold], action 1 [bet] or [call], depending on whether the seat
 * faces a bet; a word that does not fit the situation (e.g. [call] when nobody bet) names no
 * legal action.
 */
import type { ActionId, Actor, Seat, Viewer } from '../../core/env.ts';
import { potOf } from './observe.ts';
import { BET, CARD_NAMES, PASS, actorOf, facesBet, isOver, scoringOf, type KuhnHand, type KuhnState } from './rules.ts';

const WORDS: Readonly<Record<string, readonly [string, string]>> = { open: ['check', 'bet'], facing: ['fold', 'call'] };

export function moveWord(history: string, action: ActionId): string {
  return WORDS[facesBet(history) ? 'facing' : 'open']![action === BET ? 1 : 0]!;
}

export function actionText(s: KuhnState, actor: Actor, action: ActionId): string {
  if (actor === 'chance') return `deal ${CARD_NAMES[action]} to seat ${s.cards.length}`;
  return `[${moveWord(s.history, action)}]`;
}

/** "[Bet]", "I will [call]", "pass": the first bracketed move word, if it fits the situation. */
export function parseMove(s: KuhnState, reply: string): ActionId | undefined {
  const m = /\[\s*(check|bet|fold|call|pass)\s*\]/i.exec(reply) ?? /^\s*(check|bet|fold|call|pass)\s*\.?\s*$/i.exec(reply);
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  if (word === 'pass') return PASS;
  const [zero, one] = WORDS[facesBet(s.history) ? 'facing' : 'open']!;
  return word === zero ? PASS : word === one ? BET : undefined;
}

const SEAT = (seat: number) => `Player ${seat}`;

function handLine(h: KuhnHand, index: number, viewer: Viewer): string {
  const show = (seat: number) => (h.showdown || viewer === seat ? CARD_NAMES[h.cards[seat]!] : '?');
  const moves = [...h.history].map((a, i) => `${SEAT((h.opener + i) % 2)} ${moveWord(h.history.slice(0, i), a === 'b' ? BET : PASS)}`).join(', ');
  const how = h.showdown ? 'showdown' : `${SEAT(1 - h.winner)} folded`;
  return `Round ${index + 1}: Player 0 had ${show(0)}, Player 1 had ${show(1)}; ${moves}; ${how}, ${SEAT(h.winner)} won ${h.amount} chip${h.amount > 1 ? 's' : ''}.`;
}

function resultLine(s: KuhnState): string {
  const last = s.hands[s.hands.length - 1]!;
  if (s.params.spiralCompat) return `Game over: ${SEAT(last.winner)} won the last round and is declared the winner (SPIRAL rules).`;
  if (scoringOf(s.params) === 'chips') return `Game over: Player 0 ${signed(s.chips)} chips, Player 1 ${signed(0 - s.chips)} chips.`;
  return s.chips === 0 ? 'Game over: the chips are level, the game is a draw.' : `Game over: ${SEAT(s.chips > 0 ? 0 : 1)} won by having more chips.`;
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

export function observationText(s: KuhnState, viewer: Viewer): string {
  const { rounds } = s.params;
  const lines = [viewer === 'spectator' ? `You are watching a ${rounds} round game of Kuhn poker.` : `You are Player ${viewer} in a ${rounds} round game of Kuhn Poker.`];
  s.hands.forEach((h, i) => lines.push(handLine(h, i, viewer)));
  if (rounds > 1) lines.push(`Chips: Player 0 ${signed(s.chips)}, Player 1 ${signed(0 - s.chips)}.`);
  if (isOver(s)) {
    lines.push(resultLine(s));
    return lines.join('\n');
  }
  lines.push(`Starting round ${s.hands.length + 1} out of ${rounds} rounds.`);
  if (viewer !== 'spectator') lines.push(`Your card is: ${s.cards[viewer] === undefined ? '(not dealt yet)' : CARD_NAMES[s.cards[viewer]!]}`);
  if (s.cards.length < 2) {
    lines.push('Waiting for the cards to be dealt.');
    return lines.join('\n');
  }
  return [...lines, ...bettingLines(s, viewer)].join('\n');
}

function bettingLines(s: KuhnState, viewer: Viewer): string[] {
  const opener = actorOf({ ...s, history: '' });
  const moves = [...s.history].map((a, i) => `${SEAT((opener + i) % 2)} ${moveWord(s.history.slice(0, i), a === 'b' ? BET : PASS)}s`);
  const out = [`Pot: ${potOf(s)} chips.${moves.length ? ` ${moves.join(', ')}.` : ''}`];
  const actor: Seat = actorOf(s);
  if (viewer === actor) out.push(`Your available actions are: [${moveWord(s.history, PASS)}], [${moveWord(s.history, BET)}]`);
  else out.push(`Waiting for ${SEAT(actor)} to act.`);
  return out;
}
