/**
 * Kuhn poker text: a TextArena-style transcript per viewer ("Starting round r out of N rounds.",
 * "Your card is: Q", "Cards: Player 0 had Q, Player 1 had J", "Showdown: ... wins pot of 2 chips.",
 * and, when the viewer is to act, a last line "Your available actions are: [check], [bet]"),
 * action texts and their aliases for the reply parser.
 * Action 0 reads [check] or [fold], action 1 [bet] or [call], depending on whether the seat
 * faces a bet; a word that does not fit the situation (e.g. [call] when nobody bet) names no
 * legal action.
 */
import type { ActionId, Actor, Viewer } from '../../core/env.ts';
import { BET, CARD_NAMES, PASS, actorOf, facesBet, isOver, openerOf, potOf, scoringOf, type KuhnHand, type KuhnParams, type KuhnState } from './rules.ts';

const OPEN_WORDS = ['check', 'bet'] as const;
const FACING_WORDS = ['fold', 'call'] as const;
const wordsFor = (history: string) => (facesBet(history) ? FACING_WORDS : OPEN_WORDS);

export function moveWord(history: string, action: ActionId): string {
  return wordsFor(history)[action === BET ? 1 : 0];
}

export function actionText(s: KuhnState, actor: Actor, action: ActionId): string {
  if (actor === 'chance') return `deal ${CARD_NAMES[action]} to seat ${s.cards.length}`;
  return `[${moveWord(s.history, action)}]`;
}

/** OpenSpiel's word: "pass" names action 0 (check or fold) in any situation. */
const PASS_ALIASES: readonly string[] = Object.freeze(['pass']);
const NO_ALIASES: readonly string[] = Object.freeze([]);

/**
 * Text-reply names besides the action text. The other situation's words ([call] when nobody
 * bet, [bet] facing a bet) name no legal action.
 */
export const actionAliases = (action: ActionId): readonly string[] => (action === PASS ? PASS_ALIASES : NO_ALIASES);

const player = (seat: number): string => `Player ${seat}`;
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const chipsText = (chips: number): string => `${player(0)} ${signed(chips)}, ${player(1)} ${signed(0 - chips)}`;

function headerLines(p: KuhnParams, viewer: Viewer): string[] {
  const who = viewer === 'spectator' ? 'You are watching' : `You are ${player(viewer)} in`;
  const pot = p.spiralCompat ? `the pot is ${plural(2 * p.ante, 'chip')} whatever the betting (SPIRAL rules)` : 'a bet or a call adds 1 chip to the pot';
  return [`${who} a ${p.rounds} round game of Kuhn Poker.`, `Ante: ${plural(p.ante, 'chip')} per round; ${pot}.`];
}

/** The start of hand `round` and its moves so far, as the viewer saw them. */
function handLines(p: KuhnParams, round: number, cards: readonly number[], history: string, viewer: Viewer): string[] {
  const lines = [`Starting round ${round + 1} out of ${plural(p.rounds, 'round')}.`];
  if (viewer !== 'spectator') {
    const own = cards[viewer];
    lines.push(`Your card is: ${own === undefined ? '(not dealt yet)' : CARD_NAMES[own]}`);
  }
  const opener = openerOf(p, round);
  for (let i = 0; i < history.length; i++) {
    lines.push(`${player((opener + i) % 2)}: [${moveWord(history.slice(0, i), history[i] === 'b' ? BET : PASS)}]`);
  }
  return lines;
}

function outcomeLines(p: KuhnParams, h: KuhnHand): string[] {
  const pot = `${player(h.winner)} wins pot of ${plural(potOf(p, h.history), 'chip')}.`;
  if (!h.showdown) return [`${player(1 - h.winner)} has folded. ${pot}`];
  const [c0, c1] = h.cards.map((c) => CARD_NAMES[c]!);
  const loser = 1 - h.winner;
  return [
    `Cards: Player 0 had ${c0}, Player 1 had ${c1}`,
    `Showdown: ${player(h.winner)}'s ${CARD_NAMES[h.cards[h.winner]!]} beats ${player(loser)}'s ${CARD_NAMES[h.cards[loser]!]}. ${pot}`,
  ];
}

function resultLine(s: KuhnState): string {
  const { rounds } = s.params;
  if (s.params.spiralCompat) {
    const last = s.hands[s.hands.length - 1]!;
    return `Game over: ${player(last.winner)} won the last round and is declared the winner (SPIRAL rules); chips: ${chipsText(s.chips)}.`;
  }
  if (scoringOf(s.params) === 'chips') return `Game over: ${player(0)} ${signed(s.chips)} chips, ${player(1)} ${signed(0 - s.chips)} chips.`;
  if (s.chips === 0) return `Game over: at the end of all ${plural(rounds, 'round')} both players had the same number of chips; the game is a draw.`;
  return `Game over: ${player(s.chips > 0 ? 0 : 1)} won by having more chips at the end of all ${plural(rounds, 'round')} (${chipsText(s.chips)}).`;
}

/** What the viewer is told about the hand in play once the transcript is done. */
function statusLines(s: KuhnState, viewer: Viewer): string[] {
  if (s.cards.length < 2) return ['Waiting for the cards to be dealt.'];
  const pot = `Pot: ${plural(potOf(s.params, s.history), 'chip')}.`;
  const actor = actorOf(s);
  if (viewer !== actor) return [pot, `Waiting for ${player(actor)} to act.`];
  const [zero, one] = wordsFor(s.history);
  return [pot, `Your available actions are: [${zero}], [${one}]`];
}

export function observationText(s: KuhnState, viewer: Viewer): string {
  const p = s.params;
  const lines = headerLines(p, viewer);
  let chips = 0;
  s.hands.forEach((h, round) => {
    lines.push(...handLines(p, round, h.cards, h.history, viewer), ...outcomeLines(p, h));
    chips += h.winner === 0 ? h.amount : -h.amount;
    if (p.rounds > 1) lines.push(`Chips after round ${round + 1}: ${chipsText(chips)}.`);
  });
  if (isOver(s)) return [...lines, resultLine(s)].join('\n');
  return [...lines, ...handLines(p, s.hands.length, s.cards, s.history, viewer), ...statusLines(s, viewer)].join('\n');
}
