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
    id: 'one-shot', version: 1, title: 'One shot (test fixture)', dynamics: 'sequential', chance: 'deterministic',
    information: 'perfect', utility: 'general-sum', rewardModel: 'terminal', players: { min: 1, max: 1 },
    paramsSchema: NoParamsSchema, actionSchema: z.number().int(), rulesText: 'test game',
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
