/** Errors of matchmaking and the payoff table. Codes are stable and kebab-case. */
import { errorClass } from '../../envs/index.ts';

export const MATCHMAKING_ERROR_CODES = {
  'bad-matchmaking-config': 'the matchmaking config does not pass MatchmakingConfigSchema',
  'bad-payoff': 'a payoff score or serialized payoff table is invalid',
  'empty-population': 'there is no member to match',
  'no-opponents': 'the population has too few members for the strategy and seat count',
  'no-learners': 'the strategy needs a non-frozen learner and there is none',
} as const;

export type MatchmakingErrorCode = keyof typeof MATCHMAKING_ERROR_CODES;

export class MatchmakingError extends errorClass<MatchmakingErrorCode>('MatchmakingError', MATCHMAKING_ERROR_CODES) {}
