import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_STREAMS } from '../../../envs/index.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('envs/core/seed-streams', () => {
  it('gives every named stream its own value', () => {
    const values = Object.values(SEED_STREAMS);
    expect(new Set(values).size).to.equal(values.length);
  });

  it('is the only place that names a stream constant', () => {
    const root = join(import.meta.dirname, '../../..');
    const copies = ['envs', 'agents', 'league', 'arena']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => !file.endsWith('seed-streams.ts'))
      .filter((file) => /const [A-Z_]*STREAM\s*=\s*0x|deriveSeed\([^,()]+,\s*0x/.test(readFileSync(file, 'utf8')));
    expect(copies.map((file) => file.slice(root.length + 1))).to.deep.equal([]);
  });
});
