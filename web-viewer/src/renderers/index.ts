/**
 * Renderers by env id. An env without one (or whose view no longer parses) is shown by the
 * fallback: its observation text and view JSON, so every env is watchable the day it is
 * registered. test/web-viewer/renderers.test.ts fails when a registered env has no entry here.
 */
import { connectFour } from './connect-four.ts';
import { kuhnPoker } from './kuhn-poker.ts';
import { leducPoker } from './leduc-poker.ts';
import { overcooked } from './overcooked.ts';
import { rockPaperScissors } from './rock-paper-scissors.ts';
import { proposeSolve } from './propose-solve.ts';
import { signalling } from './signalling.ts';
import { simpleNegotiation } from './simple-negotiation.ts';
import { whoIsTheSpy } from './who-is-the-spy.ts';
import { slimeVolleyball } from './slime-volleyball.ts';
import { teamVolley, teamVolleyRoles } from './team-volley.ts';
import { ticTacToe } from './tic-tac-toe.ts';
import type { Renderer, RendererTable } from './types.ts';

export const RENDERERS: RendererTable = {
  'tic-tac-toe': ticTacToe,
  'connect-four': connectFour,
  'kuhn-poker': kuhnPoker,
  'leduc-poker': leducPoker,
  'rock-paper-scissors': rockPaperScissors,
  signalling: signalling,
  'slime-volleyball': slimeVolleyball,
  'team-volley': teamVolley,
  'team-volley-roles': teamVolleyRoles,
  'simple-negotiation': simpleNegotiation,
  'who-is-the-spy': whoIsTheSpy,
  'propose-solve': proposeSolve,
  overcooked: overcooked,
};

/** `connect-four-v1` -> `connect-four`. */
export const envIdOf = (envKey: string): string => envKey.replace(/-v\d+$/, '');

/** The renderer and the parsed view, or undefined: use the fallback. */
export function rendererFor(envKey: string, view: unknown): { renderer: Renderer<unknown>; view: unknown } | undefined {
  const renderer = RENDERERS[envIdOf(envKey)];
  if (renderer === undefined) return undefined;
  const parsed = renderer.schema.safeParse(view);
  return parsed.success ? { renderer, view: parsed.data } : undefined;
}
