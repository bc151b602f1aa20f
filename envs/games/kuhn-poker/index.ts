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
import { observationTensor, tensorSize, viewOf, writeObservation } from './observe.ts';
import {
  BET,
  NUM_CARDS,
  PASS,
  ParamsSchema,
  StateSchema,
  actorOf,
  bet,
  chanceOutcomesOf,
  deal,
  facesBet,
  initialState,
  isOver,
  maxUtilityOf,
  resampleHidden,
  returnsOf,
  type KuhnParams,
  type KuhnState,
} from './rules.ts';
import { actionAliases, actionText, moveWord, observationText } from './text.ts';
import { TEXTARENA_MAX_CHARS, forfeitOutcome, forfeitRange } from '../../textarena/rules.ts';
import * as ta from './textarena.ts';

export type { KuhnParams, KuhnState } from './rules.ts';

const ActionSchema = z.object({ move: z.enum(['pass', 'check', 'bet', 'fold', 'call']) });
export type KuhnAction = z.infer<typeof ActionSchema>;

const LEGAL = Object.freeze([PASS, BET]);

const RULES_TEXT =
  'Kuhn poker, a two-player poker game with a three-card deck: jack (J) < queen (Q) < king (K). In each round both ' +
  'players put an ante (1 chip unless the game says otherwise) in the pot and get one private card; the third card ' +
  'is not used. The opening player may [check] or [bet] 1 chip. After a check, the other player may [check] ' +
  '(showdown) or [bet]. Facing a bet, a player may [fold] (give up the pot) or [call] (add 1 chip, then showdown). ' +
  'At a showdown the higher card wins the pot. With one round your score is the chips you win or lose (1 or 2 with ' +
  'an ante of 1). With several rounds the first player alternates and the player with more chips after the last ' +
  'round wins (+1, the other -1; a tie is a draw). Answer with exactly one of the available actions, for example [bet].';

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
  dims: (p) => {
    const base = {
      numPlayers: 2,
      numDistinctActions: 2,
      maxChanceOutcomes: NUM_CARDS,
      observationShape: [tensorSize(p.rounds)],
      maxGameLength: 3 * p.rounds,
      minUtility: -maxUtilityOf(p),
      maxUtility: maxUtilityOf(p),
      utilitySum: 0,
    };
    if (p.textFormat !== 'textarena') return base;
    const range = forfeitRange(p.invalidRewards ?? 'textarena');
    return {
      ...base,
      maxGameLength: 3 * p.rounds * ((p.errorAllowance ?? 0) + 1),
      utility: 'general-sum' as const,
      minUtility: Math.min(range.min, base.minUtility),
      maxUtility: Math.max(range.max, base.maxUtility),
      textActions: { maxChars: TEXTARENA_MAX_CHARS },
    };
  },
  init: (params) => initialState(params),
  turn: (s) => (isOver(s) || s.ta?.forfeit ? TERMINAL : s.cards.length < 2 ? CHANCE : decision(actorOf(s))),
  legal: () => LEGAL,
  isLegal: (_s, _seat, action) => action === PASS || action === BET,
  chanceOutcomes: chanceOutcomesOf,
  apply(s, actor, action) {
    if (actor === 'chance') return deal(s, action);
    if (!s.ta) return bet(s, action);
    return { ...bet(s, action), ta: ta.afterValid(s, s.ta, actor, action, ta.wordText(s.history, action)) };
  },
  applyText(s, seat, text) {
    const log = s.ta!;
    const outcome = ta.receive(s, log, seat, text);
    if (outcome.action !== undefined) {
      const state = { ...bet(s, outcome.action), ta: ta.afterValid(s, log, seat, outcome.action, outcome.received) };
      return { state, verdict: { kind: 'move', action: outcome.action, summary: ta.wordText(s.history, outcome.action) } };
    }
    const next = ta.afterInvalid(s, log, seat, outcome);
    return {
      state: { ...s, ta: next },
      verdict: {
        kind: 'invalid',
        code: outcome.spiralInvalid ? 'spiral-invalid-action' : 'textarena-invalid-move',
        reason: outcome.reason ?? '',
        final: next.forfeit !== null,
      },
    };
  },
  sampleText: (s, _seat, rng, valid) => ta.sampleReply(s, rng, valid),
  rolePrompt: (s, seat) => (s.ta ? ta.prompt(s.params, seat) : `${RULES_TEXT}\nYou are Player ${seat} in a ${s.params.rounds} round game.`),
  returns: (s) => (s.ta?.forfeit ? forfeitOutcome(s.params, s.ta.forfeit, 2) : returnsOf(s)),
  observationTensor,
  writeObservation,
  observationText: (s, viewer) => (s.ta && viewer !== 'spectator' ? ta.observationText(s, s.ta, viewer) : observationText(s, viewer)),
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
