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

let server: InferenceServer | undefined;
const loaded = new Map<string, Promise<PolicyModel>>();

/** The shared server, created on first use (options apply only to that first call). */
export function sharedInferenceServer(options?: InferenceServerOptions): InferenceServer {
  if (!server || server.closed) server = new InferenceServer(options);
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
