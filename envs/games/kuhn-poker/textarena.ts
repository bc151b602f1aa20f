/**
 * Kuhn poker in `textFormat: 'textarena'`: the messages and move rules of SPIRAL's
 * KuhnPoker-v1 on TextArena 0.6.4. A reply is judged by the first `[check]`, `[bet]`,
 * `[fold]` or `[call]` in it (any case); no such token, or one that does not fit the betting,
 * is an invalid move under the error allowance. As in TextArena, the error count only resets
 * when a move passes the turn inside a hand, so it carries over a hand's end.
 * Every reply is kept in `ta.log`; each player's messages are rebuilt from it and the dealt
 * cards, and shown through the LLM wrapper (default) or FirstLast.
 */
import type { Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { GAME, broadcast, emptyInbox, send, wrap, type Inbox } from '../../textarena/messages.ts';
import { drawMessage, invalidMove, winMessage, type Forfeit } from '../../textarena/rules.ts';
import { SPIRAL_INVALID_ACTION, spiralExtract } from '../../textarena/spiral.ts';
import { BET, CARD_NAMES, PASS, facesBet, openerOf, potOf, type KuhnParams, type KuhnState } from './rules.ts';

export type TaLog = NonNullable<KuhnState['ta']>;

const MOVE = /\[(Check|Bet|Fold|Call)\]/i;
const NO_MOVE = 'Action must be [Check], [Bet], [Call], or [Fold].';

const wordsOf = (history: string): readonly [string, string] => (facesBet(history) ? ['fold', 'call'] : ['check', 'bet']);
const listOf = (history: string): string =>
  wordsOf(history)
    .map((w) => `[${w}]`)
    .join(', ');

export function prompt(p: KuhnParams, seat: Seat): string {
  return (
    `You are Player ${seat} in a ${p.rounds} round game of Kuhn Poker.\n` +
    'Game Rules:\n' +
    '- Kuhn Poker uses a 3-card deck with J, Q, K (J lowest, K highest)\n' +
    `- Each player antes ${p.ante} chip and receives 1 card each round\n` +
    `- Game continues for ${p.rounds} rounds\n` +
    '- The player with the most chips after all rounds wins\n\n' +
    'Action Rules:\n' +
    "- '[check]': Pass without betting (only if no bet is on the table)\n" +
    "- '[bet]': Add 1 chip to the pot (only if no bet is on the table)\n" +
    "- '[call]': Match an opponent's bet by adding 1 chip to the pot\n" +
    "- '[fold]': Surrender your hand and let your opponent win the pot\n\n"
  );
}

/** The game's verdict on a reply, given the betting so far in the hand: the action, or why not. */
export function judge(history: string, text: string): { action: number } | { reason: string } {
  const m = MOVE.exec(text);
  if (!m) return { reason: NO_MOVE };
  const word = m[1]!.toLowerCase();
  const [zero, one] = wordsOf(history);
  if (word === zero) return { action: PASS };
  if (word === one) return { action: BET };
  return { reason: `Action must be ${listOf(history)}.` };
}

const isHandOver = (history: string): boolean => history.length === 3 || (history.length === 2 && history !== 'pb');

function startRound(inbox: Inbox, p: KuhnParams, round: number, cards: readonly number[]): void {
  const opener = openerOf(p, round);
  for (const seat of [0, 1]) {
    let text = `Starting round ${round + 1} out of ${p.rounds} rounds.\nYour card is: ${CARD_NAMES[cards[seat]!]}\n`;
    if (seat === opener) text += `Your available actions are: ${listOf('')}`;
    send(inbox, seat, GAME, text);
  }
}

/** Messages at the end of hand `round`; `chips` is seat 0's running total after it. */
function endRound(inbox: Inbox, p: KuhnParams, s: KuhnState, round: number): void {
  const hand = s.hands[round]!;
  const pot = potOf(p, hand.history);
  const winner = hand.winner;
  if (hand.showdown) {
    const [c0, c1] = hand.cards.map((c) => CARD_NAMES[c]!);
    broadcast(inbox, GAME, `Cards: Player 0 had ${c0}, Player 1 had ${c1}`);
    broadcast(
      inbox,
      GAME,
      `Showdown: Player ${winner}'s ${CARD_NAMES[hand.cards[winner]!]} beats ` +
        `Player ${1 - winner}'s ${CARD_NAMES[hand.cards[1 - winner]!]}. Player ${winner} wins pot of ${pot} chips.`,
    );
  } else {
    broadcast(inbox, GAME, `Player ${1 - winner} has folded.`);
  }
  if (round + 1 < p.rounds) return;
  // SPIRAL declares the winner of the last hand; correct rules compare the chips.
  const leader = p.spiralCompat ? winner : s.chips > 0 ? 0 : s.chips < 0 ? 1 : -1;
  if (leader < 0) broadcast(inbox, GAME, drawMessage(`At the end of ${p.rounds} rounds, both players had the same number of chips.`));
  else broadcast(inbox, GAME, winMessage(leader, `Player ${leader} won by having more chips at the end of all ${p.rounds} rounds.`));
}

/** Each player's messages, rebuilt from the replies and the dealt cards. */
export function inboxOf(s: KuhnState, ta: TaLog, allowance: number): Inbox {
  const p = s.params;
  const inbox = emptyInbox(2);
  for (const seat of [0, 1]) send(inbox, seat, GAME, prompt(p, seat));
  const cardsOf = (round: number): readonly number[] | undefined =>
    s.hands[round]?.cards ?? (round === s.hands.length && s.cards.length === 2 ? s.cards : undefined);
  let round = 0;
  let history = '';
  let errors = 0;
  const first = cardsOf(0);
  if (first) startRound(inbox, p, 0, first);
  for (const { seat, text } of ta.log) {
    broadcast(inbox, seat, text);
    const verdict = judge(history, text);
    if ('reason' in verdict) {
      const next = invalidMove(inbox, seat, verdict.reason, errors, allowance);
      if (next !== 'forfeit') errors = next;
      continue;
    }
    history += verdict.action === BET ? 'b' : 'p';
    if (!isHandOver(history)) {
      send(inbox, 1 - seat, GAME, `Your available actions are: ${listOf(history)}`);
      errors = 0;
      continue;
    }
    endRound(inbox, p, s, round);
    round++;
    history = '';
    const cards = cardsOf(round);
    if (cards && round < p.rounds) startRound(inbox, p, round, cards);
  }
  return inbox;
}

export function observationText(s: KuhnState, ta: TaLog, seat: Seat): string {
  return wrap(s.params.textWrapper ?? 'llm', inboxOf(s, ta, s.params.errorAllowance ?? 0)[seat]!);
}

/** SPIRAL's action list: the bracketed tokens on the observation's last line, minus [GAME]. */
export function spiralActions(observation: string): string[] {
  const lines = observation.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  return [...last.matchAll(/\[(.*?)\]/g)].map((m) => `[${m[1]}]`).filter((a) => a !== '[GAME]');
}

export interface TextOutcome {
  readonly action?: number;
  readonly received: string;
  readonly reason?: string;
  readonly spiralInvalid: boolean;
}

export function receive(s: KuhnState, ta: TaLog, seat: Seat, reply: string): TextOutcome {
  const received = s.params.parse === 'spiral' ? spiralExtract(reply, spiralActions(observationText(s, ta, seat))) : reply;
  const verdict = judge(s.history, received);
  const spiralInvalid = s.params.parse === 'spiral' && received === SPIRAL_INVALID_ACTION;
  return 'action' in verdict ? { action: verdict.action, received, spiralInvalid } : { received, reason: verdict.reason, spiralInvalid };
}

/** The log after a valid move; the error count resets only if the hand goes on. */
export function afterValid(s: KuhnState, ta: TaLog, seat: Seat, action: number, received: string): TaLog {
  const history = s.history + (action === BET ? 'b' : 'p');
  return { log: [...ta.log, { seat, text: received }], errors: isHandOver(history) ? ta.errors : 0, forfeit: null };
}

export function afterInvalid(s: KuhnState, ta: TaLog, seat: Seat, outcome: TextOutcome): TaLog {
  const ends = outcome.spiralInvalid || ta.errors >= (s.params.errorAllowance ?? 0);
  const reason = outcome.reason ?? NO_MOVE;
  const forfeit: Forfeit | null = !ends ? null : outcome.spiralInvalid ? { seat, reason, spiral: true } : { seat, reason };
  return { log: [...ta.log, { seat, text: outcome.received }], errors: ends ? ta.errors : ta.errors + 1, forfeit };
}

export const wordText = (history: string, action: number): string => `[${wordsOf(history)[action === BET ? 1 : 0]}]`;

export function sampleReply(s: KuhnState, rng: Rng, valid: boolean): string {
  const [zero, one] = wordsOf(s.history);
  const spiral = s.params.parse === 'spiral';
  if (valid) {
    const word = rng.pick([zero, one]);
    return spiral ? rng.pick([`\\boxed{${word}}`, `I hold my card. \\boxed{[${word}]}`]) : rng.pick([`[${word}]`, `I will [${word.toUpperCase()}]`]);
  }
  const [wrongA, wrongB] = wordsOf(facesBet(s.history) ? '' : 'b');
  const kinds = ['I pass on this.', `[${rng.pick([wrongA, wrongB])}]`, '[raise]'];
  if (spiral) kinds.push(`\\boxed{${zero.toUpperCase()}}`);
  return rng.pick(kinds);
}
