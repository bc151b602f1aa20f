/**
 * Observation tensors of more than 16 floats are allocated from 64 KiB slabs. On Node 20, V8 allocates typed
 * arrays over 64 bytes off-heap at ~700 ns each, which alone would halve the env step rate;
 * a view into a fresh slab costs ~40 ns. Slabs are never reused, so tensors never alias:
 * each one is its own zero-initialised memory. A live tensor keeps its slab alive, so code
 * that stores tensors for long (replay buffers) should copy them (`tensor.slice()`) or pack
 * them into its own batch arrays; never use `tensor.buffer` as if it were the tensor's own.
 */

const SLAB_FLOATS = 16384; // 64 KiB
let slab = new ArrayBuffer(SLAB_FLOATS * 4);
let offset = 0; // in floats

/** A zero-filled Float32Array of length n. */
export function zeros(n: number): Float32Array {
  // Up to 64 bytes V8 allocates on its own heap, faster than a view (kuhn's 11 floats).
  if (n <= 16 || n > SLAB_FLOATS / 8) return new Float32Array(n);
  if (offset + n > SLAB_FLOATS) {
    slab = new ArrayBuffer(SLAB_FLOATS * 4);
    offset = 0;
  }
  const t = new Float32Array(slab, offset * 4, n);
  offset += n;
  return t;
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
