/**
 * A scripted team-volley player: one of the role skills of team-volley-roles (hold,
 * receiver, setter, attacker) played from the seat's own observation, so it runs anywhere
 * an agent does (the arena included). The tensor is in the seat's own frame (own half
 * x > 0), which is team 1's world frame, so the agent rebuilds the court as if it played for
 * team 1 and asks the skill for its buttons. Opponents' touched bits are not observed and
 * do not matter to the skills.
 */
import { z } from 'zod';
import type { ActionId } from '../../envs/index.ts';
import type { Court } from '../../envs/games/team-volley/rules.ts';
import { ROLES, skillAction, type Role } from '../../envs/games/team-volley/skills.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentUnsupportedEnvError } from '../errors.ts';

/** By slot in 3v3 (front, middle, back): the plan that did best among fixed plans in our tests. */
const AUTO_ROLES: readonly Role[] = ['receiver', 'setter', 'attacker'];

export const VolleySkillOptionsSchema = z
  .object({
    role: z
      .enum(['auto', ...ROLES])
      .default('auto')
      .describe('auto: front receiver, middle setter, back attacker (3v3); receiver otherwise'),
  })
  .strict();
export type VolleySkillOptions = z.infer<typeof VolleySkillOptionsSchema>;

/** The court of a team-volley observation, seen from team 1; returns it and the viewer's seat in it. */
export function courtFromObservation(t: ArrayLike<number>): { court: Court; seat: number; slot: number; teamSize: number } {
  const n = (t.length - 9) / 10;
  const body = (i: number) => ({ x: t[i]! * 10, y: t[i + 1]! * 10, vx: t[i + 2]! * 10, vy: t[i + 3]! * 10 });
  const base = 8 * n + 4; // possession, touches, touched bits, role, scores, delay
  let slot = 0;
  for (let k = 0; k < n; k++) if (t[base + 2 + n + k] === 1) slot = k;
  const players = new Array(2 * n);
  players[n + slot] = body(0);
  let next = 8;
  for (let k = 0; k < n; k++) {
    if (k === slot) continue;
    players[n + k] = body(next);
    next += 4;
  }
  for (let k = 0; k < n; k++) players[k] = body(next + 4 * k);
  const touched = new Array<boolean>(2 * n).fill(false);
  for (let k = 0; k < n; k++) touched[n + k] = t[base + 2 + k] === 1;
  const ball = body(4);
  const court: Court = {
    ball: { ...ball, prevX: ball.x },
    players,
    delay: Math.round(t[t.length - 1]! * 30),
    possession: t[base] === 1 ? 1 : 0,
    touched,
    lastTouch: 1,
    lastContact: new Array<number>(2 * n).fill(-1000),
  };
  return { court, seat: n + slot, slot, teamSize: n };
}

export class VolleySkillAgent implements Agent {
  readonly name: string;
  readonly role: VolleySkillOptions['role'];

  constructor(options: Partial<VolleySkillOptions> = {}, name = 'volley-skill') {
    this.name = name;
    this.role = VolleySkillOptionsSchema.parse(options).role;
  }

  act(request: DecisionRequest): ActionId {
    const { court, seat, slot, teamSize } = courtFromObservation(request.observation.tensor);
    const role = this.role !== 'auto' ? this.role : teamSize === 3 ? AUTO_ROLES[slot]! : 'receiver';
    return skillAction(court, seat, role, teamSize);
  }
}

export const volleySkillAgentKind = defineAgentKind({
  kind: 'volley-skill',
  description: 'a scripted team-volley player with a fixed role (hold, receiver, setter, attacker; team-volley only)',
  optionsSchema: VolleySkillOptionsSchema,
  create: (options, { env, name }) => {
    if (env.spec.id !== 'team-volley') {
      throw new AgentUnsupportedEnvError('volley-skill', env.key, "it reads team volley's observation", 'play it in team-volley');
    }
    return new VolleySkillAgent(options, name);
  },
});
