/** Errors of the evaluation tools (exploitability, payoff matrices, meta-game Nash). */
import { errorClass } from '../../envs/index.ts';

export const EVALUATE_ERROR_CODES = {
  'not-constant-sum': 'exploitability is defined for zero- and constant-sum games only (NashConv is general)',
  'bad-seat': "the seat is not one of the game's seats",
  'bad-results': 'a match result does not fit (seat count, returns, agent ids)',
  'bad-matrix': 'a payoff matrix is empty, ragged or has non-finite entries',
  'not-two-seat': 'evaluation games pair members two by two; the env has another number of seats',
  'incomplete-matrix': 'a pair of members has no games, so the meta-game matrix has a hole',
  'no-convergence': { description: 'the matrix-game solver did not reach an optimum', status: 500, exit: 1 }, // a failure, not bad input
} as const;

export type EvaluateErrorCode = keyof typeof EVALUATE_ERROR_CODES;

export class EvaluateError extends errorClass<EvaluateErrorCode>('EvaluateError', EVALUATE_ERROR_CODES) {}
