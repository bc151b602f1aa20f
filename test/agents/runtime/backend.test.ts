import { expect } from 'chai';
import { BACKEND_NAMES, resetBackendSelection, selectBackend, type ModuleImporter } from '../../../agents/runtime/backend.ts';
import { LudusError } from '../../../envs/index.ts';

const quiet = () => {};

function notInstalled(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /somewhere/backend.ts`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** Real imports, except the packages listed as missing or broken. */
function importerWithout(missing: readonly string[], broken: Record<string, string> = {}): ModuleImporter {
  return async (specifier) => {
    if (missing.includes(specifier)) throw notInstalled(specifier);
    if (broken[specifier] !== undefined) throw new Error(broken[specifier]);
    return import(specifier);
  };
}

async function rejection(promise: Promise<unknown>): Promise<LudusError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LudusError) return error;
    throw error;
  }
  throw new Error('expected a LudusError');
}

describe('agents/runtime/backend', () => {
  beforeEach(() => resetBackendSelection());
  after(async () => {
    resetBackendSelection();
    await selectBackend({ log: quiet }); // leave the process on its best backend for later tests
  });

  it('chooses wasm when neither node binding is installed, and says why for each', async () => {
    const importer = importerWithout(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    const selection = await selectBackend({ importer, log: quiet });
    expect(selection.chosen).to.equal('wasm');
    expect(Object.keys(selection.backends)).to.deep.equal([...BACKEND_NAMES]);
    expect(selection.backends['tfjs-node-gpu']).to.deep.equal({
      available: false,
      reason: 'package @tensorflow/tfjs-node-gpu is not installed (npm i @tensorflow/tfjs-node-gpu on a host with CUDA)',
    });
    expect(selection.backends['tfjs-node'].available).to.equal(false);
    expect(selection.backends['tfjs-node'].reason).to.include('npm i @tensorflow/tfjs-node');
    expect(selection.backends.wasm.available).to.equal(true);
    expect(selection.backends.cpu.available).to.equal(true);
  });

  it('falls back to cpu when wasm cannot be loaded either', async () => {
    const importer = importerWithout(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    const selection = await selectBackend({ importer, log: quiet });
    expect(selection.chosen).to.equal('cpu');
    expect(selection.backends.wasm.available).to.equal(false);
  });

  it('reports a binding that is installed but fails to load, with the loader message', async () => {
    const importer = importerWithout(['@tensorflow/tfjs-node'], {
      '@tensorflow/tfjs-node-gpu': 'libcudart.so.11.0: cannot open shared object file\nmore detail',
    });
    const selection = await selectBackend({ importer, log: quiet });
    expect(selection.backends['tfjs-node-gpu'].available).to.equal(false);
    expect(selection.backends['tfjs-node-gpu'].reason).to.match(/failed to load: libcudart\.so\.11\.0: cannot open shared object file \(/);
  });

  it('refuses a binding that loads but registers no backend with this tfjs', async () => {
    const importer: ModuleImporter = async (specifier) => (specifier.includes('tfjs-node') ? {} : import(specifier));
    const selection = await selectBackend({ importer, log: quiet });
    expect(selection.backends['tfjs-node-gpu'].available).to.equal(false);
    expect(selection.backends['tfjs-node-gpu'].reason).to.include('registered no "tensorflow" backend');
    expect(selection.chosen).to.equal('wasm');
  });

  it('throws backend-unavailable naming the package when a forced backend cannot load', async () => {
    const importer = importerWithout(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    const error = await rejection(selectBackend({ force: 'tfjs-node', importer, log: quiet }));
    expect(error.code).to.equal('backend-unavailable');
    expect(error.message).to.include('tfjs-node').and.to.include('npm i @tensorflow/tfjs-node');
  });

  it('uses a forced backend that loads even when a preferred one is available', async () => {
    const selection = await selectBackend({ force: 'cpu', importer: importerWithout(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']), log: quiet });
    expect(selection.chosen).to.equal('cpu');
    expect(selection.backends.wasm.available).to.equal(true);
  });

  it('selects once and logs once, however often it is asked', async () => {
    const lines: string[] = [];
    const importer = importerWithout(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    const first = await selectBackend({ importer, log: (line) => lines.push(line) });
    const second = await selectBackend({ importer, log: (line) => lines.push(line) });
    const third = await selectBackend({ force: first.chosen, log: (line) => lines.push(line) });
    expect(second).to.equal(first);
    expect(third).to.equal(first);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include(first.chosen);
  });
});
