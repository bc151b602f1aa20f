import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImport, importSpecifiers, layerFiles, scanLayers } from './helpers/import-layers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('layers', () => {
  it('no file in envs/, protocol/, agents/, league/ or arena/ imports against the layer order', () => {
    const dirs = ['envs', 'protocol', 'agents', 'league', 'arena', 'web-viewer'];
    expect(layerFiles(ROOT, dirs)).to.include.members(['envs/core/env.ts', 'envs/testing/conformance.ts', 'agents/agent.ts', 'web-viewer/src/main.tsx']);
    const violations = scanLayers(ROOT, dirs);
    const lines = violations.map((v) => `${v.file} imports '${v.specifier}': ${v.reason}`);
    expect(lines, `layer violations:\n${lines.join('\n')}`).to.deep.equal([]);
  });

  describe('checkImport', () => {
    it('rejects an import of a higher layer', () => {
      expect(checkImport('envs/core/env.ts', '../../agents/agent.ts')).to.match(/envs\/ may not import agents\//);
      expect(checkImport('agents/agent.ts', '../league/play-match.ts')).to.match(/agents\/ may not import league\//);
      expect(checkImport('league/play-match.ts', '../arena/x.ts')).to.match(/league\/ may not import arena\//);
      expect(checkImport('arena/x.ts', '../cli/args.ts')).to.match(/arena\/ may not import cli\//);
    });

    it('keeps protocol/ to zod and itself, importable from agents/ and above but not from envs/', () => {
      expect(checkImport('protocol/messages.ts', './errors.ts')).to.equal(undefined);
      expect(checkImport('protocol/messages.ts', 'zod')).to.equal(undefined);
      expect(checkImport('protocol/errors.ts', '../envs/core/errors.ts')).to.match(/protocol\/ is the wire alone/);
      expect(checkImport('protocol/errors.ts', 'node:crypto')).to.match(/no node modules/);
      expect(checkImport('agents/remote/x.ts', '../../protocol/index.ts')).to.equal(undefined);
      expect(checkImport('envs/core/env.ts', '../../protocol/index.ts')).to.match(/envs\/ may not import protocol\//);
    });

    it('accepts imports of the same or a lower layer', () => {
      expect(checkImport('league/play-match.ts', '../agents/agent.ts')).to.equal(undefined);
      expect(checkImport('league/play-match.ts', '../envs/index.ts')).to.equal(undefined);
      expect(checkImport('envs/games/connect-four/index.ts', '../../core/env.ts')).to.equal(undefined);
      expect(checkImport('cli/args.ts', '../arena/x.ts')).to.equal(undefined);
    });

    it('lets envs/ import zod only, and envs/testing also mocha and chai', () => {
      expect(checkImport('envs/core/env.ts', 'zod')).to.equal(undefined);
      expect(checkImport('envs/core/env.ts', 'node:fs')).to.match(/no node modules/);
      expect(checkImport('envs/core/env.ts', 'fs')).to.match(/no node modules/);
      expect(checkImport('envs/core/env.ts', 'chai')).to.match(/may import only zod/);
      expect(checkImport('envs/core/env.ts', '@tensorflow/tfjs')).to.match(/may import only zod/);
      expect(checkImport('envs/testing/conformance.ts', 'mocha')).to.equal(undefined);
      expect(checkImport('envs/testing/conformance.ts', 'node:fs')).to.match(/no node modules/);
      expect(checkImport('agents/agent.ts', 'node:fs')).to.equal(undefined);
    });

    it('keeps envs/testing out of production code and imports inside the layers', () => {
      expect(checkImport('envs/index.ts', './testing/conformance.ts')).to.match(/only envs\/testing/);
      expect(checkImport('league/x.ts', '../envs/testing/index.ts')).to.match(/only envs\/testing/);
      expect(checkImport('envs/testing/index.ts', './conformance.ts')).to.equal(undefined);
      expect(checkImport('envs/core/env.ts', '../../test/helpers/x.ts')).to.match(/outside the layers/);
    });
  });

  it('lets web-viewer/ import only envs/, protocol/ and npm packages, and nothing import it', () => {
    expect(checkImport('web-viewer/src/replay-frames.ts', '../../envs/index.ts')).to.equal(undefined);
    expect(checkImport('web-viewer/src/pages/tv.tsx', '../../../protocol/http-api.ts')).to.equal(undefined);
    expect(checkImport('web-viewer/src/pages/tv.tsx', '../components/board.tsx')).to.equal(undefined);
    expect(checkImport('web-viewer/src/live.ts', '@colyseus/sdk')).to.equal(undefined);
    expect(checkImport('web-viewer/src/pages/tv.tsx', '../../../arena/lobby/match-manager.ts')).to.match(/imports only envs\/, protocol\/ and npm packages/);
    expect(checkImport('web-viewer/src/pages/tv.tsx', '../../../league/standings.ts')).to.match(/imports only envs\/, protocol\/ and npm packages/);
    expect(checkImport('web-viewer/src/x.ts', '../../envs/testing/index.ts')).to.match(/only envs\/testing/);
    expect(checkImport('web-viewer/src/x.ts', 'node:fs')).to.match(/no node modules/);
    expect(checkImport('web-viewer/vite.config.ts', 'node:url')).to.equal(undefined);
    expect(checkImport('arena/http/viewer-routes.ts', '../../web-viewer/src/main.tsx')).to.match(/outside the layers/);
  });

  describe('importSpecifiers', () => {
    it('finds imports, type imports, re-exports and dynamic imports, skipping comments', () => {
      const source = [
        "import { z } from 'zod';",
        "import type {\n  A,\n  B,\n} from '../core/env.ts';",
        "export * from './x.ts';",
        'export { y } from "./y.ts";',
        "import './side-effect.ts';",
        "const m = await import('./lazy.ts');",
        "// import { no } from './commented.ts';",
        "/* export * from './block.ts'; */",
        "const url = 'http://example.com'; export const from = 'nope';",
      ].join('\n');
      expect(importSpecifiers(source)).to.deep.equal(['zod', '../core/env.ts', './x.ts', './y.ts', './side-effect.ts', './lazy.ts']);
    });

    it('reports a synthetic bad import in a scanned tree, naming file and import', () => {
      const root = mkdtempSync(join(tmpdir(), 'ludus-layers-'));
      try {
        mkdirSync(join(root, 'envs/games/bad'), { recursive: true });
        mkdirSync(join(root, 'agents'));
        writeFileSync(join(root, 'agents/agent.ts'), "import { z } from 'zod';\nexport type Agent = unknown;\n");
        writeFileSync(join(root, 'envs/games/bad/index.ts'), "import { z } from 'zod';\nimport type { Agent } from '../../../agents/agent.ts';\n");
        expect(scanLayers(root, ['envs', 'agents'])).to.deep.equal([
          {
            file: 'envs/games/bad/index.ts',
            specifier: '../../../agents/agent.ts',
            reason: 'envs/ may not import agents/ (envs <- agents <- league <- arena <- cli)',
          },
        ]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
