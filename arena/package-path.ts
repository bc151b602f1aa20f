/**
 * Paths inside the Ludus package, found from this module wherever it runs: as a source file
 * (arena/, cli/) or compiled (dist/...), so a fixed `../..` from import.meta.url would be wrong
 * in one of them. The package root is the nearest directory above with a package.json
 * (dist/ has none).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packagePath(...parts: string[]): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
      dir = up;
    }
    root = dir;
  }
  return join(root, ...parts);
}
