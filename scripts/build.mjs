#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles the sources to dist/ with
// tsc, then writes dist/.stamp, which bin/ludus.js checks to run the compiled JavaScript
// instead of compiling TypeScript on the fly. Without TypeScript installed (npm ci
// --omit=dev) it skips the build: the CLI then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const dist = join(root, 'dist');

if (!existsSync(tsc)) {
  console.warn('ludus build: TypeScript is not installed; skipped (the CLI runs the sources through tsx)');
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true }); // no compiled file of a deleted source survives
const result = spawnSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('ludus build: tsc failed; dist/ is left without its stamp, so the CLI runs the sources through tsx');
  process.exit(result.status ?? 1);
}
// Data files the sources read beside themselves (weights, layouts, word lists) go along.
for (const layer of ['envs', 'agents', 'league', 'arena', 'protocol', 'cli']) copyData(join(root, layer), join(dist, layer));
writeFileSync(join(dist, '.stamp'), `${new Date().toISOString()}\n`);

function copyData(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyData(source, join(to, entry.name));
    else if (!entry.name.endsWith('.ts')) cpSync(source, join(to, entry.name));
  }
}
