/**
 * Team volley: 3v3 volleyball on slime physics (research brief §5.2; rules.ts has the rules).
 * Seats 0..n−1 are team 0 (left half), n..2n−1 team 1 (right half), in role order front,
 * middle, back (n = teamSize, default 3); `dims.teams` declares this and teammates share
 * returns: a team's points minus the other team's (±1 per rally, zero-sum between teams).
 * All seats act every tick with slime's 8 button combinations (id = forward + 2·backward +
 * 4·jump); real-time at 30 Hz with held input, default action 0.
 *
 * Observation [10n + 9] per seat (39 for 3v3), in the seat's own frame (own half x > 0, as slime),
 * divided by 10 where slime does: own x, y, vx, vy; ball x, y, vx, vy; teammates (role order,
 * self skipped) and opponents (role order) x, y, vx, vy each; then own team has possession
 * (1/0), touches by the possessing team / n, touched bits of own team's slots (this
 * possession), own role one-hot (n), own and other score / points, serve delay / 30.
 * Serves: the rally winner's back player serves; launch velocities come from
 * `serveVelocities` ([toward-net speed, upward speed] pairs) in order, then from the seeded
 * RNG within SERVE_VX × SERVE_VY. Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Viewer } from '../../core/env.ts';
import { IllegalActionError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, simultaneous } from '../../core/turns.ts';
import {
  AGENT_RADIUS,
  BACKWARD,
  BALL_RADIUS,
  FORWARD,
  INIT_DELAY_FRAMES,
  JUMP,
  REF_H,
  REF_U,
  REF_W,
  REF_WALL_HEIGHT,
  REF_WALL_WIDTH,
  STUB_RADIUS,
  TIMESTEP,
} from '../slime-volleyball/physics.ts';
import { actionAliases, actionName } from '../slime-volleyball/text.ts';
import { SERVE_VX, SERVE_VY, dirOfTeam, newRally, slotOfSeat, stepCourt, teamOfSeat, type Court, type FaultReason, type RallyEnd } from './rules.ts';
import { observationText, roleName, rulesText } from './text.ts';
import { BodySchema, FiniteSchema, GamepadActionSchema, RngWordSchema } from '../slime-volleyball/schemas.ts';

const Finite = FiniteSchema;

const ParamsSchema = z.object({
  teamSize: z.number().int().min(1).max(4).default(3),
  points: z.number().int().min(1).max(100).default(5),
  maxSteps: z.number().int().min(1).max(1_000_000).default(3000),
  firstServer: z.union([z.literal(0), z.literal(1)]).default(0),
  /** [speed toward the net, upward speed] for each serve in order; then the RNG. */
  serveVelocities: z
    .array(z.number().finite().min(0).max(100))
    .max(20_000)
    .refine((v) => v.length % 2 === 0, { message: 'needs (vx, vy) pairs: an even length' })
    .default([]),
});
export type TeamVolleyParams = z.infer<typeof ParamsSchema>;

const ActionSchema = GamepadActionSchema;
export type TeamVolleyAction = z.infer<typeof ActionSchema>;

const Word = RngWordSchema;
const Team = z.union([z.literal(0), z.literal(1)]);
const FaultSchema = z.enum(['landed', 'out', 'net', 'double-touch', 'not-in-possession']);

const StateSchema = z
  .object({
    params: ParamsSchema,
    t: z.number().int().min(0),
    ball: BodySchema.extend({ prevX: Finite }),
    players: z.array(BodySchema).min(2).max(8),
    delay: z.number().int().min(0).max(INIT_DELAY_FRAMES),
    possession: Team,
    touched: z.array(z.boolean()),
    lastTouch: Team,
    lastContact: z.array(z.number().int()),
    server: Team,
    score: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
    serves: z.number().int().min(1),
    rng: z.tuple([Word, Word, Word, Word]),
    /** How the last rally ended: the team that lost it and why. */
    lastPoint: z.object({ team: Team, reason: FaultSchema, seat: z.number().int().min(0).optional() }).nullable(),
  })
  .refine((s) => s.players.length === 2 * s.params.teamSize && s.touched.length === s.players.length && s.lastContact.length === s.players.length, {
    message: 'players, touched and lastContact need one entry per seat (2 · teamSize)',
  });
export type TeamVolleyState = z.infer<typeof StateSchema>;

const ALL_ACTIONS: readonly ActionId[] = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7]);
const z0 = (x: number): number => x + 0;
/** Own 4, ball 4, teammates 4(n − 1), opponents 4n, possession, touches, touched n, role n, scores 2, delay. */
const obsSize = (n: number): number => 10 * n + 9;

function nextServe(params: TeamVolleyParams, index: number, rng: Rng): [number, number] {
  const list = params.serveVelocities;
  if (2 * index + 1 < list.length) return [list[2 * index]!, list[2 * index + 1]!];
  const vx = SERVE_VX[0] + (SERVE_VX[1] - SERVE_VX[0]) * rng.float();
  const vy = SERVE_VY[0] + (SERVE_VY[1] - SERVE_VY[0]) * rng.float();
  return [vx, vy];
}

const courtOf = (s: TeamVolleyState): Court => ({
  ball: { ...s.ball },
  players: s.players.map((p) => ({ ...p })),
  delay: s.delay,
  possession: s.possession,
  touched: s.touched.slice(),
  lastTouch: s.lastTouch,
  lastContact: s.lastContact.slice(),
});

const body = (b: { x: number; y: number; vx: number; vy: number }) => ({ x: z0(b.x), y: z0(b.y), vx: z0(b.vx), vy: z0(b.vy) });

type Rest = Omit<TeamVolleyState, keyof Court>;

function stateOf(rest: Rest, c: Court): TeamVolleyState {
  return {
    ...rest,
    ball: { ...body(c.ball), prevX: z0(c.ball.prevX) },
    players: c.players.map(body),
    delay: c.delay,
    possession: c.possession as 0 | 1,
    touched: c.touched,
    lastTouch: c.lastTouch as 0 | 1,
    lastContact: c.lastContact,
  };
}

function init(params: TeamVolleyParams, seed: number): TeamVolleyState {
  const rng = new Rng(seed);
  const court = newRally(params.teamSize, params.firstServer, nextServe(params, 0, rng));
  return stateOf({ params, t: 0, server: params.firstServer, score: [0, 0], serves: 1, rng: [...rng.state()], lastPoint: null }, court);
}

function step(s: TeamVolleyState, actions: readonly number[]): TeamVolleyState {
  const court = courtOf(s);
  const t = s.t + 1;
  const end: RallyEnd | undefined = stepCourt(court, actions, s.params.teamSize, t);
  if (!end) return stateOf({ ...s, t }, court);
  const winner = (1 - end.loser) as 0 | 1;
  const score: [number, number] = [s.score[0] + (winner === 0 ? 1 : 0), s.score[1] + (winner === 1 ? 1 : 0)];
  const lastPoint = { team: end.loser as 0 | 1, reason: end.reason, ...(end.seat === undefined ? {} : { seat: end.seat }) };
  if (score[winner] >= s.params.points) return stateOf({ ...s, t, score, lastPoint }, court); // game over: the ball stays where the rally ended
  const rng = Rng.fromState(s.rng);
  const next = newRally(s.params.teamSize, winner, nextServe(s.params, s.serves, rng));
  return stateOf({ ...s, t, score, lastPoint, server: winner, serves: s.serves + 1, rng: [...rng.state()] }, next);
}

const decided = (s: TeamVolleyState): boolean => s.score[0] >= s.params.points || s.score[1] >= s.params.points;
const isOver = (s: TeamVolleyState): boolean => decided(s) || s.t >= s.params.maxSteps;

function returnsOf(s: TeamVolleyState): number[] {
  const n = s.params.teamSize;
  const diff = s.score[0] - s.score[1];
  return Array.from({ length: 2 * n }, (_, seat) => (seat < n ? diff : 0 - diff));
}

function observationTensor(s: TeamVolleyState, viewer: Viewer): Float32Array {
  const n = s.params.teamSize;
  const seat = viewer === 'spectator' ? 0 : viewer;
  const team = teamOfSeat(seat, n);
  const dir = dirOfTeam(team);
  const out = zeros(obsSize(n));
  let i = 0;
  const put = (b: { x: number; y: number; vx: number; vy: number }): void => {
    out[i++] = (b.x * dir) / 10 + 0;
    out[i++] = b.y / 10;
    out[i++] = (b.vx * dir) / 10 + 0;
    out[i++] = b.vy / 10;
  };
  put(s.players[seat]!);
  put(s.ball);
  for (let slot = 0; slot < n; slot++) if (team * n + slot !== seat) put(s.players[team * n + slot]!);
  for (let slot = 0; slot < n; slot++) put(s.players[(1 - team) * n + slot]!);
  const mine = s.possession === team;
  out[i++] = mine ? 1 : 0;
  let touches = 0;
  for (let slot = 0; slot < n; slot++) if (s.touched[s.possession * n + slot]) touches++;
  out[i++] = touches / n;
  for (let slot = 0; slot < n; slot++) out[i++] = mine && s.touched[team * n + slot] ? 1 : 0;
  for (let slot = 0; slot < n; slot++) out[i++] = slot === slotOfSeat(seat, n) ? 1 : 0;
  out[i++] = s.score[team]! / s.params.points;
  out[i++] = s.score[1 - team]! / s.params.points;
  out[i++] = s.delay / INIT_DELAY_FRAMES;
  return out;
}

const COURT = {
  width: REF_W,
  height: REF_H,
  ground: REF_U,
  timestep: TIMESTEP,
  fence: { width: REF_WALL_WIDTH, height: REF_WALL_HEIGHT, stubRadius: STUB_RADIUS },
  agentRadius: AGENT_RADIUS,
  ballRadius: BALL_RADIUS,
};

function view(s: TeamVolleyState) {
  const n = s.params.teamSize;
  return {
    ball: { x: s.ball.x, y: s.ball.y, vx: s.ball.vx, vy: s.ball.vy },
    agents: s.players.map((p, seat) => ({
      x: p.x,
      y: p.y,
      vx: p.vx,
      vy: p.vy,
      team: teamOfSeat(seat, n),
      role: roleName(slotOfSeat(seat, n), n),
      touched: s.touched[seat]! && teamOfSeat(seat, n) === s.possession,
    })),
    score: [s.score[0], s.score[1]],
    points: s.params.points,
    possession: s.possession,
    server: s.server,
    serveIn: s.delay,
    lastPoint: s.lastPoint ? { team: s.lastPoint.team, reason: s.lastPoint.reason as FaultReason } : null,
    t: s.t,
    maxSteps: s.params.maxSteps,
    returns: returnsOf(s),
    court: COURT,
  };
}

export const teamVolley = defineEnv<TeamVolleyState, TeamVolleyAction, TeamVolleyParams>({
  spec: {
    id: 'team-volley',
    version: 1,
    title: 'Team Volley (3v3 on slime physics)',
    dynamics: 'simultaneous',
    chance: 'sampled',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'stepwise',
    players: { min: 2, max: 8 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText: rulesText(),
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2 * p.teamSize,
    numDistinctActions: 8,
    maxChanceOutcomes: 0,
    observationShape: [obsSize(p.teamSize)],
    maxGameLength: p.maxSteps,
    minUtility: -p.points,
    maxUtility: p.points,
    utilitySum: 0,
    teams: Array.from({ length: 2 * p.teamSize }, (_, seat) => teamOfSeat(seat, p.teamSize)),
    realtime: { tickHz: 1 / TIMESTEP, input: 'held', defaultActions: new Array<number>(2 * p.teamSize).fill(0) },
  }),
  init,
  turn: (s) => (isOver(s) ? TERMINAL : simultaneous(Array.from({ length: 2 * s.params.teamSize }, (_, i) => i))),
  legal: () => ALL_ACTIONS,
  isLegal: (_s, _seat, a) => a < 8,
  apply() {
    throw new IllegalActionError('wrong-node', 'team volley has only simultaneous moves', 'use applyJoint');
  },
  applyJoint: (s, actions) => step(s, actions as number[]),
  returns: returnsOf,
  isTruncated: (s) => !decided(s) && s.t >= s.params.maxSteps,
  observationTensor,
  observationText: (s, viewer) =>
    observationText(
      {
        teamSize: s.params.teamSize,
        players: s.players,
        ball: s.ball,
        delay: s.delay,
        possession: s.possession,
        touched: s.touched,
        score: s.score,
        points: s.params.points,
        t: s.t,
        maxSteps: s.params.maxSteps,
        lastPoint: s.lastPoint,
      },
      viewer,
    ),
  view,
  actionText: (_s, _actor, a) => `[${actionName(a)}]`,
  actionAliases: (_s, _seat, a) => actionAliases(a),
  encodeAction: (_s, _seat, a) => (a.forward ? FORWARD : 0) + (a.backward ? BACKWARD : 0) + (a.jump ? JUMP : 0),
  decodeAction: (_s, _seat, a) => ({ forward: (a & FORWARD) !== 0, backward: (a & BACKWARD) !== 0, jump: (a & JUMP) !== 0 }),
  clone: (s) => structuredClone(s),
});
