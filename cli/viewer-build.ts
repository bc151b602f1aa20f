/**
 * Builds the web viewer (Vite) when web-viewer/dist is missing or older than any of its
 * sources (web-viewer/, envs/, protocol/), so `ludus serve` and `ludus start` always serve
 * the current viewer. A build takes about a second; an up-to-date one is left alone.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../arena/package-path.ts';

const ROOT = packagePath();
export const VIEWER_ROOT = join(ROOT, 'web-viewer');
export const VIEWER_DIST = join(VIEWER_ROOT, 'dist');
/** What the bundle is made of: a newer file here makes the build stale. */
const SOURCES = [join(VIEWER_ROOT, 'src'), join(VIEWER_ROOT, 'index.html'), join(VIEWER_ROOT, 'vite.config.ts'), join(ROOT, 'envs'), join(ROOT, 'protocol')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/index.html is missing or older than a source file. */
export function viewerIsStale(): boolean {
  const index = join(VIEWER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > built);
}

export interface ViewerBuild {
  readonly built: boolean;
  readonly ms: number;
}

/** Builds the viewer if it is missing or stale (or always, with `force`). */
export async function ensureViewerBuilt(options: { force?: boolean } = {}): Promise<ViewerBuild> {
  const started = performance.now();
  if (!options.force && !viewerIsStale()) return { built: false, ms: 0 };
  const { build } = await import('vite');
  await build({ configFile: join(VIEWER_ROOT, 'vite.config.ts'), logLevel: 'error' });
  return { built: true, ms: Math.round(performance.now() - started) };
}

/** For the CLI: builds when needed and says so; a failed build is reported, and the API is served anyway. */
export async function buildViewerOrWarn(log: (line: string) => void): Promise<void> {
  try {
    const result = await ensureViewerBuilt();
    if (result.built) log(`built the web viewer in ${result.ms} ms (web-viewer/dist)`);
  } catch (error) {
    log(
      `warning: the web viewer could not be built (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the API works, / shows how to build it`,
    );
  }
}
