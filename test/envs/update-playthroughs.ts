/**
 * Regenerates the golden playthroughs: `npm run playthroughs:update [-- <key>...]`.
 * Only run it together with a version bump of every env whose transcript changes
 * (the conformance test fails on any difference).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnyEnv } from '../../envs/core/env.ts';
import { getEnv, listEnvs } from '../../envs/registry.ts';
import { renderPlaythrough } from '../../envs/testing/playthrough.ts';
import { PLAYTHROUGH_DIR, playthroughPath, playthroughSource, playthroughSteps, readPlaythrough } from './playthrough-files.ts';

function updatePlaythroughs(envs: readonly AnyEnv[]): void {
  mkdirSync(PLAYTHROUGH_DIR, { recursive: true });
  for (const env of envs) {
    const maxSteps = playthroughSteps(env.spec.id);
    const text = renderPlaythrough(env, maxSteps === undefined ? {} : { maxSteps });
    const before = readPlaythrough(env.key);
    if (before === text) {
      console.log(`unchanged ${playthroughSource(env.key)}`);
      continue;
    }
    writeFileSync(playthroughPath(env.key), text);
    console.log(`${before === undefined ? 'created' : 'updated'} ${playthroughSource(env.key)}`);
  }
}

// Only as a script: a test runner that loads every .ts file here must not rewrite the goldens.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const keys = process.argv.slice(2);
  updatePlaythroughs(keys.length ? keys.map((key) => getEnv(key)) : listEnvs());
}
