/**
 * Kuhn poker: OpenSpiel `kuhn_poker` rules and action ids by default (one hand; chance
 * outcome = card 0/1/2 dealt to seat 0, then seat 1; 0 = pass/check/fold, 1 = bet/call;
 * returns +-1 or +-2), and the multi-hand TextArena / SPIRAL `KuhnPoker-v1` variant through
 * params (`rounds`, `ante`, `firstSeat`, `alternate`, `scoring`, `spiralCompat`; see rules.ts).
 * Tensor: OpenSpiel's information-state tensor, one block per hand (observe.ts), so infosets
 * are (seat, tensor). Text: TextArena's messages (text.ts). Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { Seat } from '../../core/env.ts';
import { CHANCE, TERMINAL, decision } from '../../core/turns.ts';
import { observationTensor, tensorSize, viewOf } from './observe.ts';
import {
  BET, NUM_CARDS, PASS, ParamsSchema, StateSchema, actorOf, bet, chanceOutcomesOf, deal, facesBet, initialState, isOver,
  maxUtilityOf, resampleHidden, returnsOf, type KuhnParams, type KuhnState,
} from './rules.ts';
import { actionAliases, actionText, moveWord, observationText } from './text.ts';

export type { KuhnParams, KuhnState } from './rules.ts';

const ActionSchema = z.object({ move: z.enum(['pass', 'check', 'bet', 'fold', 'call']) });
export type KuhnAction = z.infer<typeof ActionSchema>;

const LEGAL = Object.freeze([PASS, BET]);

const RULES_TEXT =
  'Kuhn poker, a two-player poker game with a three-card deck: jack (J) < queen (Q) < king (K). In each round both '
  + 'players put an ante (1 chip unless the game says otherwise) in the pot and get one private card; the third card '
  + 'is not used. The opening player may [check] or [bet] 1 chip. After a check, the other player may [check] '
  + '(showdown) or [bet]. Facing a bet, a player may [fold] (give up the pot) or [call] (add 1 chip, then showdown). '
  + 'At a showdown the higher card wins the pot. With one round your score is the chips you win or lose (1 or 2 with '
  + 'an ante of 1). With several rounds the first player alternates and the player with more chips after the last '
  + 'round wins (+1, the other -1; a tie is a draw). Answer with exactly one of the available actions, for example [bet].';

export const kuhnPoker = defineEnv<KuhnState, KuhnAction, KuhnParams>({
  spec: {
    id: 'kuhn-poker',
    version: 1,
    title: 'Kuhn poker',
    dynamics: 'sequential',
    chance: 'explicit',
    information: 'imperfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: 2,
    maxChanceOutcomes: NUM_CARDS,
    observationShape: [tensorSize(p.rounds)],
    maxGameLength: 3 * p.rounds,
    minUtility: -maxUtilityOf(p),
    maxUtility: maxUtilityOf(p),
    utilitySum: 0,
  }),
  init: (params) => initialState(params),
  turn: (s) => (isOver(s) ? TERMINAL : s.cards.length < 2 ? CHANCE : decision(actorOf(s))),
  legal: () => LEGAL,
  isLegal: (_s, _seat, action) => action === PASS || action === BET,
  chanceOutcomes: chanceOutcomesOf,
  apply: (s, actor, action) => (actor === 'chance' ? deal(s, action) : bet(s, action)),
  returns: returnsOf,
  observationTensor,
  observationText,
  view: viewOf,
  actionText,
  actionAliases: (_s, _seat, action) => actionAliases(action),
  encodeAction(s, _seat, a) {
    if (a.move === 'pass') return PASS;
    const facing = facesBet(s.history);
    if (a.move === 'check' || a.move === 'bet') return facing ? undefined : a.move === 'bet' ? BET : PASS;
    return facing ? (a.move === 'call' ? BET : PASS) : undefined; // a word that does not fit names no action
  },
  decodeAction: (s, _seat: Seat, action) => ({ move: moveWord(s.history, action) as KuhnAction['move'] }),
  clone: (s) => ({ ...s, hands: s.hands.map((h) => ({ ...h, cards: [h.cards[0], h.cards[1]] })), cards: s.cards.slice() }),
  resampleHidden,
});
