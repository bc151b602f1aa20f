/**
 * Errors of the learners (PPO, AlphaZero): bad hyperparameters, rollouts that cannot run, checkpoints
 * that do not load. Codes are stable and kebab-case; the hint says what to do.
 */
import { errorClass } from '../../envs/index.ts';

export const LEARN_ERROR_CODES = {
  'bad-ppo-config': 'PPO hyperparameters do not pass their schema',
  'bad-alphazero-config': 'AlphaZero hyperparameters do not pass their schema',
  'env-not-searchable': 'AlphaZero needs a sequential two-player zero-sum env with perfect information',
  'bad-rollout': 'a rollout cannot run: wrong seat count, an illegal action, or an env the learner cannot play',
  'bad-checkpoint': 'a learner checkpoint is missing, incomplete or does not fit the model',
  'backend-cannot-train': 'the tfjs backend lacks a gradient kernel the network needs (wasm has no convolution gradients)',
} as const;

export type LearnErrorCode = keyof typeof LEARN_ERROR_CODES;

export class LearnError extends errorClass<LearnErrorCode>('LearnError', LEARN_ERROR_CODES) {}
