/**
 * Deep-freezes a JSON-like value in place. The conformance suite freezes every state before
 * handing it to the env, so an `apply` that mutates its input throws (ESM code is strict).
 */

/** Objects already frozen all the way down: states share structure, so most of a new state is here. */
const deepFrozen = new WeakSet<object>();

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || deepFrozen.has(value)) return value;
  // Typed arrays cannot be frozen; states must not hold them (the JSON checks say so).
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  deepFrozen.add(value);
  return value;
}
