/**
 * Real-time views arrive ~10 times a second; frames are drawn ~60 times. Between the last two
 * views, every position (an object's numeric `x` and `y`) is interpolated by time; everything
 * else comes from the newer view. A body that jumped (a new serve) snaps instead of gliding.
 */
const SNAP = 6; // world units in one patch: faster than anything moves, so a reset

function lerpAny(a: unknown, b: unknown, f: number): unknown {
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length ? b.map((value, i) => lerpAny(a[i], value, f)) : b;
  if (b === null || typeof b !== 'object' || a === null || typeof a !== 'object' || Array.isArray(a)) return b;
  const from = a as Record<string, unknown>;
  const to = b as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const positional = typeof to['x'] === 'number' && typeof to['y'] === 'number' && typeof from['x'] === 'number' && typeof from['y'] === 'number';
  const jumped = positional && Math.hypot((to['x'] as number) - (from['x'] as number), (to['y'] as number) - (from['y'] as number)) > SNAP;
  for (const [key, value] of Object.entries(to)) {
    if (positional && !jumped && (key === 'x' || key === 'y')) out[key] = (from[key] as number) + ((value as number) - (from[key] as number)) * f;
    else out[key] = lerpAny(from[key], value, f);
  }
  return out;
}

/** The view `f` of the way from `a` to `b` (0 = a, 1 = b). */
export const interpolateView = <V>(a: V, b: V, f: number): V => lerpAny(a, b, Math.min(1, Math.max(0, f))) as V;
