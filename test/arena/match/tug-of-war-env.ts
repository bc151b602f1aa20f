/**
 * A tiny real-time env for tick-driver tests: two teams pull a rope every tick (action 1 pulls,
 * 0 rests), the knot moves by the difference, a team wins when the knot reaches its goal.
 * Seats 0 and 1 are team 0, seats 2 and 3 team 1 when `teamSize` is 2. Hitting `maxTicks`
 * truncates the episode. Its input mode is a param, so both modes can be tested.
 */
import { z } from 'zod';
import { defineEnv, simultaneous, TERMINAL, type ActionId } from '../../../envs/index.ts';

const ParamsSchema = z
  .object({
    teamSize: z.number().int().min(1).max(2).default(1),
    goal: z.number().int().min(1).default(5),
    maxTicks: z.number().int().min(1).default(100),
    tickHz: z.number().positive().default(20),
    input: z.enum(['held', 'consumed']).default('held'),
  })
  .strict();
type Params = z.infer<typeof ParamsSchema>;

const StateSchema = z.object({ params: ParamsSchema, knot: z.number().int(), ticks: z.number().int().min(0) });
type State = z.infer<typeof StateSchema>;

const seatsOf = (p: Params): number[] => Array.from({ length: 2 * p.teamSize }, (_, s) => s);
const teamOfSeat = (p: Params, seat: number): number => (seat < p.teamSize ? 0 : 1);
const isOver = (s: State): boolean => Math.abs(s.knot) >= s.params.goal || s.ticks >= s.params.maxTicks;
const LEGAL: readonly ActionId[] = [0, 1];

export const tugOfWar = defineEnv<State, { pull: boolean }, Params>({
  spec: {
    id: 'tug-of-war',
    version: 1,
    title: 'Tug of war (test env)',
    dynamics: 'simultaneous',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'terminal',
    players: { min: 2, max: 4 },
    paramsSchema: ParamsSchema,
    actionSchema: z.object({ pull: z.boolean() }),
    rulesText: 'Pull (1) or rest (0) every tick.',
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2 * p.teamSize,
    numDistinctActions: 2,
    maxChanceOutcomes: 0,
    observationShape: [2],
    maxGameLength: p.maxTicks,
    minUtility: -1,
    maxUtility: 1,
    utilitySum: 0,
    ...(p.teamSize > 1 ? { teams: seatsOf(p).map((seat) => teamOfSeat(p, seat)) } : {}),
    realtime: { tickHz: p.tickHz, input: p.input, defaultActions: seatsOf(p).map(() => 0) },
  }),
  init: (params) => ({ params, knot: 0, ticks: 0 }),
  turn: (s) => (isOver(s) ? TERMINAL : simultaneous(seatsOf(s.params))),
  legal: () => LEGAL,
  apply: () => {
    throw new Error('simultaneous only');
  },
  applyJoint(s, actions) {
    let knot = s.knot;
    actions.forEach((action, seat) => {
      if (action === 1) knot += teamOfSeat(s.params, seat) === 0 ? -1 : 1;
    });
    return { params: s.params, knot, ticks: s.ticks + 1 };
  },
  returns(s) {
    const winner = s.knot <= -s.params.goal ? 0 : s.knot >= s.params.goal ? 1 : -1;
    return seatsOf(s.params).map((seat) => (winner < 0 ? 0 : teamOfSeat(s.params, seat) === winner ? 1 : -1));
  },
  isTruncated: (s) => Math.abs(s.knot) < s.params.goal,
  observationTensor: (s) => Float32Array.of(s.knot / s.params.goal, s.ticks / s.params.maxTicks),
  view: (s) => ({ knot: s.knot, ticks: s.ticks, rope: { left: -s.params.goal, right: s.params.goal } }),
  encodeAction: (_s, _seat, a) => (a.pull ? 1 : 0),
  decodeAction: (_s, _seat, id) => ({ pull: id === 1 }),
});
