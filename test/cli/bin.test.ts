import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from './run-cli.ts';

/**
 * bin/ludus.js in a miniature package: a compiled main that prints "compiled" and a source
 * main that prints "source", with modification times set by hand (no clock involved).
 */
describe('bin/ludus.js', () => {
  let root: string;
  const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);
  const run = (env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'ludus.js'), 'x'], {
      env: { ...process.env, LUDUS_FROM_SOURCE: '', ...env },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).to.equal(0);
    return result.stdout.trim();
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ludus-bin-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'cli', 'commands'), { recursive: true });
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    copyFileSync(BIN, join(root, 'bin', 'ludus.js'));
    symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(root, 'cli', 'main.ts'),
      "export async function main(argv: string[]): Promise<number> { console.log('source', argv.join()); return 0; }\n",
    );
    writeFileSync(join(root, 'cli', 'commands', 'x.ts'), 'export {};\n');
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), "export async function main(argv) { console.log('compiled', argv.join()); return 0; }\n");
    for (const file of ['cli/main.ts', 'cli/commands/x.ts']) utimesSync(join(root, file), at(0), at(0));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('runs the sources through tsx while nothing is built', () => {
    expect(run()).to.equal('source x');
  });

  it('runs the compiled JavaScript once the build stamp is newer than every source', () => {
    writeFileSync(join(root, 'dist', '.stamp'), '');
    utimesSync(join(root, 'dist', '.stamp'), at(10), at(10));
    expect(run()).to.equal('compiled x');
    expect(run({ LUDUS_FROM_SOURCE: '1' })).to.equal('source x');
  });

  it('falls back to the sources when a source file (in any folder depth) changed after the build', () => {
    utimesSync(join(root, 'cli', 'commands', 'x.ts'), at(20), at(20));
    expect(run()).to.equal('source x');
  });
});
