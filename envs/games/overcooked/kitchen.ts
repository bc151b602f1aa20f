/**
 * The five classic Overcooked-AI kitchens and what the rules need to know about a grid:
 * terrain by cell, feature lists in the reference's row-major order, start cells, and the
 * single-chef motion distances the 96-value featurization uses.
 *
 * Grids are the `grid` strings of overcooked_ai's layout files (HumanCompatibleAI/overcooked_ai,
 * MIT; the files themselves sit in ./layouts, see NOTICE): `X` counter, `P` pot, `O` onion
 * dispenser, `T` tomato dispenser, `D` dish dispenser, `S` serving window, space floor, digit
 * k the start cell of player k-1. Coordinates are (x right, y down).
 */

export const LAYOUT_NAMES = ['cramped_room', 'asymmetric_advantages', 'coordination_ring', 'forced_coordination', 'counter_circuit'] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

/** Layout name -> its reference file (counter_circuit is the classic onion-only `_o_1order` file). */
export const LAYOUT_FILES: Readonly<Record<LayoutName, string>> = {
  cramped_room: 'cramped_room.layout',
  asymmetric_advantages: 'asymmetric_advantages.layout',
  coordination_ring: 'coordination_ring.layout',
  forced_coordination: 'forced_coordination.layout',
  counter_circuit: 'counter_circuit_o_1order.layout',
};

export const GRIDS: Readonly<Record<LayoutName, readonly string[]>> = {
  cramped_room: ['XXPXX', 'O  2O', 'X1  X', 'XDXSX'],
  asymmetric_advantages: ['XXXXXXXXX', 'O XSXOX S', 'X   P 1 X', 'X2  P   X', 'XXXDXDXXX'],
  coordination_ring: ['XXXPX', 'X 1 P', 'D2X X', 'O   X', 'XOSXX'],
  forced_coordination: ['XXXPX', 'O X1P', 'O2X X', 'D X X', 'XXXSX'],
  counter_circuit: ['XXXPPXXX', 'X  2   X', 'D XXXX S', 'X  1   X', 'XXXOOXXX'],
};

export type Pos = readonly [number, number];
/** Orientation index in the reference's Direction.ALL_DIRECTIONS order. */
export type Dir = 0 | 1 | 2 | 3;
export const DIR_NAMES = ['N', 'S', 'E', 'W'] as const;
export const DIR_VECTORS: readonly Pos[] = [
  [0, -1],
  [0, 1],
  [1, 0],
  [-1, 0],
];

export interface Kitchen {
  readonly name: LayoutName;
  readonly width: number;
  readonly height: number;
  /** terrain[y][x], start digits replaced by floor. */
  readonly terrain: readonly string[];
  readonly starts: readonly Pos[];
  readonly pots: readonly Pos[];
  readonly counters: readonly Pos[];
  readonly onionDispensers: readonly Pos[];
  readonly tomatoDispensers: readonly Pos[];
  readonly dishDispensers: readonly Pos[];
  readonly serving: readonly Pos[];
  readonly floor: readonly Pos[];
  /** dist[from][to] over motion states (cell, orientation), Infinity when unreachable. */
  readonly dist: readonly Float64Array[];
}

const cache = new Map<LayoutName, Kitchen>();

export function kitchen(name: LayoutName): Kitchen {
  let k = cache.get(name);
  if (!k) {
    k = buildKitchen(name, GRIDS[name]);
    cache.set(name, k);
  }
  return k;
}

export function terrainAt(k: Kitchen, [x, y]: Pos): string {
  return k.terrain[y]?.[x] ?? 'X';
}

export const isFloor = (k: Kitchen, p: Pos): boolean => terrainAt(k, p) === ' ';
export const step = ([x, y]: Pos, d: Dir): Pos => [x + DIR_VECTORS[d]![0], y + DIR_VECTORS[d]![1]];
export const samePos = (a: Pos, b: Pos): boolean => a[0] === b[0] && a[1] === b[1];

/** Index of a motion state (cell, orientation) in `dist`. */
export const motionIndex = (k: Kitchen, [x, y]: Pos, d: Dir): number => (y * k.width + x) * 4 + d;

function buildKitchen(name: LayoutName, grid: readonly string[]): Kitchen {
  const height = grid.length;
  const width = grid[0]!.length;
  const starts: Pos[] = [];
  const byType = new Map<string, Pos[]>();
  const terrain = grid.map((row, y) =>
    [...row]
      .map((c, x) => {
        if (c >= '1' && c <= '9') {
          starts[Number(c) - 1] = [x, y];
          c = ' ';
        }
        const list = byType.get(c) ?? [];
        list.push([x, y]);
        byType.set(c, list);
        return c;
      })
      .join(''),
  );
  const of = (c: string): Pos[] => byType.get(c) ?? [];
  const base = {
    name,
    width,
    height,
    terrain,
    starts,
    pots: of('P'),
    counters: of('X'),
    onionDispensers: of('O'),
    tomatoDispensers: of('T'),
    dishDispensers: of('D'),
    serving: of('S'),
    floor: of(' '),
  };
  return { ...base, dist: motionDistances({ ...base, dist: [] }) };
}

/**
 * All-pairs shortest paths over motion states, one unit per action, where a move into a
 * non-floor cell only turns the chef (the reference's single-agent motion graph).
 */
function motionDistances(k: Kitchen): Float64Array[] {
  const n = k.width * k.height * 4;
  const dist: Float64Array[] = [];
  for (let i = 0; i < n; i++) dist.push(new Float64Array(0));
  for (const cell of k.floor) {
    for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
      const row = new Float64Array(n).fill(Infinity);
      const start = motionIndex(k, cell, d);
      row[start] = 0;
      const queue: [Pos, Dir][] = [[cell, d]];
      for (let head = 0; head < queue.length; head++) {
        const [p, o] = queue[head]!;
        const here = row[motionIndex(k, p, o)]!;
        for (let m = 0 as Dir; m < 4; m = (m + 1) as Dir) {
          const ahead = step(p, m);
          const next: Pos = isFloor(k, ahead) ? ahead : p;
          const idx = motionIndex(k, next, m);
          if (row[idx] === Infinity) {
            row[idx] = here + 1;
            queue.push([next, m]);
          }
        }
      }
      dist[start] = row;
    }
  }
  return dist;
}
