/**
 * Overcooked-AI (HumanCompatibleAI/overcooked_ai, MIT): two chefs cook onion soup together
 * in one of the five classic kitchens. An exact port of `OvercookedGridworld` for onion-only
 * layouts, checked against traces recorded from the reference (test/envs/games/fixtures).
 *
 * Seats 0 and 1 move simultaneously every tick; action ids follow the reference's
 * Action.ALL_ACTIONS: 0 N (up), 1 S, 2 E, 3 W, 4 STAY, 5 INTERACT, all legal always.
 * `oldDynamics` (default true) is the 2019 rule set the published numbers use: a pot with
 * three onions starts cooking by itself; false is the current rule set, where a chef starts
 * the cooking by interacting with empty hands (possible from one onion, but only the
 * three-onion soup is on the order list and scores).
 *
 * Returns are the team's sparse reward (20 per soup served), the same for both seats
 * (utility `identical`, one team). The shaped rewards (ingredient into a pot, useful dish
 * pickup, soup plated; weights as params) are per seat: `shapedReturns` gives their running
 * totals to learners, and the view shows the last step's. The episode ends after `horizon`
 * steps, a time limit (truncated), as the reference never ends on its own.
 *
 * Real-time: overcooked-demo runs people at ~6.7 steps per second (a 150 ms step), so
 * tickHz is 20/3; input is consumed (one key press moves one cell) and a tick without a
 * key press is STAY.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Viewer } from '../../core/env.ts';
import { IllegalActionError } from '../../core/errors.ts';
import { TERMINAL, simultaneous } from '../../core/turns.ts';
import { STAY, startState, stepKitchen, type KitchenState } from './dynamics.ts';
import { FEATURE_COUNT, LOSSLESS_CHANNELS, featurizeState, losslessEncoding } from './encoding.ts';
import { DIR_NAMES, LAYOUT_NAMES, kitchen, samePos } from './kitchen.ts';
import { ACTION_ALIASES, ACTION_NAMES, RULES_TEXT, observationText } from './text.ts';

export { LAYOUT_NAMES, type LayoutName } from './kitchen.ts';

/** Steps per second of overcooked-demo's human games (one step every 150 ms). */
export const OVERCOOKED_TICK_HZ = 20 / 3;

const Weight = z.number().finite().min(-1000).max(1000);

const ParamsSchema = z.object({
  layout: z.enum(LAYOUT_NAMES).default('cramped_room'),
  oldDynamics: z.boolean().default(true),
  horizon: z.number().int().min(1).max(100_000).default(400),
  /** The reference's BASE_REW_SHAPING_PARAMS. */
  shaping: z
    .object({
      placementInPot: Weight.default(3),
      dishPickup: Weight.default(3),
      soupPickup: Weight.default(5),
    })
    .strict()
    .prefault({}),
  /** `lossless`: lossless_state_encoding [width, height, 26]; `featurized`: featurize_state (96). */
  observation: z.enum(['lossless', 'featurized']).default('lossless'),
});
export type OvercookedParams = z.infer<typeof ParamsSchema>;

const ActionSchema = z.enum(ACTION_NAMES);
export type OvercookedAction = z.infer<typeof ActionSchema>;

const Coord = z.number().int().min(0).max(100);
const PosSchema = z.tuple([Coord, Coord]);
const ItemSchema = z
  .object({
    name: z.enum(['onion', 'tomato', 'dish', 'soup']),
    ingredients: z
      .array(z.enum(['onion', 'tomato']))
      .max(3)
      .optional(),
    tick: z.number().int().min(-1).max(20).optional(),
  })
  .strict();
const ChefSchema = z.object({ pos: PosSchema, dir: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]), held: ItemSchema.nullable() }).strict();
const Pair = z.tuple([z.number().finite(), z.number().finite()]);

const StateSchema = z
  .object({
    params: ParamsSchema,
    timestep: z.number().int().min(0),
    chefs: z.tuple([ChefSchema, ChefSchema]),
    objects: z.array(ItemSchema.extend({ pos: PosSchema })).max(200),
    /** The team's sparse reward so far. */
    score: z.number().int().min(0),
    /** Each seat's shaped reward so far. */
    shaped: Pair,
    /** Rewards of the step just taken (zeros at the start). */
    last: z.object({ sparse: Pair, shaped: Pair }).strict(),
  })
  .superRefine((s, ctx) => {
    const k = kitchen(s.params.layout);
    const at = ([x, y]: readonly number[]): string => k.terrain[y!]?.[x!] ?? '#';
    if (s.chefs.some((c) => at(c.pos) !== ' ') || samePos(s.chefs[0].pos, s.chefs[1].pos))
      ctx.addIssue({ code: 'custom', message: 'chefs must stand on distinct floor cells' });
    const cells = new Set(s.objects.map((o) => o.pos.join(',')));
    const misplaced = s.objects.some((o) => at(o.pos) !== 'X' && !(at(o.pos) === 'P' && o.name === 'soup'));
    if (cells.size !== s.objects.length || misplaced) ctx.addIssue({ code: 'custom', message: 'items lie on distinct counters, soups also in pots' });
  });
export type OvercookedState = z.infer<typeof StateSchema>;

const BOTH = simultaneous([0, 1]);
const ALL_ACTIONS: readonly ActionId[] = Object.freeze([0, 1, 2, 3, 4, 5]);

function init(params: OvercookedParams): OvercookedState {
  return {
    ...(startState(params.layout) as unknown as Pick<OvercookedState, 'timestep' | 'chefs' | 'objects'>),
    params,
    score: 0,
    shaped: [0, 0],
    last: { sparse: [0, 0], shaped: [0, 0] },
  };
}

function step(s: OvercookedState, actions: readonly [number, number]): OvercookedState {
  const next = stepKitchen(s.params, s as KitchenState, actions);
  const { sparse, shaped } = next.rewards;
  return {
    ...s,
    ...(next.state as unknown as Pick<OvercookedState, 'timestep' | 'chefs' | 'objects'>),
    score: s.score + sparse[0] + sparse[1],
    shaped: [s.shaped[0] + shaped[0], s.shaped[1] + shaped[1]],
    last: { sparse, shaped },
  };
}

/** Each seat's running total of shaped reward (placement, useful dish pickup, plating). */
export function shapedReturns(s: OvercookedState): readonly number[] {
  return s.shaped;
}

/** A soup needs at least 20 cooking ticks plus a step in its pot: a bound on soups per pot. */
function maxScore(p: OvercookedParams): number {
  return 20 * kitchen(p.layout).pots.length * Math.ceil(p.horizon / 20);
}

function observationTensor(s: OvercookedState, viewer: Viewer): Float32Array {
  const seat = viewer === 'spectator' ? 0 : viewer;
  return s.params.observation === 'featurized' ? featurizeState(s.params.layout, s, seat) : losslessEncoding(s.params.layout, s.params.horizon, s, seat);
}

function view(s: OvercookedState) {
  const k = kitchen(s.params.layout);
  return {
    layout: s.params.layout,
    grid: [...k.terrain],
    width: k.width,
    height: k.height,
    timestep: s.timestep,
    horizon: s.params.horizon,
    oldDynamics: s.params.oldDynamics,
    score: s.score,
    players: s.chefs.map((c) => ({ pos: [c.pos[0], c.pos[1]], orientation: DIR_NAMES[c.dir], held: c.held ? { ...c.held } : null })),
    objects: s.objects.map((o) => ({ ...o, pos: [o.pos[0], o.pos[1]] })),
    lastRewards: { sparse: [...s.last.sparse], shaped: [...s.last.shaped] },
    shapedTotals: [...s.shaped],
  };
}

export const overcooked = defineEnv<OvercookedState, OvercookedAction, OvercookedParams>({
  spec: {
    id: 'overcooked',
    version: 1,
    title: 'Overcooked-AI',
    dynamics: 'simultaneous',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'identical',
    rewardModel: 'stepwise',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => {
    const k = kitchen(p.layout);
    return {
      numPlayers: 2,
      numDistinctActions: 6,
      maxChanceOutcomes: 0,
      observationShape: p.observation === 'featurized' ? [FEATURE_COUNT] : [k.width, k.height, LOSSLESS_CHANNELS],
      maxGameLength: p.horizon,
      minUtility: 0,
      maxUtility: maxScore(p),
      teams: [0, 0],
      realtime: { tickHz: OVERCOOKED_TICK_HZ, input: 'consumed', defaultActions: [STAY, STAY] },
    };
  },
  init,
  turn: (s) => (s.timestep >= s.params.horizon ? TERMINAL : BOTH),
  legal: () => ALL_ACTIONS,
  isLegal: (_s, _seat, a) => a < 6,
  apply() {
    // defineEnv rejects apply() at simultaneous and terminal nodes, the only nodes there are.
    throw new IllegalActionError('wrong-node', 'overcooked has only simultaneous moves', 'use applyJoint');
  },
  applyJoint: (s, actions) => step(s, [actions[0]!, actions[1]!]),
  returns: (s) => [s.score, s.score],
  isTruncated: () => true,
  shapedReturns: (s) => s.shaped,
  observationTensor,
  observationText: (s, viewer) =>
    observationText({
      layout: s.params.layout,
      oldDynamics: s.params.oldDynamics,
      horizon: s.params.horizon,
      state: s,
      score: s.score,
      seat: viewer === 'spectator' ? null : viewer,
    }),
  view,
  actionText: (_s, _actor, a) => `[${ACTION_NAMES[a]}]`,
  actionAliases: (_s, _seat, a) => ACTION_ALIASES[a] ?? [],
  encodeAction: (_s, _seat, a) => {
    const id = ACTION_NAMES.indexOf(a);
    return id < 0 ? undefined : id;
  },
  decodeAction: (_s, _seat, a) => ACTION_NAMES[a]!,
  clone: (s) => structuredClone(s),
});
