/**
 * The ratings part of the error catalog. Rating modules are pure, so every error here is
 * about bad input (a score, a match shape, a stored table) or a fit that cannot converge.
 */
import { errorClass } from '../../envs/index.ts';

export const RATING_ERROR_CODES = {
  'bad-rating-settings': 'rating settings do not pass their schema',
  'bad-score': 'a pairwise score is not a number in [0, 1] (1 win, 0.5 draw, 0 loss)',
  'bad-match': 'the teams, ranks, scores or returns of a match do not fit together',
  'bad-rating-table': 'a serialized rating table does not pass its schema',
  'unknown-agent': 'the agent has no rating data',
  'no-convergence': { description: 'the Bradley–Terry fit did not converge', status: 500, exit: 1 }, // a failure, not bad input
} as const;

export type RatingErrorCode = keyof typeof RATING_ERROR_CODES;

export class RatingError extends errorClass<RatingErrorCode>('RatingError', RATING_ERROR_CODES) {}
