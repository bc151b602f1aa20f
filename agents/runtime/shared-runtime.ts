/**
 * The process-wide runtime behind the `neural` agent kind: one InferenceServer shared by
 * every neural agent of the process (so all their decisions batch together) and each model
 * folder loaded once, served under its absolute path as policy id. tfjs is imported on the
 * first load, so processes that never play a neural agent never pay for it.
 */
import { resolve } from 'node:path';
import { InferenceServer, type InferenceServerOptions } from './inference-server.ts';
import type { PolicyBinding } from './neural-agent.ts';
import type { PolicyModel } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

let server: InferenceServer | undefined;
const loaded = new Map<string, Promise<PolicyModel>>();

/** The options that make two servers batch alike (after defaults). */
const SETTINGS = ['maxBatch', 'maxWaitMs', 'flushWhenIdle'] as const;

/**
 * The shared server, created on first use with `options`. Later calls without options get
 * it as it is; later calls with options that differ from its own (after defaults) throw
 * 'inference-options-conflict' rather than being ignored: set them before the first neural
 * agent of the process is created, or close the shared runtime first.
 */
export function sharedInferenceServer(options?: InferenceServerOptions): InferenceServer {
  if (!server || server.closed) {
    server = new InferenceServer(options);
    return server;
  }
  if (options === undefined) return server;
  const wanted = new InferenceServer(options); // validates and fills defaults; holds nothing
  const current = server;
  const differing = SETTINGS.filter((key) => wanted[key] !== current[key]);
  if (differing.length > 0) {
    const show = (s: InferenceServer) => differing.map((key) => `${key}=${String(s[key])}`).join(', ');
    throw new RuntimeError(
      'inference-options-conflict',
      `the shared inference server runs with ${show(current)}, not ${show(wanted)}`,
      'pass the options on the first call, before any neural agent is created, or closeSharedRuntime() first',
    );
  }
  return server;
}

/** The model folder `dir` loaded (once) and registered with the shared server. */
export async function sharedPolicy(dir: string): Promise<PolicyBinding> {
  const policyId = resolve(dir);
  let model = loaded.get(policyId);
  if (!model) {
    model = import('./model-io.ts').then(({ loadModel }) => loadModel(policyId));
    loaded.set(policyId, model);
    model.catch(() => loaded.delete(policyId)); // a failed load may be retried after fixing the folder
  }
  const ready = await model;
  const target = sharedInferenceServer();
  if (target.model(policyId) !== ready) target.register(policyId, ready);
  return { server: target, policyId };
}

/** Closes the shared server and disposes every cached model (tests, orderly shutdown). */
export async function closeSharedRuntime(): Promise<void> {
  const closing = server?.close();
  server = undefined;
  await closing;
  const models = await Promise.allSettled(loaded.values());
  loaded.clear();
  for (const result of models) if (result.status === 'fulfilled') result.value.dispose();
}
