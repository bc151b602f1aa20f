/**
 * A batching inference server. Requests from many concurrent matches are queued per
 * policy and answered by one forward pass per flush. A queue flushes when it holds
 * `maxBatch` requests, and otherwise:
 *  - with `flushWhenIdle` (default): when the event loop turns (setImmediate). Lock-step
 *    loops whose matches all submit in the same tick (as promise continuations) thus get
 *    one batch per step, without waiting for a timer;
 *  - without it: `maxWaitMs` after the first queued request, for servers fed by sockets,
 *    where waiting a little longer gathers requests from several network reads.
 *
 * Large batches are split across worker threads (`workers`, see inference-pool.ts): the
 * pool starts on the first batch of at least `minPooledBatch` rows, with the wasm backend
 * only (libtensorflow already uses every core). Until it and the model's copies are ready,
 * batches run in-thread. Workers serve the weights a model had when it was registered:
 * register it again after changing its weights.
 */
import { currentBackend } from './backend.ts';
import { defaultWorkerCount, InferencePool, type PooledModel, type Shard } from './inference-pool.ts';
import type { PolicyModel, PolicyOutput } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

export interface InferenceServerOptions {
  /** Flush as soon as a policy has this many queued requests. Default 256. */
  readonly maxBatch?: number;
  /** Longest wait for more requests when `flushWhenIdle` is off. Default 2. */
  readonly maxWaitMs?: number;
  /** Flush when the event loop turns instead of after `maxWaitMs`. Default true. */
  readonly flushWhenIdle?: boolean;
  /**
   * Worker threads for large batches: 'auto' is `defaultWorkerCount()` (one per core beyond
   * this thread's) with the wasm backend and none with the others; 0 (default) keeps every
   * pass in this thread. Opt-in: on the 2-core build machine, with the other core busy, the
   * workers measured slower than one thread (bench:runtime decisionsPerSecByWorkers).
   */
  readonly workers?: number | 'auto';
  /** Batches of fewer rows never go to workers. Default 64. */
  readonly minPooledBatch?: number;
  /**
   * Pooled batches are cut into shards of at most this many rows (default 128), answered
   * one by one: the matches of an answered shard step on while the workers compute the
   * next, so stepping and inference overlap.
   */
  readonly shardRows?: number;
  /**
   * This thread computes shards of pooled batches too (default false: it steps matches
   * meanwhile, which keeps the cores busier than computing a share itself).
   */
  readonly mainShard?: boolean;
}

export interface InferenceResult {
  /** Masked action probabilities (illegal actions exactly 0), length numDistinctActions. */
  readonly probs: Float32Array;
  readonly value: number;
}

export interface InferenceStats {
  readonly requests: number;
  readonly flushes: number;
  /** Number of flushes by batch size ("1": n, "256": m, ...). */
  readonly batchSizes: Readonly<Record<string, number>>;
  readonly meanBatch: number;
  /** Request-to-answer latency over the last 8192 requests. */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** Answered requests per second since the first request after construction or resetStats(). */
  readonly decisionsPerSec: number;
  /** Total time spent in forward passes (until the last shard's answer). */
  readonly forwardMs: number;
  /** Flushes split across worker threads. */
  readonly pooledFlushes: number;
  /** Live worker threads (0 before the pool started, or without one). */
  readonly workers: number;
}

interface Caller {
  readonly resolve: (result: InferenceResult) => void;
  readonly reject: (error: unknown) => void;
  readonly start: number;
}

class PolicyQueue {
  readonly model: PolicyModel;
  readonly observations: Float32Array;
  readonly masks: Uint8Array;
  callers: Caller[] = [];
  scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  /** The workers' copy of the model, once `loading` has settled. */
  pooled: PooledModel | undefined;
  loading: Promise<void> | undefined;

  constructor(model: PolicyModel, maxBatch: number) {
    this.model = model;
    this.observations = new Float32Array(maxBatch * model.observationSize);
    this.masks = new Uint8Array(maxBatch * model.numActions);
  }
}

const LATENCY_WINDOW = 8192;

export class InferenceServer {
  readonly maxBatch: number;
  readonly maxWaitMs: number;
  readonly flushWhenIdle: boolean;
  readonly workers: number | 'auto';
  readonly minPooledBatch: number;
  readonly mainShard: boolean;
  readonly shardRows: number;
  readonly #queues = new Map<string, PolicyQueue>();
  #closed = false;
  /** The worker pool: starting, started, or given up on (null: no workers for this backend or a failed start). */
  #pool: Promise<InferencePool | null> | undefined;
  #livePool: InferencePool | undefined;
  #pooledFlushes = 0;
  #requests = 0;
  #flushes = 0;
  #forwardMs = 0;
  #firstRequest: number | undefined;
  #lastAnswer = 0;
  #batchSizes = new Map<number, number>();
  #latencies = new Float64Array(LATENCY_WINDOW);

  constructor(options: InferenceServerOptions = {}) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxWaitMs = options.maxWaitMs ?? 2;
    this.flushWhenIdle = options.flushWhenIdle ?? true;
    this.workers = options.workers ?? 0;
    this.minPooledBatch = options.minPooledBatch ?? 64;
    this.mainShard = options.mainShard ?? false;
    this.shardRows = options.shardRows ?? 128;
    if (!Number.isInteger(this.shardRows) || this.shardRows < 1) {
      throw new RuntimeError('bad-inference-input', `shardRows must be a positive integer, got ${this.shardRows}`);
    }
    if (this.workers !== 'auto' && !(Number.isInteger(this.workers) && this.workers >= 0)) {
      throw new RuntimeError('bad-inference-input', `workers must be 'auto' or an integer >= 0, got ${String(this.workers)}`);
    }
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) {
      throw new RuntimeError('bad-inference-input', `maxBatch must be a positive integer, got ${this.maxBatch}`);
    }
    if (!(this.maxWaitMs >= 0)) throw new RuntimeError('bad-inference-input', `maxWaitMs must be >= 0, got ${this.maxWaitMs}`);
  }

  /** Serves `model` under `policyId`; re-registering answers the old model's queue first. */
  register(policyId: string, model: PolicyModel): void {
    this.#checkOpen();
    const previous = this.#queues.get(policyId);
    if (previous) this.#retire(previous);
    this.#queues.set(policyId, new PolicyQueue(model, this.maxBatch));
  }

  unregister(policyId: string): void {
    const queue = this.#queues.get(policyId);
    if (!queue) return;
    this.#retire(queue);
    this.#queues.delete(policyId);
  }

  has(policyId: string): boolean {
    return this.#queues.has(policyId);
  }

  model(policyId: string): PolicyModel | undefined {
    return this.#queues.get(policyId)?.model;
  }

  /** Queues one observation of the policy's env; resolves after the flush that includes it. */
  infer(policyId: string, observation: Float32Array, mask: Uint8Array): Promise<InferenceResult> {
    if (this.#closed) return Promise.reject(closedError());
    const queue = this.#queues.get(policyId);
    if (!queue) {
      return Promise.reject(new RuntimeError('unknown-policy', `no model is registered as policy "${policyId}"`,
        `registered policies: ${[...this.#queues.keys()].join(', ') || '(none)'}`));
    }
    const { observationSize, numActions } = queue.model;
    if (observation.length !== observationSize || mask.length !== numActions) {
      return Promise.reject(new RuntimeError('bad-inference-input',
        `policy "${policyId}" takes ${observationSize} observation floats and ${numActions} mask bytes, got ${observation.length} and ${mask.length}`,
        `send observations of ${queue.model.spec.env}`));
    }
    return new Promise<InferenceResult>((resolve, reject) => {
      const start = performance.now();
      this.#firstRequest ??= start;
      const row = queue.callers.length;
      queue.observations.set(observation, row * observationSize);
      queue.masks.set(mask, row * numActions);
      queue.callers.push({ resolve, reject, start });
      if (queue.callers.length >= this.maxBatch) this.#flush(queue);
      else if (queue.scheduled === undefined) this.#schedule(queue);
    });
  }

  /**
   * Starts the worker pool now and copies every registered model into it, instead of at
   * the first large batch; resolves to the number of live workers (0: none for this
   * backend, `workers: 0`, or they failed to start).
   */
  async startWorkers(): Promise<number> {
    this.#checkOpen();
    const pool = await this.#startPool();
    await Promise.all([...this.#queues.values()].map((queue) => this.#ensurePooled(queue)));
    return pool && !pool.closed ? pool.size : 0;
  }

  /** Answers every queued request now (one forward pass per policy). */
  flush(): void {
    for (const queue of this.#queues.values()) this.#flush(queue);
  }

  stats(): InferenceStats {
    const kept = Math.min(this.#requests, LATENCY_WINDOW);
    const latencies = this.#latencies.slice(0, kept).sort();
    const quantile = (q: number) => (kept === 0 ? 0 : latencies[Math.min(kept - 1, Math.floor(q * kept))]!);
    const seconds = this.#firstRequest === undefined ? 0 : (this.#lastAnswer - this.#firstRequest) / 1000;
    return {
      requests: this.#requests,
      flushes: this.#flushes,
      batchSizes: Object.fromEntries([...this.#batchSizes].sort((a, b) => a[0] - b[0])),
      meanBatch: this.#flushes === 0 ? 0 : this.#requests / this.#flushes,
      latencyMs: { p50: quantile(0.5), p99: quantile(0.99) },
      decisionsPerSec: seconds > 0 ? this.#requests / seconds : 0,
      forwardMs: this.#forwardMs,
      pooledFlushes: this.#pooledFlushes,
      workers: this.#livePool?.closed === false ? this.#livePool.size : 0,
    };
  }

  resetStats(): void {
    this.#requests = 0;
    this.#flushes = 0;
    this.#forwardMs = 0;
    this.#pooledFlushes = 0;
    this.#firstRequest = undefined;
    this.#lastAnswer = 0;
    this.#batchSizes = new Map();
  }

  /**
   * Rejects every pending request with 'inference-closed' (later ones too) and ends the
   * worker threads; resolves once they have exited.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      this.#unschedule(queue);
      const callers = queue.callers;
      queue.callers = [];
      for (const caller of callers) caller.reject(closedError());
    }
    const pool = await this.#pool;
    await pool?.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #schedule(queue: PolicyQueue): void {
    queue.scheduled = this.flushWhenIdle
      ? setImmediate(() => this.#flush(queue))
      : setTimeout(() => this.#flush(queue), this.maxWaitMs);
  }

  #unschedule(queue: PolicyQueue): void {
    if (queue.scheduled === undefined) return;
    if (this.flushWhenIdle) clearImmediate(queue.scheduled as NodeJS.Immediate);
    else clearTimeout(queue.scheduled as NodeJS.Timeout);
    queue.scheduled = undefined;
  }

  #flush(queue: PolicyQueue): void {
    this.#unschedule(queue);
    const callers = queue.callers;
    const n = callers.length;
    if (n === 0) return;
    queue.callers = [];
    const { model } = queue;
    const observations = queue.observations.subarray(0, n * model.observationSize);
    const masks = queue.masks.subarray(0, n * model.numActions);
    const started = performance.now();
    const pooled = n >= this.minPooledBatch ? this.#pooledModel(queue) : undefined;
    if (pooled) {
      this.#answerShards(pooled.shards(observations, masks, n, this.shardRows), callers, started);
      return;
    }
    let output;
    try {
      output = model.forward(observations, masks, n);
    } catch (error) {
      for (const caller of callers) caller.reject(error);
      return;
    }
    const done = performance.now();
    this.#recordFlush(n, done - started);
    this.#answer(output, callers, 0, n, done);
  }

  /** Answers each shard's callers as soon as that shard is back, so their matches step on meanwhile. */
  #answerShards(shards: readonly Shard[], callers: readonly Caller[], started: number): void {
    this.#pooledFlushes++;
    let left = shards.length;
    let last = started;
    for (const shard of shards) {
      shard.output.then((output) => {
        last = performance.now();
        this.#answer(output, callers, shard.start, shard.rows, last);
      }, (error: unknown) => {
        for (let i = shard.start; i < shard.start + shard.rows; i++) callers[i]!.reject(error);
      }).finally(() => {
        if (--left === 0) this.#recordFlush(callers.length, last - started);
      });
    }
  }

  /** Resolves `rows` callers from `first` on with rows 0.. of `output`. */
  #answer(output: PolicyOutput, callers: readonly Caller[], first: number, rows: number, done: number): void {
    const A = output.probs.length / rows;
    for (let i = 0; i < rows; i++) {
      const caller = callers[first + i]!;
      this.#latencies[this.#requests++ % LATENCY_WINDOW] = done - caller.start;
      caller.resolve({ probs: output.probs.subarray(i * A, (i + 1) * A), value: output.values[i]! });
    }
    this.#lastAnswer = Math.max(this.#lastAnswer, done);
  }

  #recordFlush(n: number, ms: number): void {
    this.#forwardMs += ms;
    this.#flushes++;
    this.#batchSizes.set(n, (this.#batchSizes.get(n) ?? 0) + 1);
  }

  /** The workers' copy of the queue's model if ready; otherwise starts the pool or the load and returns undefined. */
  #pooledModel(queue: PolicyQueue): PooledModel | undefined {
    if (queue.pooled && !queue.pooled.pool.closed && queue.pooled.pool.size > 0) return queue.pooled;
    if (this.workers !== 0 && !this.#closed) void this.#ensurePooled(queue);
    return undefined;
  }

  /** Starts the pool if needed and copies the queue's model into it, once; a model that cannot be copied stays in-thread. */
  #ensurePooled(queue: PolicyQueue): Promise<void> {
    queue.loading ??= this.#startPool().then(async (pool) => {
      if (!pool || pool.closed) return;
      try {
        const pooled = await pool.load(queue.model);
        if ([...this.#queues.values()].includes(queue)) queue.pooled = pooled;
        else await pooled.unload(); // re-registered or unregistered meanwhile
      } catch {
        // stays in-thread
      }
    });
    return queue.loading;
  }

  #startPool(): Promise<InferencePool | null> {
    this.#pool ??= (async () => {
      const backend = await currentBackend();
      const workers = this.workers === 'auto' ? (backend === 'wasm' ? defaultWorkerCount() : 0) : this.workers;
      if (workers === 0 || backend === undefined) return null;
      try {
        const pool = await InferencePool.start({ workers, backend, minBatch: this.minPooledBatch, mainShard: this.mainShard });
        if (this.#closed) await pool.close();
        else this.#livePool = pool;
        return pool;
      } catch (error) {
        process.emitWarning(`ludus: inference workers did not start, every pass runs in-thread: ${(error as Error).message}`);
        return null;
      }
    })();
    return this.#pool;
  }

  /** Answers a queue that is being replaced, then frees the workers' copy of its model. */
  #retire(queue: PolicyQueue): void {
    this.#flush(queue);
    void queue.pooled?.unload();
    queue.pooled = undefined;
  }

  #checkOpen(): void {
    if (this.#closed) throw closedError();
  }
}

const closedError = (): RuntimeError =>
  new RuntimeError('inference-closed', 'the inference server was closed before answering', 'create a new InferenceServer');
