/**
 * Where golden playthroughs live: test/envs/playthroughs/<key>.txt, one per registered env.
 * Shared by the conformance test (reads) and update-playthroughs.ts (writes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PLAYTHROUGH_DIR = fileURLToPath(new URL('./playthroughs/', import.meta.url));

export const playthroughPath = (key: string): string => `${PLAYTHROUGH_DIR}${key}.txt`;

/** Path relative to the repository root, for messages. */
export const playthroughSource = (key: string): string => `test/envs/playthroughs/${key}.txt`;

export function readPlaythrough(key: string): string | undefined {
  const path = playthroughPath(key);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
