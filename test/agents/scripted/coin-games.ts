/**
 * Tiny perfect-information games with a chance node, whose optimal choices are known by
 * hand, for testing how search agents treat chance and per-seat returns.
 *
 * `coin-gamble`: each of `seats` seats in turn picks safe (0) or gamble (1); then one coin
 * lands heads with probability `p`. Safe pays 0.5; gamble pays 1 on heads, 0 on tails
 * (general-sum). A seat's best choice is gamble iff p > 0.5.
 * `coin-duel`: seat 0 picks safe (returns [0.1, -0.1]) or gamble; on a gamble a coin lands
 * heads with probability `p` ([1, -1]) or tails ([-1, 1]); seat 1 then passes (action 0),
 * so the game has two decisions. Zero-sum; gamble is worth 2p - 1, better than safe iff p > 0.55.
 */
import { z } from 'zod';
import { CHANCE, TERMINAL, decision, defineEnv } from '../../../envs/index.ts';

const GambleParamsSchema = z.object({ seats: z.number().int().min(1).max(5).default(3), p: z.number().min(0).max(1).default(0.8) });
type GambleParams = z.infer<typeof GambleParamsSchema>;
const GambleStateSchema = z.object({ params: GambleParamsSchema, choices: z.array(z.number().int()), coin: z.number().int().nullable() });
type GambleState = z.infer<typeof GambleStateSchema>;

export const coinGamble = defineEnv<GambleState, number, GambleParams>({
  spec: {
    id: 'coin-gamble',
    version: 1,
    title: 'Coin gamble',
    dynamics: 'sequential',
    chance: 'explicit',
    information: 'perfect',
    utility: 'general-sum',
    rewardModel: 'terminal',
    players: { min: 1, max: 5 },
    paramsSchema: GambleParamsSchema,
    actionSchema: z.number().int(),
    rulesText: 'test game',
  },
  stateSchema: GambleStateSchema,
  dims: (p) => ({
    numPlayers: p.seats,
    numDistinctActions: 2,
    maxChanceOutcomes: 2,
    observationShape: [1],
    maxGameLength: p.seats,
    minUtility: 0,
    maxUtility: 1,
  }),
  init: (params) => ({ params, choices: [], coin: null }),
  turn: (s) => (s.choices.length < s.params.seats ? decision(s.choices.length) : s.coin === null ? CHANCE : TERMINAL),
  legal: () => [0, 1],
  chanceOutcomes: (s) =>
    [
      { action: 0, probability: 1 - s.params.p },
      { action: 1, probability: s.params.p },
    ].filter((o) => o.probability > 0),
  apply: (s, actor, action) => (actor === 'chance' ? { ...s, coin: action } : { ...s, choices: [...s.choices, action] }),
  returns: (s) => s.choices.map((c) => (s.coin === null ? 0 : c === 0 ? 0.5 : s.coin)),
  observationTensor: () => new Float32Array(1),
  view: (s) => s,
  encodeAction: (_s, _seat, a) => a,
  decodeAction: (_s, _seat, a) => a,
});

const DuelParamsSchema = z.object({ p: z.number().min(0).max(1).default(0.6) });
type DuelParams = z.infer<typeof DuelParamsSchema>;
const DuelStateSchema = z.object({ params: DuelParamsSchema, choice: z.number().int().nullable(), coin: z.number().int().nullable(), passed: z.boolean() });
type DuelState = z.infer<typeof DuelStateSchema>;

function duelReturns(s: DuelState): number[] {
  if (!s.passed) return [0, 0];
  if (s.choice === 0) return [0.1, -0.1];
  return s.coin === 1 ? [1, -1] : [-1, 1];
}

export const coinDuel = defineEnv<DuelState, number, DuelParams>({
  spec: {
    id: 'coin-duel',
    version: 1,
    title: 'Coin duel',
    dynamics: 'sequential',
    chance: 'explicit',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: DuelParamsSchema,
    actionSchema: z.number().int(),
    rulesText: 'test game',
  },
  stateSchema: DuelStateSchema,
  dims: () => ({
    numPlayers: 2,
    numDistinctActions: 2,
    maxChanceOutcomes: 2,
    observationShape: [1],
    maxGameLength: 2,
    minUtility: -1,
    maxUtility: 1,
    utilitySum: 0,
  }),
  init: (params) => ({ params, choice: null, coin: null, passed: false }),
  turn: (s) => (s.choice === null ? decision(0) : s.choice === 1 && s.coin === null ? CHANCE : s.passed ? TERMINAL : decision(1)),
  legal: (s) => (s.choice === null ? [0, 1] : [0]),
  chanceOutcomes: (s) =>
    [
      { action: 0, probability: 1 - s.params.p },
      { action: 1, probability: s.params.p },
    ].filter((o) => o.probability > 0),
  apply: (s, actor, action) => (actor === 'chance' ? { ...s, coin: action } : s.choice === null ? { ...s, choice: action } : { ...s, passed: true }),
  returns: duelReturns,
  observationTensor: () => new Float32Array(1),
  view: (s) => s,
  encodeAction: (_s, _seat, a) => a,
  decodeAction: (_s, _seat, a) => a,
});
