/**
 * The layer rule, checked from source text: envs <- agents <- league <- arena <- cli/bin/bench,
 * with protocol/ (the wire schemas) beside envs: agents and everything above may import it.
 * A file may import its own layer and lower ones. envs/ and protocol/ import only zod (no node:*
 * modules, no other packages) and protocol/ nothing of envs/; envs/testing, the shipped test
 * tooling, may also import mocha and chai, and nothing outside envs/testing may import it.
 * web-viewer/ (browser code) imports only envs/ (not envs/testing), protocol/ and npm packages,
 * no node modules (its vite.config.ts, which runs in node, excepted); nothing imports it.
 */
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

const RANKS: Readonly<Record<string, number>> = { envs: 0, protocol: 0.5, agents: 1, league: 2, arena: 3, cli: 4, bin: 4, bench: 4 };
/** Layers that stay pure: zod is their only package, no node modules. */
const PURE_LAYERS = ['envs', 'protocol'];
const ENV_PACKAGES = ['zod'];
const TESTING_PACKAGES = ['zod', 'mocha', 'chai'];
const TESTING_DIR = 'envs/testing/';

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly reason: string;
}

/** Specifiers of static imports, re-exports and dynamic imports, comments stripped. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const statement = /(?:^|[;}\s])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]*?\s*from\s*)?['"]([^'"]+)['"]/g;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(statement)) found.push(m[1]!);
  for (const m of code.matchAll(dynamic)) found.push(m[1]!);
  return found;
}

const layerOf = (file: string): string | undefined => {
  const top = file.split('/')[0] ?? '';
  return top in RANKS ? top : undefined;
};

/** The package a bare specifier names: 'zod/v4' -> 'zod', '@scope/x/y' -> '@scope/x'. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));

const VIEWER_DIR = 'web-viewer/';
const VIEWER_TARGETS = ['web-viewer/', 'envs/', 'protocol/'];

function checkViewerImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) {
    if (isBuiltin(specifier) && file !== 'web-viewer/vite.config.ts') return 'web-viewer/ runs in the browser: no node modules';
    return undefined;
  }
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (target.startsWith(TESTING_DIR)) return 'only envs/testing may import envs/testing (it is test tooling)';
  if (!VIEWER_TARGETS.some((dir) => target.startsWith(dir))) return `web-viewer/ imports only envs/, protocol/ and npm packages, not ${target}`;
  return undefined;
}

/** Why `file` (repository-relative, with forward slashes) may not import `specifier`, or undefined. */
export function checkImport(file: string, specifier: string): string | undefined {
  if (file.startsWith(VIEWER_DIR)) return checkViewerImport(file, specifier);
  const layer = layerOf(file);
  if (layer === undefined) return undefined;
  const inTesting = file.startsWith(TESTING_DIR);
  if (!specifier.startsWith('.')) {
    if (!PURE_LAYERS.includes(layer)) return undefined;
    if (isBuiltin(specifier)) return `${layer}/ is pure: no node modules`;
    const allowed = inTesting ? TESTING_PACKAGES : ENV_PACKAGES;
    return allowed.includes(packageOf(specifier)) ? undefined : `${layer}/ may import only ${allowed.join(', ')}`;
  }
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  const targetLayer = layerOf(target);
  if (targetLayer === undefined) return `imports ${target}, outside the layers (${Object.keys(RANKS).join(', ')})`;
  if (layer === 'protocol' && targetLayer !== 'protocol') return 'protocol/ is the wire alone: it imports only zod and itself';
  if (RANKS[targetLayer]! > RANKS[layer]!) return `${layer}/ may not import ${targetLayer}/ (envs <- agents <- league <- arena <- cli)`;
  if (target.startsWith(TESTING_DIR) && !inTesting) return 'only envs/testing may import envs/testing (it is test tooling)';
  return undefined;
}

function tsFiles(root: string, dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(posix.join(root, dir), { withFileTypes: true });
  } catch {
    return []; // a layer that does not exist yet
  }
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : tsFiles(root, path);
    return entry.name.endsWith('.ts') || entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** The .ts files under the given top-level folders of `root`, repository-relative. */
export const layerFiles = (root: string, dirs: readonly string[]): string[] => dirs.flatMap((dir) => tsFiles(root, dir));

/** Every violation in the .ts files under the given top-level folders of `root`. */
export function scanLayers(root: string, dirs: readonly string[]): Violation[] {
  return layerFiles(root, dirs).flatMap((file) =>
    importSpecifiers(readFileSync(posix.join(root, file), 'utf8')).flatMap((specifier) => {
      const reason = checkImport(file, specifier);
      return reason === undefined ? [] : [{ file, specifier, reason }];
    }),
  );
}
