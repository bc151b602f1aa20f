/**
 * Data-parallel inference over worker threads. tfjs's wasm backend runs single-threaded
 * in Node (its XNNPACK thread pool is disabled there), so a large batch is compute-bound
 * on one core; a pool splits it into shards computed by worker threads (and the calling
 * thread, with `mainShard`), each holding its own copy of the network, and merges the
 * outputs. Batches below `minBatch` rows stay on the calling thread, where a pass costs
 * less than a round trip to a worker.
 *
 * Workers hold a snapshot of a model's weights taken at `load`: the pool serves frozen
 * models. After training the in-thread model further, call `refresh()` to re-send them.
 */
import { availableParallelism } from 'node:os';
import { currentBackend, type BackendName } from './backend.ts';
import { InferenceWorker } from './inference-worker-client.ts';
import type { WireWeight } from './inference-worker-protocol.ts';
import type { PolicyModel, PolicyOutput } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

export interface InferencePoolOptions {
  /** Worker threads. Default `defaultWorkerCount()`. */
  readonly workers?: number;
  /** The workers' tfjs backend. Default: the one selected in this thread. */
  readonly backend?: BackendName;
  /** Batches of fewer rows run in the calling thread. Default 64. */
  readonly minBatch?: number;
  /**
   * The calling thread computes one shard too, while the workers compute theirs (it would
   * only wait otherwise). Default true; false keeps the calling thread free (e.g. for
   * sockets) at the cost of one core's share of the work.
   */
  readonly mainShard?: boolean;
}

/** A contiguous run of rows of a batch and its pending output. */
export interface Shard {
  readonly start: number;
  readonly rows: number;
  /** The worker computing it, or null for the calling thread. */
  readonly worker: number | null;
  readonly output: Promise<PolicyOutput>;
}

/**
 * One worker per core beyond the calling thread's (which computes a shard too, or steps
 * matches meanwhile), at most 3: 1 on a 2-core machine, 0 on a single core.
 */
export const defaultWorkerCount = (): number => Math.max(0, Math.min(availableParallelism(), 4) - 1);

let nextKey = 0;

export class InferencePool {
  readonly minBatch: number;
  readonly mainShard: boolean;
  readonly backend: BackendName;
  readonly #workers: InferenceWorker[];
  #closed = false;

  private constructor(workers: InferenceWorker[], backend: BackendName, minBatch: number, mainShard: boolean) {
    this.#workers = workers;
    this.backend = backend;
    this.minBatch = minBatch;
    this.mainShard = mainShard;
  }

  /** Starts the worker threads; resolves once each has loaded tfjs. */
  static async start(options: InferencePoolOptions = {}): Promise<InferencePool> {
    const count = options.workers ?? Math.max(1, defaultWorkerCount());
    const minBatch = options.minBatch ?? 64;
    if (!Number.isInteger(count) || count < 1) throw new RuntimeError('bad-inference-input', `workers must be a positive integer, got ${count}`);
    if (!Number.isInteger(minBatch) || minBatch < 1) throw new RuntimeError('bad-inference-input', `minBatch must be a positive integer, got ${minBatch}`);
    const backend = options.backend ?? (await currentBackend());
    if (backend === undefined) {
      throw new RuntimeError('backend-unavailable', 'no tfjs backend is selected in this thread', 'call selectBackend() before starting an inference pool');
    }
    const started = await Promise.allSettled(Array.from({ length: count }, () => InferenceWorker.start(backend)));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failure.reason;
    }
    return new InferencePool(workers, backend, minBatch, options.mainShard ?? true);
  }

  /** Live worker threads. */
  get size(): number {
    return this.#workers.filter((w) => w.alive).length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Copies `model`'s current weights into every worker. */
  async load(model: PolicyModel): Promise<PooledModel> {
    this.#checkOpen();
    const pooled = new PooledModel(this, model, `model-${nextKey++}`);
    await pooled.refresh();
    return pooled;
  }

  /** Terminates the workers; passes in flight fail with 'inference-closed'. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  /** @internal the live workers, for PooledModel. */
  liveWorkers(): InferenceWorker[] {
    this.#checkOpen();
    return this.#workers.filter((w) => w.alive);
  }

  #checkOpen(): void {
    if (this.#closed) throw new RuntimeError('inference-closed', 'the inference pool is closed', 'start a new InferencePool');
  }
}

/** A model served by a pool: same outputs as `model.forward`, large batches split across workers. */
export class PooledModel {
  readonly pool: InferencePool;
  readonly model: PolicyModel;
  readonly key: string;

  constructor(pool: InferencePool, model: PolicyModel, key: string) {
    this.pool = pool;
    this.model = model;
    this.key = key;
  }

  /** Re-sends the in-thread model's current weights to every worker (after a training step). */
  async refresh(): Promise<void> {
    const weights: WireWeight[] = this.model.network.getWeights().map((t) => ({ shape: [...t.shape], data: t.dataSync() as Float32Array }));
    await Promise.all(this.pool.liveWorkers().map((w) => w.load(this.key, this.model.spec, weights)));
  }

  /** Frees the workers' copies. */
  async unload(): Promise<void> {
    if (this.pool.closed) return;
    await Promise.all(this.pool.liveWorkers().map((w) => w.unload(this.key).catch(() => undefined)));
  }

  /**
   * Starts one pass per shard; inputs are copied before this returns, so the caller may
   * reuse its buffers at once. Without `shardRows` the batch is split evenly over the lanes
   * (the workers, and this thread with `mainShard`); with it, into shards of at most that
   * many rows dealt to the lanes in turn, so a worker answers its first shards while it
   * computes its later ones. Small batches (or a pool without live workers) are one shard
   * computed here, already settled. This thread's shards are computed after the workers'
   * are posted.
   */
  shards(observations: Float32Array, masks: Uint8Array, batch: number, shardRows?: number): Shard[] {
    const { observationSize: S, numActions: A } = this.model;
    const workers = batch >= this.pool.minBatch && !this.pool.closed ? this.pool.liveWorkers() : [];
    const fits = observations.length === batch * S && masks.length === batch * A;
    if (workers.length === 0 || !fits) { // a misfit throws the usual typed error
      return [{ start: 0, rows: batch, worker: null, output: settle(() => this.model.forward(observations, masks, batch)) }];
    }
    const lanes = workers.length + (this.pool.mainShard ? 1 : 0);
    const count = Math.min(batch, shardRows === undefined ? lanes : Math.ceil(batch / shardRows));
    const shards: Shard[] = [];
    const here: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = Math.floor((i * batch) / count);
      const rows = Math.floor(((i + 1) * batch) / count) - start;
      const worker = workers[i % lanes];
      if (worker) {
        const obs = observations.slice(start * S, (start + rows) * S);
        shards.push({ start, rows, worker: i % lanes, output: worker.forward(this.key, obs, masks.slice(start * A, (start + rows) * A), rows) });
      } else here.push(start, rows);
    }
    for (let i = 0; i < here.length; i += 2) {
      const [start, rows] = [here[i]!, here[i + 1]!];
      shards.push({ start, rows, worker: null, output: settle(() => this.model.forward(observations.subarray(start * S, (start + rows) * S), masks.subarray(start * A, (start + rows) * A), rows)) });
    }
    return shards;
  }

  /** The whole batch's output, merged in row order. */
  async forward(observations: Float32Array, masks: Uint8Array, batch: number): Promise<PolicyOutput> {
    const shards = this.shards(observations, masks, batch);
    const outputs = await Promise.all(shards.map((s) => s.output));
    if (outputs.length === 1) return outputs[0]!;
    const A = this.model.numActions;
    const merged = { probs: new Float32Array(batch * A), values: new Float32Array(batch), logits: new Float32Array(batch * A) };
    shards.forEach((shard, i) => {
      const out = outputs[i]!;
      merged.probs.set(out.probs, shard.start * A);
      merged.logits.set(out.logits, shard.start * A);
      merged.values.set(out.values, shard.start);
    });
    return merged;
  }
}

function settle<T>(body: () => T): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(error);
  }
}
