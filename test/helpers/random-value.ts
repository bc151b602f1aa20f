/** Seeded junk for fuzz tests: nested JSON values built from a few words the protocol uses. */
import type { Rng } from '../../envs/index.ts';

export function randomValue(rng: Rng, words: readonly string[], longRepeat = 1500, depth = 0): unknown {
  const kind = rng.int(depth > 2 ? 4 : 6);
  if (kind === 0) return rng.pick([null, true, false]);
  if (kind === 1) return rng.pick([0, -1, 1, 7, 1.5, 1e21, 2 ** 53]);
  if (kind === 2) return rng.pick(words);
  if (kind === 3) return 'ab{}[]"\\é😀'.repeat(rng.pick([0, 1, 10, longRepeat]));
  if (kind === 4) return Array.from({ length: rng.int(4) }, () => randomValue(rng, words, longRepeat, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.int(5); i > 0; i--) out[rng.pick(words)] = randomValue(rng, words, longRepeat, depth + 1);
  return out;
}
