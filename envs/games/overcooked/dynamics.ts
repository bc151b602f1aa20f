/**
 * One step of the Overcooked-AI kitchen (the reference's `get_state_transition`):
 * interacts for chef 0 then chef 1, then movement with collisions, then the environment
 * (timestep, auto-cooking under the 2019 rules, cooking ticks). Pure: returns a new state.
 */
import { DIR_VECTORS, isFloor, kitchen, samePos, step, terrainAt, type Dir, type Kitchen, type Pos } from './kitchen.ts';

export type ItemName = 'onion' | 'tomato' | 'dish' | 'soup';
export const INGREDIENTS: readonly string[] = ['onion', 'tomato'];

export interface Item {
  readonly name: ItemName;
  /** Soups only: ingredient names in the order added. */
  readonly ingredients?: readonly ('onion' | 'tomato')[];
  /** Soups only: -1 while idle, then ticks cooked (ready at COOK_TIME). */
  readonly tick?: number;
}
export interface PlacedItem extends Item {
  readonly pos: Pos;
}
export interface Chef {
  readonly pos: Pos;
  readonly dir: Dir;
  readonly held: Item | null;
}

export interface Shaping {
  readonly placementInPot: number;
  readonly dishPickup: number;
  readonly soupPickup: number;
}

export interface KitchenParams {
  readonly layout: import('./kitchen.ts').LayoutName;
  readonly oldDynamics: boolean;
  readonly horizon: number;
  readonly shaping: Shaping;
}

export interface KitchenState {
  readonly timestep: number;
  readonly chefs: readonly [Chef, Chef];
  /** Items on counters and in pots, in the reference's insertion order. */
  readonly objects: readonly PlacedItem[];
}

export interface StepRewards {
  readonly sparse: [number, number];
  readonly shaped: [number, number];
}

export const COOK_TIME = 20;
export const SOUP_VALUE = 20;
export const MAX_INGREDIENTS = 3;
export const STAY = 4;
export const INTERACT = 5;

export const isIdle = (soup: Item): boolean => (soup.tick ?? -1) < 0;
export const isReady = (soup: Item): boolean => !isIdle(soup) && soup.tick! >= COOK_TIME;
export const isCooking = (soup: Item): boolean => !isIdle(soup) && !isReady(soup);
export const isFull = (soup: Item): boolean => !isIdle(soup) || (soup.ingredients?.length ?? 0) === MAX_INGREDIENTS;

/** Only the three-onion soup is on the classic layouts' order list; other soups score 0. */
const soupValue = (soup: Item): number => (soup.ingredients?.length === 3 && soup.ingredients.every((i) => i === 'onion') ? SOUP_VALUE : 0);

export function startState(layout: KitchenParams['layout']): KitchenState {
  const k = kitchen(layout);
  const chef = (i: number): Chef => ({ pos: k.starts[i]!, dir: 0, held: null });
  return { timestep: 0, chefs: [chef(0), chef(1)], objects: [] };
}

export type PotStatus = 'empty' | 'ready' | 'cooking' | `${number}_items`;

export function potStatus(objects: readonly PlacedItem[], pot: Pos): PotStatus {
  const soup = objects.find((o) => samePos(o.pos, pot));
  if (!soup) return 'empty';
  if (isReady(soup)) return 'ready';
  if (isCooking(soup)) return 'cooking';
  return `${soup.ingredients?.length ?? 0}_items`;
}

interface Scratch {
  chefs: Chef[];
  objects: PlacedItem[];
}

const objectAt = (s: Scratch, p: Pos): PlacedItem | undefined => s.objects.find((o) => samePos(o.pos, p));
const removeAt = (s: Scratch, p: Pos): PlacedItem => {
  const i = s.objects.findIndex((o) => samePos(o.pos, p));
  return s.objects.splice(i, 1)[0]!;
};
const replaceAt = (s: Scratch, item: PlacedItem): void => {
  s.objects[s.objects.findIndex((o) => samePos(o.pos, item.pos))] = item;
};

/**
 * The reference's "useful dish pickup": no dish on a counter, and fewer dishes in hands than
 * pots that are cooking, ready or partly filled (pot statuses as of the start of the step).
 */
function dishPickupUseful(k: Kitchen, s: Scratch, usefulPots: number): boolean {
  const counterDish = s.objects.some((o) => o.name === 'dish' && terrainAt(k, o.pos) === 'X');
  const heldDishes = s.chefs.filter((c) => c.held?.name === 'dish').length;
  return !counterDish && heldDishes < usefulPots;
}

function interact(k: Kitchen, p: KitchenParams, s: Scratch, i: number, usefulPots: number, r: { sparse: number[]; shaped: number[] }): void {
  const chef = s.chefs[i]!;
  const target = step(chef.pos, chef.dir);
  const terrain = terrainAt(k, target);
  const held = chef.held;
  const hold = (item: Item | null): void => {
    s.chefs[i] = { ...chef, held: item };
  };
  if (terrain === 'X') {
    const there = objectAt(s, target);
    if (held && !there) {
      s.objects.push({ ...held, pos: target });
      hold(null);
    } else if (!held && there) {
      const { pos: _pos, ...item } = removeAt(s, target);
      hold(item);
    }
  } else if (terrain === 'O' && !held) {
    hold({ name: 'onion' });
  } else if (terrain === 'T' && !held) {
    hold({ name: 'tomato' });
  } else if (terrain === 'D' && !held) {
    if (dishPickupUseful(k, s, usefulPots)) r.shaped[i]! += p.shaping.dishPickup;
    hold({ name: 'dish' });
  } else if (terrain === 'P' && !held) {
    const soup = objectAt(s, target);
    if (!p.oldDynamics && soup && isIdle(soup) && (soup.ingredients?.length ?? 0) > 0) replaceAt(s, { ...soup, tick: 0 });
  } else if (terrain === 'P' && held) {
    const soup = objectAt(s, target);
    if (held.name === 'dish' && soup && isReady(soup)) {
      const { pos: _pos, ...item } = removeAt(s, target);
      hold(item);
      r.shaped[i]! += p.shaping.soupPickup;
    } else if (INGREDIENTS.includes(held.name)) {
      const pot = soup ?? { name: 'soup' as const, pos: target, ingredients: [], tick: -1 };
      if (!soup) s.objects.push(pot);
      if (!isFull(pot)) {
        replaceAt(s, { ...pot, ingredients: [...pot.ingredients!, held.name as 'onion' | 'tomato'] });
        hold(null);
        r.shaped[i]! += p.shaping.placementInPot;
      }
    }
  } else if (terrain === 'S' && held?.name === 'soup') {
    r.sparse[i]! += soupValue(held);
    hold(null);
  }
}

function move(k: Kitchen, chef: Chef, action: number): { pos: Pos; dir: Dir } {
  if (action >= 4) return { pos: chef.pos, dir: chef.dir };
  const dir = action as Dir;
  const ahead: Pos = [chef.pos[0] + DIR_VECTORS[dir]![0], chef.pos[1] + DIR_VECTORS[dir]![1]];
  return { pos: isFloor(k, ahead) ? ahead : chef.pos, dir };
}

function cook(p: KitchenParams, item: PlacedItem): PlacedItem {
  if (item.name !== 'soup') return item;
  let soup = item;
  if (p.oldDynamics && isIdle(soup) && soup.ingredients!.length === MAX_INGREDIENTS) soup = { ...soup, tick: 0 };
  return isCooking(soup) ? { ...soup, tick: soup.tick! + 1 } : soup;
}

export function stepKitchen(p: KitchenParams, state: KitchenState, actions: readonly [number, number]): { state: KitchenState; rewards: StepRewards } {
  const k = kitchen(p.layout);
  const s: Scratch = { chefs: [...state.chefs], objects: [...state.objects] };
  const r: StepRewards = { sparse: [0, 0], shaped: [0, 0] };
  const usefulPots: number = k.pots
    .map((pot) => potStatus(state.objects, pot))
    .filter((st) => st === 'ready' || st === 'cooking' || st === '1_items' || st === '2_items').length;
  for (let i = 0; i < 2; i++) if (actions[i] === INTERACT) interact(k, p, s, i, usefulPots, r);
  const moved = s.chefs.map((c, i) => move(k, c, actions[i]!));
  const [a, b] = moved as [{ pos: Pos; dir: Dir }, { pos: Pos; dir: Dir }];
  const collide = samePos(a.pos, b.pos) || (samePos(a.pos, s.chefs[1]!.pos) && samePos(b.pos, s.chefs[0]!.pos));
  const chefs = s.chefs.map((c, i) => ({ ...c, pos: collide ? c.pos : moved[i]!.pos, dir: moved[i]!.dir })) as [Chef, Chef];
  return { state: { timestep: state.timestep + 1, chefs, objects: s.objects.map((o) => cook(p, o)) }, rewards: r };
}
