/**
 * Regenerates the golden playthroughs: `npm run playthroughs:update [-- <key>...]`.
 * Only run it together with a version bump of every env whose transcript changes
 * (the conformance test fails on any difference).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { getEnv, listEnvs } from '../../envs/registry.ts';
import { renderPlaythrough } from '../../envs/testing/playthrough.ts';
import { PLAYTHROUGH_DIR, playthroughPath, playthroughSource, readPlaythrough } from './playthrough-files.ts';

const keys = process.argv.slice(2);
const envs = keys.length ? keys.map((key) => getEnv(key)) : listEnvs();
mkdirSync(PLAYTHROUGH_DIR, { recursive: true });
for (const env of envs) {
  const text = renderPlaythrough(env);
  const before = readPlaythrough(env.key);
  if (before === text) {
    console.log(`unchanged ${playthroughSource(env.key)}`);
    continue;
  }
  writeFileSync(playthroughPath(env.key), text);
  console.log(`${before === undefined ? 'created' : 'updated'} ${playthroughSource(env.key)}`);
}
