/**
 * Team volley's event-triggered high-level interface (research brief §5.2, after HCSP): two
 * seats, one coach per team, assign each of their players a role (hold, receiver, setter,
 * attacker) whenever something happens: a serve, a touch, the ball crossing the net. Between
 * those events the env runs the real-time game tick by tick, each slime playing its role with
 * the scripted skills of skills.ts. A decision is one joint role assignment, so a language
 * model plays a whole rally in a handful of answers. Returns are team-volley's (points won
 * minus points lost); the game is truncated after `maxDecisions` decisions.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { Viewer } from '../../core/env.ts';
import { IllegalActionError } from '../../core/errors.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, simultaneous } from '../../core/turns.ts';
import { teamVolley, type TeamVolleyState } from './index.ts';
import { ROLES, skillAction, type Role } from './skills.ts';
import { roleName } from './text.ts';

const ParamsSchema = z.object({
  teamSize: z.number().int().min(1).max(3).default(3),
  points: z.number().int().min(1).max(100).default(5),
  firstServer: z.union([z.literal(0), z.literal(1)]).default(0),
  serveVelocities: z
    .array(z.number().finite().min(0).max(100))
    .max(20_000)
    .refine((v) => v.length % 2 === 0, { message: 'needs (vx, vy) pairs: an even length' })
    .default([]),
  maxDecisions: z.number().int().min(1).max(100_000).default(400),
  /** Ticks a decision may last when no event comes (a safety cap; rallies end sooner). */
  maxTicksPerDecision: z.number().int().min(1).max(10_000).default(300),
});
export type TeamVolleyRolesParams = z.infer<typeof ParamsSchema>;

const RoleSchema = z.enum(ROLES);
const ActionSchema = z.object({ roles: z.array(RoleSchema).min(1).max(3) }).strict();
export type TeamVolleyRolesAction = z.infer<typeof ActionSchema>;

const StateSchema = z
  .object({
    params: ParamsSchema,
    /** The underlying team-volley state (validated by team-volley's own schema on deserialize). */
    court: z.unknown(),
    /** Role index of every player (seat order of the court). */
    roles: z.array(
      z
        .number()
        .int()
        .min(0)
        .max(ROLES.length - 1),
    ),
    decisions: z.number().int().min(0),
    /** Court ticks the last decision lasted. */
    ticks: z.number().int().min(0),
  })
  .transform((s, ctx) => {
    try {
      return { ...s, court: teamVolley.deserialize(s.court) };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `court: ${(error as Error).message}` });
      return z.NEVER;
    }
  })
  .refine((s) => s.roles.length === 2 * s.params.teamSize, { message: 'roles need one entry per player' });
export interface TeamVolleyRolesState {
  readonly params: TeamVolleyRolesParams;
  readonly court: TeamVolleyState;
  readonly roles: readonly number[];
  readonly decisions: number;
  readonly ticks: number;
}

const BOTH = simultaneous([0, 1]);
const innerParams = (p: TeamVolleyRolesParams) =>
  teamVolley.parseParams({
    teamSize: p.teamSize,
    points: p.points,
    firstServer: p.firstServer,
    serveVelocities: p.serveVelocities,
    maxSteps: 1_000_000,
  });
const numActions = (n: number): number => ROLES.length ** n;

/** Role indices of a team's players (front first) from an action id: id = Σ role_k · 4^k. */
export function decodeRoles(action: number, teamSize: number): number[] {
  const roles: number[] = [];
  for (let k = 0; k < teamSize; k++) roles.push(Math.floor(action / ROLES.length ** k) % ROLES.length);
  return roles;
}

export const encodeRoles = (roles: readonly number[]): number => roles.reduce((id, r, k) => id + r * ROLES.length ** k, 0);

/** A signature of the things that trigger a decision: possession, touches, score. */
const eventKey = (c: TeamVolleyState): string => `${c.possession}|${c.touched.join()}|${c.score.join()}`;

function play(s: TeamVolleyRolesState, roles: readonly number[]): TeamVolleyRolesState {
  const n = s.params.teamSize;
  let court = s.court;
  const before = eventKey(court);
  let ticks = 0;
  while (teamVolley.turn(court).kind !== 'terminal' && ticks < s.params.maxTicksPerDecision) {
    const actions = court.players.map((_, seat) => skillAction(court, seat, ROLES[roles[seat]!] as Role, n));
    court = teamVolley.applyJoint(court, actions);
    ticks++;
    if (eventKey(court) !== before) break;
  }
  return { params: s.params, court, roles: roles.slice(), decisions: s.decisions + 1, ticks };
}

const decided = (s: TeamVolleyRolesState): boolean => teamVolley.turn(s.court).kind === 'terminal';
const isOver = (s: TeamVolleyRolesState): boolean => decided(s) || s.decisions >= s.params.maxDecisions;
const returnsOf = (s: TeamVolleyRolesState): number[] => {
  const r = teamVolley.returns(s.court);
  return [r[0]!, r[s.params.teamSize]!];
};

function rolesText(s: TeamVolleyRolesState, team: number): string {
  const n = s.params.teamSize;
  return Array.from({ length: n }, (_, slot) => `${roleName(slot, n)} ${ROLES[s.roles[team * n + slot]!]}`).join(', ');
}

function observationText(s: TeamVolleyRolesState, viewer: Viewer): string {
  const n = s.params.teamSize;
  // The court runs without a tick cap here (decisions are capped), so its step count has no "of N".
  const court = teamVolley
    .observationText(s.court, 'spectator')
    .replace(/^Team Volley, step (\d+) of \d+,/, `Team Volley, tick $1, decision ${s.decisions + 1} of ${s.params.maxDecisions},`);
  if (viewer === 'spectator') return `${court}\nRoles: team 0: ${rolesText(s, 0)}; team 1: ${rolesText(s, 1)}.`;
  const slots = Array.from({ length: n }, (_, slot) => roleName(slot, n)).join(', ');
  return [
    `You coach team ${viewer} (seats ${viewer * n}-${viewer * n + n - 1} of the court below). At every event (a serve, a touch, ` +
      'the ball crossing the net) you give each of your players a role until the next event: hold (stay home), ' +
      'receiver (get under the ball and bump it toward the net), setter (play the ball after a teammate touched it), ' +
      'attacker (wait near the net and jump into a set ball).',
    court,
    `Your roles now: ${rolesText(s, viewer)}.`,
    `Answer with ${n} roles in brackets, in the order ${slots}, e.g. [${Array.from({ length: n }, (_, k) => ROLES[k === 0 ? 1 : k === n - 1 ? 0 : 2]).join(' ')}].`,
  ].join('\n');
}

export const teamVolleyRoles = defineEnv<TeamVolleyRolesState, TeamVolleyRolesAction, TeamVolleyRolesParams>({
  spec: {
    id: 'team-volley-roles',
    version: 1,
    title: 'Team Volley, role interface (one coach per team)',
    dynamics: 'simultaneous',
    chance: 'sampled',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'stepwise',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText:
      `${teamVolley.spec.rulesText}\nIn this version each team has one coach (seat 0 coaches team 0, seat 1 team 1). ` +
      'Whenever the ball is served, touched or crosses the net, both coaches assign every player of their team a role ' +
      '(hold, receiver, setter or attacker); scripted skills then play those roles tick by tick until the next event. ' +
      'Answer with one role per player in brackets, front player first, e.g. [receiver setter hold].',
  },
  stateSchema: StateSchema as unknown as z.ZodType<TeamVolleyRolesState, any>,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: numActions(p.teamSize),
    maxChanceOutcomes: 0,
    observationShape: [14 * p.teamSize + 9],
    maxGameLength: p.maxDecisions,
    minUtility: -p.points,
    maxUtility: p.points,
    utilitySum: 0,
  }),
  init: (params, seed) => ({
    params,
    court: teamVolley.init(innerParams(params), seed),
    roles: new Array<number>(2 * params.teamSize).fill(0),
    decisions: 0,
    ticks: 0,
  }),
  turn: (s) => (isOver(s) ? TERMINAL : BOTH),
  legal: (s) => Array.from({ length: numActions(s.params.teamSize) }, (_, i) => i),
  isLegal: (s, _seat, a) => a < numActions(s.params.teamSize),
  apply() {
    throw new IllegalActionError('wrong-node', 'both coaches decide together', 'use applyJoint');
  },
  applyJoint: (s, actions) => play(s, [...decodeRoles(actions[0]!, s.params.teamSize), ...decodeRoles(actions[1]!, s.params.teamSize)]),
  returns: returnsOf,
  isTruncated: (s) => !decided(s) && s.decisions >= s.params.maxDecisions,
  observationTensor(s, viewer) {
    const n = s.params.teamSize;
    const team = viewer === 'spectator' ? 0 : viewer;
    const inner = teamVolley.observationTensor(s.court, team * n);
    const out = zeros(14 * n + 9);
    out.set(inner);
    for (let slot = 0; slot < n; slot++) out[inner.length + slot * ROLES.length + s.roles[team * n + slot]!] = 1;
    return out;
  },
  observationText,
  view: (s) => ({ ...(teamVolley.view(s.court, 'spectator') as object), roles: s.roles.map((r) => ROLES[r]!), decisions: s.decisions, ticks: s.ticks }),
  actionText: (s, _actor, a) =>
    `[${decodeRoles(a, s.params.teamSize)
      .map((r) => ROLES[r])
      .join(' ')}]`,
  actionAliases: (s, _seat, a) => {
    const names = decodeRoles(a, s.params.teamSize).map((r) => ROLES[r]!);
    return [names.join(', '), names.join(','), names.join(' / ')];
  },
  encodeAction: (s, _seat, a) => (a.roles.length === s.params.teamSize ? encodeRoles(a.roles.map((r) => ROLES.indexOf(r))) : undefined),
  decodeAction: (s, _seat, a) => ({ roles: decodeRoles(a, s.params.teamSize).map((r) => ROLES[r]!) }),
  serialize: (s) => ({ params: s.params, court: teamVolley.serialize(s.court), roles: s.roles.slice(), decisions: s.decisions, ticks: s.ticks }),
  clone: (s) => structuredClone(s) as TeamVolleyRolesState,
});
