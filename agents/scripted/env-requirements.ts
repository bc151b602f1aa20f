/** Checks run when a search agent is created, so a misfit is a clear error before play. */
import type { AnyEnv } from '../../envs/index.ts';
import { AgentUnsupportedEnvError } from '../errors.ts';

/** Searching the true state of a hidden-information game would see the opponents' cards. */
export function requirePerfectInformation(kind: string, env: AnyEnv): void {
  if (env.spec.information !== 'perfect') {
    throw new AgentUnsupportedEnvError(
      kind,
      env.key,
      'it has hidden information and this agent would search the true state',
      'use ismcts, which searches determinisations of what its seat knows',
    );
  }
}

/** Minimax needs alternating moves, two seats, opposed payoffs and nothing hidden. */
export function requireTwoPlayerZeroSum(kind: string, env: AnyEnv, params: unknown): void {
  requirePerfectInformation(kind, env);
  const hint = 'use mcts, which handles any number of seats, simultaneous moves and general-sum payoffs';
  if (env.spec.dynamics !== 'sequential') {
    throw new AgentUnsupportedEnvError(kind, env.key, 'its seats move simultaneously', hint);
  }
  if (env.spec.utility !== 'zero-sum' && env.spec.utility !== 'constant-sum') {
    throw new AgentUnsupportedEnvError(kind, env.key, `its payoffs are ${env.spec.utility}, not zero-sum`, hint);
  }
  const numPlayers = env.dims(params).numPlayers;
  if (numPlayers !== 2) {
    throw new AgentUnsupportedEnvError(kind, env.key, `it has ${numPlayers} seats, not 2`, hint);
  }
}

/** ISMCTS needs a way to sample the hidden part of the state consistently with a seat's view. */
export function requireResampler(kind: string, env: AnyEnv): void {
  if (env.spec.information === 'imperfect' && !env.resampleHidden) {
    throw new AgentUnsupportedEnvError(
      kind,
      env.key,
      'it has hidden information but no resampleHidden',
      'the env must implement resampleHidden(state, seat, rng) for information-set search',
    );
  }
}
