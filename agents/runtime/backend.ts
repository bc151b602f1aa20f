/**
 * tfjs backend auto-selection: tfjs-node-gpu (CUDA), else tfjs-node (libtensorflow), else
 * wasm, else the pure-JS cpu backend. The two node bindings are optional installs (they
 * download libtensorflow), so they are loaded by dynamic import and never listed as
 * dependencies. The selection is made once per process and logged once.
 */
import * as tf from '@tensorflow/tfjs';
import { RuntimeError } from './runtime-error.ts';

export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendStatus {
  readonly available: boolean;
  /** Why it is (not) available; for an unavailable backend, also what to install. */
  readonly reason: string;
}

export interface BackendSelection {
  readonly chosen: BackendName;
  /** Every backend in preference order. */
  readonly backends: Readonly<Record<BackendName, BackendStatus>>;
}

/** `import()` by default; tests inject one that fails for chosen packages. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

export interface SelectBackendOptions {
  /** Use this backend or fail (`--backend`); default: the first available in preference order. */
  readonly force?: BackendName;
  readonly importer?: ModuleImporter;
  /** Receives the one line naming the chosen backend; default: stderr. */
  readonly log?: (line: string) => void;
}

interface BackendInfo {
  /** The name tfjs registers the backend under. */
  readonly tfName: string;
  readonly packageName?: string;
  readonly install: string;
  readonly loaded: string;
}

const BACKENDS: Readonly<Record<BackendName, BackendInfo>> = {
  'tfjs-node-gpu': {
    tfName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node-gpu',
    install: 'npm i @tensorflow/tfjs-node-gpu on a host with CUDA',
    loaded: 'libtensorflow with CUDA',
  },
  'tfjs-node': {
    tfName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    install: 'npm i @tensorflow/tfjs-node',
    loaded: 'libtensorflow on the CPU',
  },
  wasm: {
    tfName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    install: 'npm i @tensorflow/tfjs-backend-wasm',
    loaded: 'WebAssembly',
  },
  cpu: { tfName: 'cpu', install: 'reinstall @tensorflow/tfjs', loaded: 'pure JavaScript (slowest)' },
};

export const isBackendName = (name: string): name is BackendName => (BACKEND_NAMES as readonly string[]).includes(name);

const defaultImporter: ModuleImporter = (specifier) => import(specifier);
const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

let cached: Promise<BackendSelection> | undefined;

/**
 * Probes the backends, activates the chosen one and logs it. Idempotent: later calls return
 * the first selection, unless they force a different backend.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  if (cached) {
    const previous = await cached.catch(() => undefined);
    if (previous && (options.force === undefined || options.force === previous.chosen)) return previous;
  }
  const selection = runSelection(options);
  cached = selection;
  return selection;
}

/** Forgets the cached selection (tests; `ludus doctor` in a long-lived process). */
export function resetBackendSelection(): void {
  cached = undefined;
}

/** The backend chosen so far, if a selection finished. */
export async function currentBackend(): Promise<BackendName | undefined> {
  return (await cached?.catch(() => undefined))?.chosen;
}

async function runSelection(options: SelectBackendOptions): Promise<BackendSelection> {
  const { force } = options;
  if (force !== undefined && !isBackendName(force)) {
    throw new RuntimeError('backend-unavailable', `unknown backend "${String(force)}"`, `backends: ${BACKEND_NAMES.join(', ')}`);
  }
  // Our own log line names the backend; tfjs's console advice about tfjs-node would only add noise.
  tf.enableProdMode();
  const importer = options.importer ?? defaultImporter;
  const order = force ? [force, ...BACKEND_NAMES.filter((name) => name !== force)] : [...BACKEND_NAMES];
  const found = new Map<BackendName, BackendStatus>();
  const native: { loaded?: BackendName } = {};
  for (const name of order) found.set(name, await probe(name, importer, native));
  const chosen = force ?? BACKEND_NAMES.find((name) => found.get(name)!.available);
  if (chosen === undefined) {
    throw new RuntimeError('backend-unavailable', 'no tfjs backend could be loaded', 'reinstall @tensorflow/tfjs');
  }
  const status = found.get(chosen)!;
  if (!status.available) {
    throw new RuntimeError(
      'backend-unavailable',
      `backend ${chosen} is unavailable: ${status.reason}`,
      'install what the reason names, or omit --backend to use the best available one',
    );
  }
  await tf.setBackend(BACKENDS[chosen].tfName);
  (options.log ?? defaultLog)(`ludus: tfjs backend ${chosen} (${status.reason})`);
  const backends = Object.fromEntries(BACKEND_NAMES.map((name) => [name, found.get(name)!])) as Record<BackendName, BackendStatus>;
  return { chosen, backends };
}

/**
 * Loads and initializes one backend; never throws. The wasm backend's Emscripten glue adds
 * process handlers that rethrow any unhandled rejection with a screenful of minified source;
 * Node's own defaults already end the process, with a readable stack, so they are removed.
 */
async function probe(name: BackendName, importer: ModuleImporter, native: { loaded?: BackendName }): Promise<BackendStatus> {
  const exceptionHandlers = new Set(process.listeners('uncaughtException'));
  const rejectionHandlers = new Set(process.listeners('unhandledRejection'));
  try {
    return await probeOnce(name, importer, native);
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!exceptionHandlers.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!rejectionHandlers.has(l)) process.removeListener('unhandledRejection', l);
  }
}

async function probeOnce(name: BackendName, importer: ModuleImporter, native: { loaded?: BackendName }): Promise<BackendStatus> {
  const info = BACKENDS[name];
  if (info.tfName === 'tensorflow' && native.loaded !== undefined) {
    // Both bindings register "tensorflow" and link their own libtensorflow: never load both.
    return { available: false, reason: `not loaded: ${BACKENDS[native.loaded].packageName} already provides the tensorflow backend in this process` };
  }
  if (info.packageName !== undefined) {
    try {
      await importer(info.packageName);
    } catch (error) {
      return { available: false, reason: importFailure(info.packageName, info.install, error) };
    }
  }
  if (!tf.findBackendFactory(info.tfName)) {
    return {
      available: false,
      reason:
        `${info.packageName ?? '@tensorflow/tfjs'} registered no "${info.tfName}" backend with @tensorflow/tfjs ${tf.version.tfjs} ` +
        `(install a matching version: ${info.packageName ?? '@tensorflow/tfjs'}@${tf.version.tfjs})`,
    };
  }
  try {
    if (!(await tf.setBackend(info.tfName))) return { available: false, reason: `backend "${info.tfName}" failed to initialize` };
  } catch (error) {
    return { available: false, reason: `backend "${info.tfName}" failed to initialize: ${firstLine(error)}` };
  }
  if (info.tfName === 'tensorflow') native.loaded = name;
  return { available: true, reason: `loaded: ${info.loaded}${name === 'wasm' ? await wasmFeatures() : ''}` };
}

function importFailure(packageName: string, install: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = firstLine(error);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(packageName)) {
    return `package ${packageName} is not installed (${install})`;
  }
  return `package ${packageName} failed to load: ${message} (check its native libraries, or reinstall: ${install})`;
}

async function wasmFeatures(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return ` (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
