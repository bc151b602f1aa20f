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
 * Every pass runs in this thread: a worker-thread pool for the wasm backend was tried and
 * measured no faster on the 2-core build machine (bench:runtime, league decisions/s within
 * 2%), so it was removed.
 */
import type { PolicyModel, PolicyOutput } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

export interface InferenceServerOptions {
  /** Flush as soon as a policy has this many queued requests. Default 256. */
  readonly maxBatch?: number;
  /** Longest wait for more requests when `flushWhenIdle` is off. Default 2. */
  readonly maxWaitMs?: number;
  /** Flush when the event loop turns instead of after `maxWaitMs`. Default true. */
  readonly flushWhenIdle?: boolean;
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
  /** Total time spent in forward passes. */
  readonly forwardMs: number;
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
  readonly #queues = new Map<string, PolicyQueue>();
  #closed = false;
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
      return Promise.reject(
        new RuntimeError(
          'unknown-policy',
          `no model is registered as policy "${policyId}"`,
          `registered policies: ${[...this.#queues.keys()].join(', ') || '(none)'}`,
        ),
      );
    }
    const { observationSize, numActions } = queue.model;
    if (observation.length !== observationSize || mask.length !== numActions) {
      return Promise.reject(
        new RuntimeError(
          'bad-inference-input',
          `policy "${policyId}" takes ${observationSize} observation floats and ${numActions} mask bytes, got ${observation.length} and ${mask.length}`,
          `send observations of ${queue.model.spec.env}`,
        ),
      );
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
    };
  }

  resetStats(): void {
    this.#requests = 0;
    this.#flushes = 0;
    this.#forwardMs = 0;
    this.#firstRequest = undefined;
    this.#lastAnswer = 0;
    this.#batchSizes = new Map();
  }

  /** Rejects every pending request with 'inference-closed' (later ones too). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      this.#unschedule(queue);
      const callers = queue.callers;
      queue.callers = [];
      for (const caller of callers) caller.reject(closedError());
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  #schedule(queue: PolicyQueue): void {
    queue.scheduled = this.flushWhenIdle ? setImmediate(() => this.#flush(queue)) : setTimeout(() => this.#flush(queue), this.maxWaitMs);
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
    let output: ReturnType<typeof model.forward>;
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

  /** Answers a queue that is being replaced. */
  #retire(queue: PolicyQueue): void {
    this.#flush(queue);
  }

  #checkOpen(): void {
    if (this.#closed) throw closedError();
  }
}

const closedError = (): RuntimeError =>
  new RuntimeError('inference-closed', 'the inference server was closed before answering', 'create a new InferenceServer');
