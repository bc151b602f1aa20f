/**
 * The worker-thread side of an InferenceWorker: loads tfjs on the main thread's backend,
 * holds copies of policy networks by key, and answers forward passes. Messages are handled
 * one at a time, in order, so an 'unload' sent after a 'forward' never overtakes it.
 * Only started by `inference-worker-client.ts` (as a worker_threads entry).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { buildNetwork } from './architectures.ts';
import { selectBackend } from './backend.ts';
import type { WorkerBoot, WorkerReply, WorkerRequest } from './inference-worker-protocol.ts';
import { toWorkerError } from './inference-worker-protocol.ts';
import { PolicyModel } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

const port = parentPort!;
const boot = workerData as WorkerBoot;
const models = new Map<string, PolicyModel>();

const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** The array alone in its buffer, so transferring the buffer moves nothing else. */
const own = <T extends Float32Array>(array: T): T => (array.byteLength === array.buffer.byteLength ? array : array.slice() as T);

function load(key: string, request: Extract<WorkerRequest, { type: 'load' }>): void {
  const { spec, weights } = request;
  const network = buildNetwork(spec.observationShape, spec.numDistinctActions, spec.arch, 0);
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape));
  try {
    network.setWeights(tensors);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
  models.get(key)?.dispose();
  models.set(key, new PolicyModel(spec, network));
}

function handle(request: WorkerRequest): void {
  if (request.type === 'load') {
    load(request.key, request);
    reply({ type: 'done', id: request.id });
  } else if (request.type === 'unload') {
    models.get(request.key)?.dispose();
    models.delete(request.key);
    reply({ type: 'done', id: request.id });
  } else {
    const model = models.get(request.key);
    if (!model) throw new RuntimeError('unknown-policy', `the inference worker holds no model "${request.key}"`, 'load the model into the pool first');
    const output = model.forward(request.observations, request.masks, request.batch);
    const [probs, values, logits] = [own(output.probs), own(output.values), own(output.logits)];
    reply({ type: 'output', id: request.id, probs, values, logits }, [probs.buffer, values.buffer, logits.buffer] as ArrayBuffer[]);
  }
}

try {
  await selectBackend({ force: boot.backend, log: () => {} });
  port.on('message', (request: WorkerRequest) => {
    try {
      handle(request);
    } catch (error) {
      reply({ type: 'failed', id: request.id, error: toWorkerError(error) });
    }
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'boot-failed', error: toWorkerError(error) });
}
