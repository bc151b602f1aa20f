#!/usr/bin/env node
// The `ludus` command. It runs the JavaScript compiled at install (`npm ci` runs the build;
// `npm run build` redoes it) when dist/ is complete and newer than every source file, and
// otherwise the TypeScript sources through tsx, so an edited checkout never runs stale code.
// LUDUS_FROM_SOURCE=1 always runs the sources.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE_DIRS = ['envs', 'agents', 'league', 'arena', 'protocol', 'cli'];

/** Newest modification time (ms) of the .ts files under `dir`, 0 if it does not exist. */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  if (process.env.LUDUS_FROM_SOURCE === '1') return false;
  let built;
  try {
    built = statSync(join(root, 'dist', '.stamp')).mtimeMs;
  } catch {
    return false;
  }
  return SOURCE_DIRS.every((dir) => newestSource(join(root, dir)) <= built);
}

let main;
if (compiledIsFresh()) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
