/**
 * A JSON view as flat leaves (`"ball.x" -> 3.2`, `"agents.0.lives" -> 5`) and back. Real-time
 * matches sync their spectator view into a Colyseus map of leaves, so each patch carries only
 * the numbers that changed since the last one instead of the whole view. Keys use `.` between
 * path segments; object keys containing `.` or `~` are escaped (`~1`, `~0`). An empty array or
 * object is kept as a leaf of its own (`[]`, `{}`), so the round trip is exact.
 */

export type Leaf = number | string | boolean | null;
export type LeafMap = Map<string, Leaf>;

const escapeKey = (key: string): string => key.replace(/~/g, '~0').replace(/\./g, '~1');
const unescapeKey = (key: string): string => key.replace(/~1/g, '.').replace(/~0/g, '~');

const EMPTY_ARRAY = '\u0000[]';
const EMPTY_OBJECT = '\u0000{}';

/** Every primitive of `view` under its path; the root itself under '' when it is a primitive. */
export function flattenView(view: unknown, into: LeafMap = new Map(), prefix = ''): LeafMap {
  if (view === null || typeof view !== 'object') {
    into.set(prefix, view === undefined ? null : (view as Leaf));
    return into;
  }
  const entries: [string, unknown][] = Array.isArray(view)
    ? view.map((value, index) => [String(index), value])
    : Object.entries(view as Record<string, unknown>).map(([key, value]) => [escapeKey(key), value]);
  if (entries.length === 0) {
    into.set(prefix, Array.isArray(view) ? EMPTY_ARRAY : EMPTY_OBJECT);
    return into;
  }
  for (const [key, value] of entries) flattenView(value, into, prefix === '' ? key : `${prefix}.${key}`);
  return into;
}

/** The view back from its leaves: numeric segments make arrays, others objects. */
export function unflattenView(leaves: Iterable<[string, Leaf]>): unknown {
  const root: { value?: unknown } = {};
  for (const [path, leaf] of leaves) {
    const value = leaf === EMPTY_ARRAY ? [] : leaf === EMPTY_OBJECT ? {} : leaf;
    if (path === '') {
      root.value = value;
      continue;
    }
    const segments = path.split('.');
    let parent: Record<string, unknown> = root as Record<string, unknown>;
    let key = 'value';
    for (const segment of segments) {
      if (parent[key] === undefined || typeof parent[key] !== 'object' || parent[key] === null) {
        parent[key] = /^\d+$/.test(segment) ? [] : {};
      }
      parent = parent[key] as Record<string, unknown>;
      key = /^\d+$/.test(segment) && Array.isArray(parent) ? segment : unescapeKey(segment);
    }
    parent[key] = value;
  }
  return root.value ?? null;
}
