/**
 * The backend for learner tests, and a game with a fact known by hand: in `one-shot` one
 * seat picks among 3 actions once, action 2 is illegal, action 1 pays 1 and action 0 pays 0,
 * so a learner should move its probability to action 1.
 */
import { z } from 'zod';
import { TERMINAL, decision, defineEnv } from '../../../envs/index.ts';
import { selectBackend } from '../../../agents/runtime/backend.ts';

export const useBackend = () => selectBackend({ log: () => {} });

const NoParamsSchema = z.object({}).strict();
type NoParams = z.infer<typeof NoParamsSchema>;

const OneShotStateSchema = z.object({ params: NoParamsSchema, choice: z.number().int().nullable() });
type OneShotState = z.infer<typeof OneShotStateSchema>;

export const oneShot = defineEnv<OneShotState, number, NoParams>({
  spec: {
    id: 'one-shot',
    version: 1,
    title: 'One shot (test fixture)',
    dynamics: 'sequential',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'general-sum',
    rewardModel: 'terminal',
    players: { min: 1, max: 1 },
    paramsSchema: NoParamsSchema,
    actionSchema: z.number().int(),
    rulesText: 'test game',
  },
  stateSchema: OneShotStateSchema,
  dims: () => ({ numPlayers: 1, numDistinctActions: 3, maxChanceOutcomes: 0, observationShape: [2], maxGameLength: 1, minUtility: 0, maxUtility: 1 }),
  init: (params) => ({ params, choice: null }),
  turn: (s) => (s.choice === null ? decision(0) : TERMINAL),
  legal: () => [0, 1],
  apply: (s, _actor, a) => ({ ...s, choice: a }),
  returns: (s) => [s.choice === 1 ? 1 : 0],
  observationTensor: () => Float32Array.from([1, 0]),
  view: (s) => s,
  encodeAction: (_s, _seat, a) => a,
  decodeAction: (_s, _seat, a) => a,
});

const ForkStateSchema = z.object({ params: NoParamsSchema, pick: z.number().int().nullable(), done: z.boolean() });
type ForkState = z.infer<typeof ForkStateSchema>;

/**
 * `fork`: a two-player zero-sum game whose values are known by hand. Seat 0 picks 0 (seat 0
 * will win) or 1 (seat 1 will win); then seat 1 makes its one forced move and the game ends.
 * Seat 1's position after pick 0 is lost (-1), after pick 1 won (+1).
 */
export const fork = defineEnv<ForkState, number, NoParams>({
  spec: {
    id: 'fork',
    version: 1,
    title: 'Fork (test fixture)',
    dynamics: 'sequential',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: NoParamsSchema,
    actionSchema: z.number().int(),
    rulesText: 'test game',
  },
  stateSchema: ForkStateSchema,
  dims: () => ({
    numPlayers: 2,
    numDistinctActions: 2,
    maxChanceOutcomes: 0,
    observationShape: [4],
    maxGameLength: 2,
    minUtility: -1,
    maxUtility: 1,
    utilitySum: 0,
  }),
  init: (params) => ({ params, pick: null, done: false }),
  turn: (s) => (s.done ? TERMINAL : decision(s.pick === null ? 0 : 1)),
  legal: (s) => (s.pick === null ? [0, 1] : [0]),
  apply: (s, _actor, a) => (s.pick === null ? { ...s, pick: a } : { ...s, done: true }),
  returns: (s) => (!s.done ? [0, 0] : s.pick === 0 ? [1, -1] : [-1, 1]),
  observationTensor: (s) => Float32Array.from([s.pick === null ? 1 : 0, s.pick === 0 ? 1 : 0, s.pick === 1 ? 1 : 0, 1]),
  view: (s) => s,
  encodeAction: (_s, _seat, a) => a,
  decodeAction: (_s, _seat, a) => a,
});
