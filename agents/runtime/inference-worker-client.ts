/**
 * One inference worker thread seen from the main thread: requests get ids, replies settle
 * promises, and any failure (a thrown error in a pass, a crash, an exit) settles them with a
 * typed RuntimeError instead of leaving callers hanging. The thread is unref'd while idle,
 * so a forgotten worker never keeps a process alive; `terminate()` ends it.
 *
 * Worker threads do not inherit module loaders registered with tsx's API (bin/ludus.js), so
 * the thread starts from a small .mjs entry that registers tsx itself; this works however the
 * parent was started (node --import tsx, bin/ludus.js, mocha).
 */
import { Worker } from 'node:worker_threads';
import type { BackendName } from './backend.ts';
import {
  fromWorkerError, type WireWeight, type WorkerBoot, type WorkerReply, type WorkerRequest,
} from './inference-worker-protocol.ts';
import type { PolicyModelSpec } from './model-manifest.ts';
import type { PolicyOutput } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

const WORKER_ENTRY = new URL('./inference-worker-entry.mjs', import.meta.url);

interface Pending {
  readonly resolve: (reply: WorkerReply) => void;
  readonly reject: (error: RuntimeError) => void;
}

type Request = WorkerRequest extends infer R ? R extends WorkerRequest ? Omit<R, 'id'> : never : never;

export class InferenceWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once the thread is gone: every later request fails with it. */
  #gone: RuntimeError | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: WorkerReply) => this.#receive(reply));
    worker.on('error', (error) => this.#fail(new RuntimeError('inference-worker-failed',
      `an inference worker crashed: ${error.message.split('\n')[0]}`, 'see the error above; the pool answers later batches in-thread')));
    worker.on('exit', (code) => this.#fail(new RuntimeError('inference-worker-failed',
      `an inference worker exited (code ${code})`, 'the pool answers later batches in-thread')));
  }

  /** Starts a thread on `backend`; resolves once tfjs is loaded there. */
  static start(backend: BackendName): Promise<InferenceWorker> {
    const boot: WorkerBoot = { backend };
    const worker = new Worker(WORKER_ENTRY, { workerData: boot });
    const client = new InferenceWorker(worker);
    return new Promise<InferenceWorker>((resolve, reject) => {
      client.#pending.set(0, {
        resolve: (reply) => {
          if (reply.type === 'ready') resolve(client);
          else {
            reject(reply.type === 'boot-failed' ? fromWorkerError(reply.error) : new RuntimeError('inference-worker-failed', `unexpected ${reply.type} at start`));
            void worker.terminate();
          }
        },
        reject,
      });
      worker.ref();
    });
  }

  /** Requests in flight. */
  get pending(): number {
    return this.#pending.size;
  }

  get alive(): boolean {
    return this.#gone === undefined;
  }

  /** Copies a network's weights into the thread under `key` (replacing any model there). */
  async load(key: string, spec: PolicyModelSpec, weights: readonly WireWeight[]): Promise<void> {
    const copies = weights.map((w) => ({ shape: [...w.shape], data: w.data.slice() }));
    await this.#send({ type: 'load', key, spec, weights: copies }, copies.map((w) => w.data.buffer as ArrayBuffer));
  }

  async unload(key: string): Promise<void> {
    await this.#send({ type: 'unload', key });
  }

  /** One forward pass in the thread. The inputs' buffers are transferred: pass arrays you own. */
  async forward(key: string, observations: Float32Array, masks: Uint8Array, batch: number): Promise<PolicyOutput> {
    const reply = await this.#send({ type: 'forward', key, observations, masks, batch }, [observations.buffer as ArrayBuffer, masks.buffer as ArrayBuffer]);
    if (reply.type !== 'output') throw new RuntimeError('inference-worker-failed', `unexpected ${reply.type} reply to a forward pass`);
    return { probs: reply.probs, values: reply.values, logits: reply.logits };
  }

  /** Ends the thread; requests in flight fail with 'inference-closed'. */
  async terminate(): Promise<void> {
    this.#fail(new RuntimeError('inference-closed', 'the inference worker was terminated before answering', 'create a new pool'));
    await this.#worker.terminate();
  }

  #send(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  #receive(reply: WorkerReply): void {
    const id = reply.type === 'ready' || reply.type === 'boot-failed' ? 0 : reply.id;
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.type === 'failed') pending.reject(fromWorkerError(reply.error));
    else pending.resolve(reply);
  }

  #fail(error: RuntimeError): void {
    this.#gone ??= error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker.unref();
    for (const p of pending) p.reject(error);
  }
}
