/**
 * Compact text for language-model chefs: the grid with both chefs and loose items drawn in,
 * one line per chef, the pots, and a legend. Coordinates are (x right, y down) like the view.
 */
import { COOK_TIME, isIdle, isReady, type Item, type KitchenState } from './dynamics.ts';
import { DIR_NAMES, kitchen, samePos, type LayoutName } from './kitchen.ts';

export const ACTION_NAMES = ['up', 'down', 'right', 'left', 'stay', 'interact'] as const;
export const ACTION_ALIASES: readonly (readonly string[])[] = [
  ['north', 'move up'],
  ['south', 'move down'],
  ['east', 'move right'],
  ['west', 'move left'],
  ['wait', 'noop'],
  [],
];

const DIR_WORDS = ['up (N)', 'down (S)', 'right (E)', 'left (W)'];
const ITEM_CHAR: Readonly<Record<string, string>> = { onion: 'o', tomato: 't', dish: 'd', soup: 's' };

export const RULES_TEXT = [
  'Overcooked: two chefs share a kitchen and score together. Make onion soup: put 3 onions in a pot,',
  'let it cook for 20 steps, take it out with a dish and carry it to a serving window (20 points per soup).',
  'Each step both chefs move at once: up, down, left, right (a move into a non-floor cell only turns you to face it),',
  'stay, or interact with the cell you face (take from a dispenser or counter, put down on an empty counter,',
  'add an ingredient to a pot, plate a ready soup with a dish, serve a soup). Chefs cannot pass through each other.',
].join(' ');

export function itemText(item: Item): string {
  if (item.name !== 'soup') return `a${item.name === 'onion' ? 'n' : ''} ${item.name}`;
  const n = item.ingredients?.length ?? 0;
  return `a soup of ${n} ${n === 1 ? 'onion' : 'onions'}`;
}

export function potText(item: Item | undefined, oldDynamics: boolean): string {
  if (!item) return 'empty';
  const n = item.ingredients?.length ?? 0;
  const what = `${n} ${n === 1 ? 'onion' : 'onions'}`;
  if (isReady(item)) return `${what}, ready: plate it with a dish`;
  if (!isIdle(item)) return `${what}, cooking, ready in ${COOK_TIME - item.tick!} steps`;
  if (n < 3) return `${what}, needs ${3 - n} more${oldDynamics ? '' : ' (or interact with empty hands to cook it now)'}`;
  return `${what}, full: interact with empty hands to start cooking`;
}

export interface TextInput {
  readonly layout: LayoutName;
  readonly oldDynamics: boolean;
  readonly horizon: number;
  readonly state: KitchenState;
  readonly score: number;
  readonly seat: number | null;
}

export function observationText({ layout, oldDynamics, horizon, state, score, seat }: TextInput): string {
  const k = kitchen(layout);
  const rows = k.terrain.map((row) => [...row]);
  for (const o of state.objects) if (k.terrain[o.pos[1]]![o.pos[0]] === 'X') rows[o.pos[1]]![o.pos[0]] = ITEM_CHAR[o.name]!;
  const mark = (i: number): string => (seat === null ? String(i) : i === seat ? 'A' : 'B');
  state.chefs.forEach((c, i) => {
    rows[c.pos[1]]![c.pos[0]] = mark(i);
  });
  const header = `   ${Array.from({ length: k.width }, (_, x) => x % 10).join('')}`;
  const grid = rows.map((r, y) => `${String(y).padStart(2)} ${r.join('')}`);
  const who = (i: number): string => (seat === null ? `Chef ${i}` : i === seat ? 'You (A)' : 'Partner (B)');
  const chefs = state.chefs.map(
    (c, i) => `${who(i)}: at (${c.pos[0]},${c.pos[1]}) facing ${DIR_WORDS[c.dir]}, holding ${c.held ? itemText(c.held) : 'nothing'}.`,
  );
  const pots = k.pots.map(
    (p) =>
      `(${p[0]},${p[1]}) ${potText(
        state.objects.find((o) => samePos(o.pos, p)),
        oldDynamics,
      )}`,
  );
  const soups = score / 20;
  return [
    `Overcooked, ${layout}. Step ${state.timestep} of ${horizon}. Team score ${score} (${soups} ${soups === 1 ? 'soup' : 'soups'} served).`,
    seat === null ? 'Chefs are drawn as 0 and 1.' : `You are chef ${seat} (A); your partner is chef ${1 - seat} (B).`,
    header,
    ...grid,
    ...chefs,
    `Pots: ${pots.join('; ')}.`,
    'Legend: X counter, P pot, O onion dispenser, D dish dispenser, S serving window, space floor; o d s = onion, dish, soup on a counter.',
    `Actions: ${ACTION_NAMES.map((a) => `[${a}]`).join(' ')} (interact uses the cell you face; you face ${seat === null ? 'your last move' : DIR_NAMES[state.chefs[seat]!.dir]}).`,
  ].join('\n');
}
