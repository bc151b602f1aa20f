/**
 * The reference's two observation encodings, for one chef's point of view:
 * - `losslessEncoding`: 26 stacked [width, height] masks (OvercookedGridworld
 *   .lossless_state_encoding), flattened x-major, then y, then channel.
 * - `featurizeState`: the 96 hand-made features (featurize_state with 2 pots and the
 *   reference's default planner, which never targets counters).
 */
import { COOK_TIME, isCooking, isIdle, isReady, potStatus, type Chef, type Item, type KitchenState } from './dynamics.ts';
import { isFloor, kitchen, motionIndex, samePos, step, terrainAt, type Dir, type Kitchen, type LayoutName, type Pos } from './kitchen.ts';

export const LOSSLESS_CHANNELS = 26;
export const FEATURE_COUNT = 96;

const count = (item: Item, ingredient: string): number => (item.ingredients ?? []).filter((i) => i === ingredient).length;

export function losslessEncoding(layout: LayoutName, horizon: number, s: KitchenState, seat: number): Float32Array {
  const k = kitchen(layout);
  const { width, height } = k;
  const out = new Float32Array(width * height * LOSSLESS_CHANNELS);
  const add = ([x, y]: Pos, c: number, v: number): void => {
    out[(x * height + y) * LOSSLESS_CHANNELS + c]! += v;
  };
  const order = [seat, 1 - seat];
  order.forEach((who, rank) => {
    const chef = s.chefs[who]!;
    add(chef.pos, rank, 1);
    add(chef.pos, 2 + rank * 4 + chef.dir, 1);
  });
  const maps: [readonly Pos[], number][] = [
    [k.pots, 10],
    [k.counters, 11],
    [k.onionDispensers, 12],
    [k.tomatoDispensers, 13],
    [k.dishDispensers, 14],
    [k.serving, 15],
  ];
  for (const [cells, c] of maps) for (const p of cells) add(p, c, 1);
  const items: [Item, Pos][] = [...s.objects.map((o): [Item, Pos] => [o, o.pos]), ...s.chefs.filter((c) => c.held).map((c): [Item, Pos] => [c.held!, c.pos])];
  for (const [item, pos] of items) {
    if (item.name === 'soup') {
      const inPot = terrainAt(k, pos) === 'P';
      if (inPot && isIdle(item)) {
        add(pos, 16, count(item, 'onion'));
        add(pos, 17, count(item, 'tomato'));
        continue;
      }
      add(pos, 18, count(item, 'onion'));
      add(pos, 19, count(item, 'tomato'));
      if (inPot) add(pos, 20, COOK_TIME - item.tick!);
      if (!inPot || isReady(item)) add(pos, 21, 1);
    } else {
      add(pos, item.name === 'dish' ? 22 : item.name === 'onion' ? 23 : 24, 1);
    }
  }
  if (horizon - s.timestep < 40) for (let i = 25; i < out.length; i += LOSSLESS_CHANNELS) out[i] = 1;
  return out;
}

/** The motion goals of a feature cell: adjacent floor cells, facing it (N, S, E, W order). */
function motionGoals(k: Kitchen, feature: Pos): [Pos, Dir][] {
  const goals: [Pos, Dir][] = [];
  const opposite: readonly Dir[] = [1, 0, 3, 2];
  for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
    const adj = step(feature, d);
    if (isFloor(k, adj)) goals.push([adj, opposite[d]!]);
  }
  return goals;
}

/** The reachable feature cell with the fewest actions to face it (first on ties), as the reference's planner picks it. */
function closest(k: Kitchen, chef: Chef, features: readonly Pos[]): Pos | undefined {
  const row = k.dist[motionIndex(k, chef.pos, chef.dir)]!;
  let best: Pos | undefined;
  let bestDist = Infinity;
  for (const f of features) {
    // Counters are never motion goals with the reference's default planner parameters.
    if (terrainAt(k, f) === 'X' || terrainAt(k, f) === ' ') continue;
    for (const [pos, dir] of motionGoals(k, f)) {
      const d = row[motionIndex(k, pos, dir)]!;
      if (d < bestDist) {
        bestDist = d;
        best = f;
      }
    }
  }
  return best;
}

const delta = (chef: Chef, target: Pos | undefined): number[] => (target ? [target[0] - chef.pos[0], target[1] - chef.pos[1]] : [0, 0]);

function chefFeatures(k: Kitchen, s: KitchenState, chef: Chef): number[] {
  const f: number[] = [0, 0, 0, 0];
  f[chef.dir] = 1;
  const held = [0, 0, 0, 0];
  if (chef.held) held[['onion', 'soup', 'dish', 'tomato'].indexOf(chef.held.name)] = 1;
  f.push(...held);
  const onCounters = (name: string): Pos[] => s.objects.filter((o) => o.name === name && terrainAt(k, o.pos) === 'X').map((o) => o.pos);
  const near = (name: string, cells: readonly Pos[]): Pos | undefined => (chef.held?.name === name ? undefined : closest(k, chef, cells));
  f.push(...delta(chef, near('onion', [...k.onionDispensers, ...onCounters('onion')])));
  f.push(...delta(chef, near('tomato', [...k.tomatoDispensers, ...onCounters('tomato')])));
  f.push(...delta(chef, near('dish', [...k.dishDispensers, ...onCounters('dish')])));
  const soupCell = near('soup', onCounters('soup'));
  const soup = chef.held?.name === 'soup' ? chef.held : soupCell ? s.objects.find((o) => samePos(o.pos, soupCell)) : undefined;
  f.push(...delta(chef, soupCell), soup ? count(soup, 'onion') : 0, soup ? count(soup, 'tomato') : 0);
  f.push(...delta(chef, closest(k, chef, k.serving)));
  f.push(0, 0); // the closest empty counter: never a motion goal for the reference's planner
  const pots = [...k.pots];
  for (let j = 0; j < 2; j++) {
    const pot = closest(k, chef, pots);
    if (!pot) {
      f.push(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      continue;
    }
    pots.splice(
      pots.findIndex((p) => samePos(p, pot)),
      1,
    );
    const status = potStatus(s.objects, pot);
    const content = s.objects.find((o) => samePos(o.pos, pot));
    const full = status === 'cooking' || status === 'ready' || status === '3_items';
    const remaining = content && !isIdle(content) ? Math.max(0, COOK_TIME - content.tick!) : 0;
    f.push(
      1,
      status === 'empty' ? 1 : 0,
      full ? 1 : 0,
      content && isCooking(content) ? 1 : 0,
      status === 'ready' ? 1 : 0,
      content ? count(content, 'onion') : 0,
      content ? count(content, 'tomato') : 0,
      remaining,
      ...delta(chef, pot),
    );
  }
  for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) f.push(isFloor(k, step(chef.pos, d)) ? 0 : 1);
  return f;
}

export function featurizeState(layout: LayoutName, s: KitchenState, seat: number): Float32Array {
  const k = kitchen(layout);
  const own = s.chefs[seat]!;
  const other = s.chefs[1 - seat]!;
  return Float32Array.from([
    ...chefFeatures(k, s, own),
    ...chefFeatures(k, s, other),
    other.pos[0] - own.pos[0],
    other.pos[1] - own.pos[1],
    own.pos[0],
    own.pos[1],
  ]);
}
