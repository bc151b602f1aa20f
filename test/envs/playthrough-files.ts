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

/**
 * Steps written out in full where the default (100) makes a huge file: a real-time tick
 * prints every seat's observation, and 100 ticks of six seats is a megabyte. The whole
 * episode is still played; its length and returns end the transcript.
 */
const PLAYTHROUGH_STEPS: Readonly<Record<string, number>> = {
  'slime-volleyball': 40,
  'team-volley': 12,
  'team-volley-roles': 12,
};

export const playthroughSteps = (id: string): number | undefined => PLAYTHROUGH_STEPS[id];
