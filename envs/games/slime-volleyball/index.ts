/**
 * Slime volleyball, an exact port of slimevolleygym's `Game` (hardmaru/slimevolleygym,
 * Apache-2.0; physics.ts has the step). Seats: 0 = left, 1 = right, simultaneous every tick.
 * Action id = forward + 2·backward + 4·jump (the reference's MultiBinary(3) as a bitmask).
 *
 * The observation tensor of a seat is that slime's 12-value `getObservation()`: own x, y,
 * vx, vy, ball x, y, vx, vy, opponent x, y, vx, vy, mirrored so every slime sees itself on
 * the right, divided by 10. As in the reference, it is updated at the end of every step
 * except a scoring one, so on scoring steps it is one step stale (`seen` keeps that
 * snapshot). The spectator tensor is the right slime's (the reference's own `obs`).
 *
 * Launches: the ball is served at init and after every point with the next (vx, vy) of
 * `launchVelocities`, then, once the list is used up, with vx ~ U(−20, 20) then
 * vy ~ U(10, 25) from the seeded RNG kept in the state. Returns: the right seat's return is
 * the reference's cumulative reward (+1 per point it wins, −1 per point it loses), the left
 * seat's its negation. The episode ends when a slime has no lives left (terminal) or after
 * `maxSteps` steps (truncated: a time limit, see Env.isTruncated).
 * Version history: v1 initial.
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
  BALL_RADIUS,
  BACKWARD,
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
  dirOf,
  launchBall,
  stepWorld,
  type World,
} from './physics.ts';
import { RULES_TEXT, actionAliases, actionName, observationText } from './text.ts';
import { BodySchema, FiniteSchema, GamepadActionSchema, RngWordSchema } from './schemas.ts';

const Finite = FiniteSchema;
const Speed = z.number().finite().min(-1000).max(1000);

const ParamsSchema = z.object({
  maxSteps: z.number().int().min(1).max(1_000_000).default(3000),
  lives: z.number().int().min(1).max(1000).default(5),
  /** [vx, vy, vx, vy, ...] for the opening serve and the serves after each point, in order. */
  launchVelocities: z
    .array(Speed)
    .max(20_000)
    .refine((v) => v.length % 2 === 0, { message: 'needs (vx, vy) pairs: an even length' })
    .default([]),
});
export type SlimeVolleyballParams = z.infer<typeof ParamsSchema>;

const ActionSchema = GamepadActionSchema;
export type SlimeVolleyballAction = z.infer<typeof ActionSchema>;

const SlimeSchema = BodySchema.extend({ life: z.number().int().min(0) });
const Word = RngWordSchema;

const StateSchema = z.object({
  params: ParamsSchema,
  t: z.number().int().min(0),
  ball: BodySchema.extend({ prevX: Finite }),
  agents: z.tuple([SlimeSchema, SlimeSchema]),
  delay: z.number().int().min(0).max(INIT_DELAY_FRAMES),
  /** World snapshot at the last observation update: ball x y vx vy, left x y vx vy, right x y vx vy. */
  seen: z.array(Finite).length(12),
  /** Serves so far (the next one uses launchVelocities[2·launches], or the RNG past the list). */
  launches: z.number().int().min(1),
  rng: z.tuple([Word, Word, Word, Word]),
  /** The right seat's cumulative reward. */
  score: z.number().int(),
});
export type SlimeVolleyballState = z.infer<typeof StateSchema>;

const BOTH = simultaneous([0, 1]);
const ALL_ACTIONS: readonly ActionId[] = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7]);

/** −0 and +0 behave alike in every later operation; states keep +0 so equal states compare equal. */
const z0 = (x: number): number => x + 0;

function nextLaunch(params: SlimeVolleyballParams, index: number, rng: Rng): [number, number] {
  const list = params.launchVelocities;
  if (2 * index + 1 < list.length) return [list[2 * index]!, list[2 * index + 1]!];
  // numpy's uniform(low, high) is low + (high − low)·u; vx is drawn before vy.
  const vx = -20 + (20 - -20) * rng.float();
  const vy = 10 + (25 - 10) * rng.float();
  return [vx, vy];
}

function worldOf(s: SlimeVolleyballState): World {
  const [l, r] = s.agents;
  return {
    ball: { ...s.ball },
    agents: [
      { x: l.x, y: l.y, vx: l.vx, vy: l.vy, life: l.life },
      { x: r.x, y: r.y, vx: r.vx, vy: r.vy, life: r.life },
    ],
    delay: s.delay,
  };
}

function snapshot(w: World): number[] {
  const {
    ball: b,
    agents: [l, r],
  } = w;
  return [b.x, b.y, b.vx, b.vy, l.x, l.y, l.vx, l.vy, r.x, r.y, r.vx, r.vy].map(z0);
}

function stateOf(s: Omit<SlimeVolleyballState, 'ball' | 'agents' | 'delay'>, w: World): SlimeVolleyballState {
  const {
    ball: b,
    agents: [l, r],
  } = w;
  return {
    ...s,
    ball: { x: z0(b.x), y: z0(b.y), vx: z0(b.vx), vy: z0(b.vy), prevX: z0(b.prevX) },
    agents: [
      { x: z0(l.x), y: z0(l.y), vx: z0(l.vx), vy: z0(l.vy), life: l.life },
      { x: z0(r.x), y: z0(r.y), vx: z0(r.vx), vy: z0(r.vy), life: r.life },
    ],
    delay: w.delay,
  };
}

function init(params: SlimeVolleyballParams, seed: number): SlimeVolleyballState {
  const rng = new Rng(seed);
  const [vx, vy] = nextLaunch(params, 0, rng);
  const world: World = {
    ball: launchBall(vx, vy),
    agents: [
      { x: -REF_W / 4, y: 1.5, vx: 0, vy: 0, life: params.lives },
      { x: REF_W / 4, y: 1.5, vx: 0, vy: 0, life: params.lives },
    ],
    delay: INIT_DELAY_FRAMES,
  };
  return stateOf({ params, t: 0, seen: snapshot(world), launches: 1, rng: [...rng.state()], score: 0 }, world);
}

function step(s: SlimeVolleyballState, left: number, right: number): SlimeVolleyballState {
  const world = worldOf(s);
  const point = stepWorld(world, [left, right]);
  if (point === 0) return stateOf({ ...s, t: s.t + 1, seen: snapshot(world) }, world);
  // A point: serve again, take the loser's life and keep the stale observation snapshot.
  const rng = Rng.fromState(s.rng);
  const [vx, vy] = nextLaunch(s.params, s.launches, rng);
  world.ball = launchBall(vx, vy);
  world.delay = INIT_DELAY_FRAMES;
  world.agents[point < 0 ? 1 : 0].life -= 1;
  return stateOf({ ...s, t: s.t + 1, launches: s.launches + 1, rng: [...rng.state()], score: s.score + point }, world);
}

const livesOut = (s: SlimeVolleyballState): boolean => s.agents[0].life <= 0 || s.agents[1].life <= 0;
const isOver = (s: SlimeVolleyballState): boolean => livesOut(s) || s.t >= s.params.maxSteps;
const returnsOf = (s: SlimeVolleyballState): number[] => [0 - s.score, s.score];

/** The 12-value observation of a seat (the right slime's for the spectator), from the `seen` snapshot. */
function observationTensor(s: SlimeVolleyballState, viewer: Viewer): Float32Array {
  const seat = viewer === 'spectator' ? 1 : viewer;
  const dir = dirOf(seat);
  const o = s.seen;
  const own = seat === 0 ? 4 : 8;
  const opp = seat === 0 ? 8 : 4;
  const t = zeros(12);
  const values = [
    o[own]! * dir,
    o[own + 1]!,
    o[own + 2]! * dir,
    o[own + 3]!,
    o[0]! * dir,
    o[1]!,
    o[2]! * dir,
    o[3]!,
    o[opp]! * -dir,
    o[opp + 1]!,
    o[opp + 2]! * -dir,
    o[opp + 3]!,
  ];
  for (let i = 0; i < 12; i++) t[i] = values[i]! / 10 + 0; // + 0: no -0 in tensors
  return t;
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

export const slimeVolleyball = defineEnv<SlimeVolleyballState, SlimeVolleyballAction, SlimeVolleyballParams>({
  spec: {
    id: 'slime-volleyball',
    version: 1,
    title: 'Slime Volleyball',
    dynamics: 'simultaneous',
    chance: 'sampled',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'stepwise',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: 8,
    maxChanceOutcomes: 0,
    observationShape: [12],
    maxGameLength: p.maxSteps,
    minUtility: -p.lives,
    maxUtility: p.lives,
    utilitySum: 0,
    realtime: { tickHz: 1 / TIMESTEP, input: 'held', defaultActions: [0, 0] },
  }),
  init,
  turn: (s) => (isOver(s) ? TERMINAL : BOTH),
  legal: () => ALL_ACTIONS,
  isLegal: (_s, _seat, a) => a < 8,
  apply() {
    // defineEnv rejects apply() at simultaneous and terminal nodes, the only nodes there are.
    throw new IllegalActionError('wrong-node', 'slime volleyball has only simultaneous moves', 'use applyJoint');
  },
  applyJoint: (s, actions) => step(s, actions[0]!, actions[1]!),
  returns: returnsOf,
  isTruncated: (s) => !livesOut(s) && s.t >= s.params.maxSteps,
  observationTensor,
  observationText: (s, viewer) => observationText({ world: worldOf(s), t: s.t, maxSteps: s.params.maxSteps, returns: returnsOf(s) }, viewer),
  view: (s) => ({
    ball: { x: s.ball.x, y: s.ball.y, vx: s.ball.vx, vy: s.ball.vy },
    agents: s.agents.map((a, seat) => ({ x: a.x, y: a.y, vx: a.vx, vy: a.vy, lives: a.life, side: seat === 0 ? 'left' : 'right' })),
    t: s.t,
    maxSteps: s.params.maxSteps,
    serveIn: s.delay,
    returns: returnsOf(s),
    court: COURT,
  }),
  actionText: (_s, _actor, a) => `[${actionName(a)}]`,
  actionAliases: (_s, _seat, a) => actionAliases(a),
  encodeAction: (_s, _seat, a) => (a.forward ? FORWARD : 0) + (a.backward ? BACKWARD : 0) + (a.jump ? JUMP : 0),
  decodeAction: (_s, _seat, a) => ({ forward: (a & FORWARD) !== 0, backward: (a & BACKWARD) !== 0, jump: (a & JUMP) !== 0 }),
  clone: (s) => structuredClone(s),
});
