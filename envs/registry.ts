/**
 * The explicit list of environments. An env is registered by adding it here; the
 * conformance suite runs over every entry.
 */
import type { AnyEnv } from './core/env.ts';
import { UnknownEnvError } from './core/errors.ts';
import { connectFour } from './games/connect-four/index.ts';
import { kuhnPoker } from './games/kuhn-poker/index.ts';
import { leducPoker } from './games/leduc-poker/index.ts';
import { overcooked } from './games/overcooked/index.ts';
import { rockPaperScissors } from './games/rock-paper-scissors/index.ts';
import { proposeSolve } from './games/propose-solve/index.ts';
import { signalling } from './games/signalling/index.ts';
import { simpleNegotiation } from './games/simple-negotiation/index.ts';
import { slimeVolleyball } from './games/slime-volleyball/index.ts';
import { teamVolley } from './games/team-volley/index.ts';
import { teamVolleyRoles } from './games/team-volley/roles-env.ts';
import { ticTacToe } from './games/tic-tac-toe/index.ts';
import { whoIsTheSpy } from './games/who-is-the-spy/index.ts';

export const ENVS: readonly AnyEnv[] = [
  connectFour,
  ticTacToe,
  rockPaperScissors,
  signalling,
  leducPoker,
  kuhnPoker,
  simpleNegotiation,
  whoIsTheSpy,
  proposeSolve,
  slimeVolleyball,
  teamVolley,
  teamVolleyRoles,
  overcooked,
];

const BY_KEY = new Map<string, AnyEnv>(ENVS.map((env) => [env.key, env]));

export function listEnvs(): readonly AnyEnv[] {
  return ENVS;
}

export function envKeys(): string[] {
  return ENVS.map((env) => env.key);
}

/** Looks an env up by key (`connect-four-v1`), or by bare id for the newest version. */
export function getEnv(key: string): AnyEnv {
  const env = BY_KEY.get(key) ?? latestById(key);
  if (!env) throw new UnknownEnvError(key, envKeys());
  return env;
}

function latestById(id: string): AnyEnv | undefined {
  return ENVS.filter((env) => env.spec.id === id).sort((a, b) => b.spec.version - a.spec.version)[0];
}
