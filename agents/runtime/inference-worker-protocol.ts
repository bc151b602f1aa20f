/**
 * Messages between an InferenceWorker (main thread) and its worker thread
 * (`inference-worker.ts`). Tensors travel as typed arrays whose buffers are transferred,
 * never copied twice. Errors travel as {code, message, hint} and are rebuilt as typed
 * RuntimeErrors on the main thread.
 */
import type { BackendName } from './backend.ts';
import type { PolicyModelSpec } from './model-manifest.ts';
import { RUNTIME_ERROR_CODES, RuntimeError, type RuntimeErrorCode } from './runtime-error.ts';

/** What the worker is started with (`workerData`). */
export interface WorkerBoot {
  readonly backend: BackendName;
}

/** One weight tensor of a network, in `getWeights()` order. */
export interface WireWeight {
  readonly shape: number[];
  readonly data: Float32Array;
}

export type WorkerRequest =
  | { readonly type: 'load'; readonly id: number; readonly key: string; readonly spec: PolicyModelSpec; readonly weights: WireWeight[] }
  | { readonly type: 'unload'; readonly id: number; readonly key: string }
  | {
    readonly type: 'forward'; readonly id: number; readonly key: string;
    readonly observations: Float32Array; readonly masks: Uint8Array; readonly batch: number;
  };

export interface WorkerError {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'boot-failed'; readonly error: WorkerError }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'output'; readonly id: number; readonly probs: Float32Array; readonly values: Float32Array; readonly logits: Float32Array }
  | { readonly type: 'failed'; readonly id: number; readonly error: WorkerError };

/** A thrown value as a message; RuntimeErrors keep their code and hint. */
export function toWorkerError(error: unknown): WorkerError {
  if (error instanceof RuntimeError) {
    const message = error.hint && error.message.endsWith(` (${error.hint})`)
      ? error.message.slice(0, -(error.hint.length + 3)) : error.message;
    return { code: error.code, message, hint: error.hint };
  }
  return { code: 'inference-worker-failed', message: error instanceof Error ? error.message : String(error), hint: '' };
}

/** The typed error on this side; unknown codes become 'inference-worker-failed'. */
export function fromWorkerError(error: WorkerError): RuntimeError {
  const code = (error.code in RUNTIME_ERROR_CODES ? error.code : 'inference-worker-failed') as RuntimeErrorCode;
  return new RuntimeError(code, error.message, error.hint);
}
