/**
 * The league layer's catalog for what is not population, matchmaking, ratings or evaluation:
 * leagues in a store, their configs, and training runs built on them.
 */
import { errorClass } from '../envs/index.ts';

export const LEAGUE_ERROR_CODES = {
  'unknown-league': { description: 'no league with that name (or id) is in the store', status: 404 },
  'bad-config': 'a league config does not pass its schema or asks for what this runner cannot do',
  'league-config-changed': { description: 'the store holds this league (or run) with another config', status: 409 },
  'league-store-mismatch': {
    description: 'a stored match does not fit the league schedule (another Ludus version wrote the store, or it was edited)',
    status: 409,
  },
  'bad-agents': "the number of agents does not fit the env's seats",
  'not-cooperative': "the league's env is not cooperative (its seats do not share one payoff)",
  'run-exists': { description: 'a training run of that name already exists (resume it or pick another name)', status: 409 },
} as const;

export type LeagueErrorCode = keyof typeof LEAGUE_ERROR_CODES;

export class LeagueError extends errorClass<LeagueErrorCode>('LeagueError', LEAGUE_ERROR_CODES) {}
