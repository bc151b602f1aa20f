/**
 * Leduc poker, OpenSpiel `leduc_poker` with default parameters (2 players).
 *
 * Six cards (J, Q, K in two suits, ids 0..5, rank = id >> 1). Chance deals a private card to
 * seat 0, then seat 1, and a public card after round 1, each uniform over the cards left
 * (chance action id = card id). Both ante 1. Actions: 0 fold (only when facing a bet),
 * 1 call / check, 2 raise (at most 2 per round; 2 chips in round 1, 4 in round 2). Seat 0
 * opens both rounds. Showdown: a pair with the public card wins, else the higher private
 * rank; equal ranks split. Returns = money - 100, within +-13.
 * Tensor: OpenSpiel's InformationStateTensor (see observe.ts). Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Seat } from '../../core/env.ts';
import { CHANCE, TERMINAL, decision } from '../../core/turns.ts';
import { TENSOR_SIZE, observationTensor, viewOf, writeObservation } from './observe.ts';
import {
  CALL,
  FOLD,
  NUM_CARDS,
  ParamsSchema,
  RAISE,
  StateSchema,
  TERMINAL_PLAYER,
  applyBet,
  chanceOutcomesOf,
  dealCard,
  initialState,
  isFacingBet,
  isLegalBet,
  legalBets,
  resampleOpponent,
  returnsOf,
  type LeducParams,
  type LeducState,
} from './rules.ts';
import { BET_ALIASES, actionText, observationText } from './text.ts';

export type { LeducParams, LeducState } from './rules.ts';

const ActionSchema = z.object({ move: z.enum(['fold', 'call', 'check', 'raise']) });
export type LeducAction = z.infer<typeof ActionSchema>;

const MOVE_IDS: Readonly<Record<LeducAction['move'], ActionId>> = { fold: FOLD, call: CALL, check: CALL, raise: RAISE };

const RULES_TEXT =
  'Leduc poker, a two-player poker game with a six-card deck: jack, queen and king in two suits (spades and hearts). ' +
  'Each player antes 1 chip and is dealt one private card; a public card is dealt after the first betting round. ' +
  'There are two betting rounds and seat 0 acts first in both. On your turn you may [check] (when nobody has bet), ' +
  "[call] (match the other player's bet), [raise] (match, then add 2 chips in round 1 or 4 chips in round 2; at " +
  'most 2 raises per round) or [fold] (only when facing a bet: you give up the pot). A round ends when both players ' +
  'have checked, or when a raise has been called. If nobody folds, the hands are compared: a player whose private ' +
  'card has the same rank as the public card (a pair) wins; otherwise the higher private card wins (king > queen > ' +
  'jack); equal ranks split the pot. Your score is the chips you win or lose, at most 13 either way. ' +
  'Answer with one of the legal actions, for example [call].';

export const leducPoker = defineEnv<LeducState, LeducAction, LeducParams>({
  spec: {
    id: 'leduc-poker',
    version: 1,
    title: 'Leduc poker',
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
  dims: () => ({
    numPlayers: 2,
    numDistinctActions: 3,
    maxChanceOutcomes: NUM_CARDS,
    observationShape: [TENSOR_SIZE],
    maxGameLength: 8,
    minUtility: -13,
    maxUtility: 13,
    utilitySum: 0,
  }),
  init: (params) => initialState(params),
  turn: (s) => (s.player >= 0 ? decision(s.player) : s.player === TERMINAL_PLAYER ? TERMINAL : CHANCE),
  legal: legalBets,
  isLegal: isLegalBet,
  chanceOutcomes: chanceOutcomesOf,
  apply: (s, actor, action) => (actor === 'chance' ? dealCard(s, action) : applyBet(s, actor, action)),
  returns: returnsOf,
  observationTensor,
  writeObservation,
  observationText,
  view: viewOf,
  actionText,
  actionAliases: (_s, _seat, action) => BET_ALIASES[action] ?? [],
  encodeAction: (_s, _seat, a) => MOVE_IDS[a.move],
  decodeAction(s, seat: Seat, action) {
    const move = action === FOLD ? 'fold' : action === RAISE ? 'raise' : isFacingBet(s, seat) ? 'call' : 'check';
    return { move };
  },
  clone: (s) => ({ ...s, cards: s.cards.slice(), round1: s.round1.slice(), round2: s.round2.slice(), ante: [s.ante[0], s.ante[1]] }),
  resampleHidden: resampleOpponent,
});
