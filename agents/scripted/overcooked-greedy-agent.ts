/**
 * A greedy Overcooked chef in the spirit of overcooked_ai's GreedyHumanModel: it goes for the
 * nearest useful sub-goal (serve a soup it holds, plate a ready or cooking soup with a dish,
 * put an onion in a pot that needs one, start a full pot under the new rules, fetch an onion
 * or a dish), walking shortest paths (BFS on the floor, around its partner when it can).
 * Items whose destination it cannot reach (forced_coordination) go on a counter its partner
 * can reach. It reads only its observation: the lossless encoding, decoded back into chefs,
 * pots and items (so it plays in the arena like any remote agent). A seeded random step
 * breaks deadlocks when it has not moved for a few ticks.
 */
import { z } from 'zod';
import { Rng, type ActionId, type Seat } from '../../envs/index.ts';
import { DIR_VECTORS, isFloor, kitchen, samePos, type Dir, type Kitchen, type Pos } from '../../envs/games/overcooked/kitchen.ts';
import type { OvercookedParams } from '../../envs/games/overcooked/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentUnsupportedEnvError } from '../errors.ts';

const C = 26;
const STAY = 4;
const INTERACT = 5;

type Held = 'onion' | 'dish' | 'soup' | 'tomato' | null;
interface Pot {
  readonly pos: Pos;
  readonly onions: number;
  readonly cooking: boolean;
  readonly ready: boolean;
}
export interface KitchenView {
  readonly me: { pos: Pos; dir: Dir; held: Held };
  readonly partner: { pos: Pos; held: Held };
  readonly pots: readonly Pot[];
  /** Items on counters. */
  readonly counters: readonly { pos: Pos; name: Exclude<Held, null> }[];
}

/** Reads chefs, pots and counter items back out of a lossless encoding (own view first). */
export function decodeLossless(k: Kitchen, t: ArrayLike<number>): KitchenView {
  const at = ([x, y]: Pos, c: number): number => t[(x * k.height + y) * C + c]!;
  let me: Pos = [0, 0];
  let partner: Pos = [0, 0];
  let dir: Dir = 0;
  for (let x = 0; x < k.width; x++) {
    for (let y = 0; y < k.height; y++) {
      if (at([x, y], 0)) me = [x, y];
      if (at([x, y], 1)) partner = [x, y];
    }
  }
  for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) if (at(me, 2 + d)) dir = d;
  const itemAt = (p: Pos): Held => (at(p, 21) ? 'soup' : at(p, 22) ? 'dish' : at(p, 23) ? 'onion' : at(p, 24) ? 'tomato' : null);
  const pots = k.pots.map((pos) => ({
    pos,
    onions: at(pos, 16) + at(pos, 18),
    cooking: at(pos, 18) > 0 && !at(pos, 21),
    ready: at(pos, 21) > 0,
  }));
  const counters = k.counters.flatMap((pos) => {
    const name = itemAt(pos);
    return name ? [{ pos, name }] : [];
  });
  return { me: { pos: me, dir, held: itemAt(me) }, partner: { pos: partner, held: itemAt(partner) }, pots, counters };
}

interface Goal {
  readonly targets: readonly Pos[];
}

/** BFS from `from` to a floor cell next to one of `targets`; returns the first action, or undefined if unreachable. */
export function firstStep(k: Kitchen, from: Pos, dir: Dir, targets: readonly Pos[], blocked: Pos | null): ActionId | undefined {
  const key = ([x, y]: Pos): number => y * k.width + x;
  const facing = (p: Pos): Dir | undefined => {
    for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
      const q: Pos = [p[0] + DIR_VECTORS[d]![0], p[1] + DIR_VECTORS[d]![1]];
      if (targets.some((t) => samePos(t, q))) return d;
    }
    return undefined;
  };
  const here = facing(from);
  if (here !== undefined) return here === dir ? INTERACT : here;
  const first = new Map<number, ActionId>([[key(from), STAY]]);
  const queue: Pos[] = [from];
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head]!;
    for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
      const q: Pos = [p[0] + DIR_VECTORS[d]![0], p[1] + DIR_VECTORS[d]![1]];
      if (!isFloor(k, q) || first.has(key(q)) || (blocked && samePos(q, blocked))) continue;
      const action = head === 0 ? d : first.get(key(p))!;
      first.set(key(q), action);
      if (facing(q) !== undefined) return action;
      queue.push(q);
    }
  }
  return undefined;
}

/** Floor cells reachable from `from` (ignoring the partner). */
function region(k: Kitchen, from: Pos): Set<string> {
  const seen = new Set([from.join(',')]);
  const queue: Pos[] = [from];
  for (let head = 0; head < queue.length; head++) {
    for (const [dx, dy] of DIR_VECTORS) {
      const q: Pos = [queue[head]![0] + dx, queue[head]![1] + dy];
      if (isFloor(k, q) && !seen.has(q.join(','))) {
        seen.add(q.join(','));
        queue.push(q);
      }
    }
  }
  return seen;
}

export function greedyGoals(k: Kitchen, v: KitchenView, oldDynamics: boolean): Goal[] {
  const { me, partner, pots, counters } = v;
  const onCounter = (name: string): Pos[] => counters.filter((c) => c.name === name).map((c) => c.pos);
  const needsOnion = pots.filter((p) => !p.cooking && !p.ready && p.onions < 3).map((p) => p.pos);
  const soupComing = pots.filter((p) => p.ready || p.cooking);
  if (me.held === 'soup') return [{ targets: k.serving }];
  if (me.held === 'dish')
    return [
      { targets: soupComing.filter((p) => p.ready).map((p) => p.pos) },
      { targets: soupComing.map((p) => p.pos) },
      { targets: pots.filter((p) => p.onions > 0).map((p) => p.pos) },
    ];
  if (me.held === 'onion') return [{ targets: needsOnion }];
  if (me.held === 'tomato') return [];
  const goals: Goal[] = [{ targets: onCounter('soup') }];
  if (!oldDynamics) goals.push({ targets: pots.filter((p) => !p.cooking && !p.ready && p.onions === 3).map((p) => p.pos) });
  const dishWanted = soupComing.length > 0 && partner.held !== 'dish' && !counters.some((c) => c.name === 'dish');
  const dishes = { targets: [...k.dishDispensers, ...onCounter('dish')] };
  const onions = { targets: [...k.onionDispensers, ...onCounter('onion')] };
  if (dishWanted) goals.push(dishes);
  if (needsOnion.length > 0) goals.push(onions);
  goals.push(dishes);
  return goals;
}

export class OvercookedGreedyAgent implements Agent {
  readonly name: string;
  readonly #kitchen: Kitchen;
  readonly #oldDynamics: boolean;
  #rng = new Rng(0);
  #last: Pos | null = null;
  #still = 0;

  constructor(params: OvercookedParams, name = 'overcooked-greedy') {
    this.name = name;
    this.#kitchen = kitchen(params.layout);
    this.#oldDynamics = params.oldDynamics;
  }

  reset(_seat: Seat, seed: number): void {
    this.#rng = new Rng(seed);
    this.#last = null;
    this.#still = 0;
  }

  act(request: DecisionRequest): ActionId {
    const v = decodeLossless(this.#kitchen, request.observation.tensor);
    this.#still = this.#last && samePos(this.#last, v.me.pos) ? this.#still + 1 : 0;
    this.#last = v.me.pos;
    // Stuck against the partner for a while: one random move clears most deadlocks.
    if (this.#still >= 3 && this.#rng.float() < 0.5) return this.#rng.int(4);
    return this.choose(v);
  }

  choose(v: KitchenView): ActionId {
    const k = this.#kitchen;
    const goals = greedyGoals(k, v, this.#oldDynamics).filter((g) => g.targets.length > 0);
    // First the best goal reachable around the partner, then through it (it may step aside).
    for (const blocked of [v.partner.pos, null]) {
      for (const goal of goals) {
        const step = firstStep(k, v.me.pos, v.me.dir, goal.targets, blocked);
        if (step !== undefined && step !== STAY) return step;
      }
    }
    // Nothing reachable to do with what it holds: hand it over on a counter the partner can reach.
    if (v.me.held) {
      const mine = region(k, v.me.pos);
      const theirs = region(k, v.partner.pos);
      const free = k.counters.filter(
        (c) =>
          !v.counters.some((o) => samePos(o.pos, c)) &&
          DIR_VECTORS.some(([dx, dy]) => {
            const q: Pos = [c[0] + dx, c[1] + dy];
            return theirs.has(q.join(',')) && !mine.has(q.join(','));
          }),
      );
      const empty = k.counters.filter((c) => !v.counters.some((o) => samePos(o.pos, c)));
      const step = firstStep(k, v.me.pos, v.me.dir, free, v.partner.pos) ?? firstStep(k, v.me.pos, v.me.dir, empty, v.partner.pos);
      if (step !== undefined) return step;
    }
    return STAY;
  }
}

export const overcookedGreedyAgentKind = defineAgentKind({
  kind: 'overcooked-greedy',
  description: 'greedy Overcooked chef: nearest useful sub-goal (onion -> pot -> dish -> soup -> serve) by BFS (overcooked only)',
  optionsSchema: z.object({}).strict(),
  create: (_options, { env, params, name }) => {
    const p = params as OvercookedParams;
    if (env.spec.id !== 'overcooked' || p.observation !== 'lossless') {
      throw new AgentUnsupportedEnvError(
        'overcooked-greedy',
        env.key,
        "it decodes overcooked's lossless observation",
        'play it in overcooked with observation=lossless',
      );
    }
    return new OvercookedGreedyAgent(p, name);
  },
});
