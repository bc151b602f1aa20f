/**
 * A policy-value network over an env's observation tensor, with the env, params and dims
 * it was built for. `forward` is one batched pass: masked action probabilities (illegal
 * actions exactly 0) and state values. Learners train `.network` directly (outputs
 * [logits, value], see `masked-categorical.ts` for the masked log-softmax).
 */
import * as tf from '@tensorflow/tfjs';
import { sizeOf } from '../../envs/index.ts';
import type { AnyEnv, JsonValue, Rng } from '../../envs/index.ts';
import { ArchSchema, DEFAULT_ARCH, describeArch, type ArchInput } from './arch-schema.ts';
import { buildNetwork } from './architectures.ts';
import { greedyAction, maskedSoftmax, sampleAction } from './masked-categorical.ts';
import type { PolicyModelSpec } from './model-manifest.ts';
import { RuntimeError } from './runtime-error.ts';

export interface CreatePolicyModelOptions {
  /** Default: an MLP with two hidden layers of 256. */
  readonly arch?: ArchInput;
  /** Seeds the initial weights. Default 0. */
  readonly seed?: number;
}

export interface PolicyOutput {
  /** [batch, numDistinctActions] row-major, masked softmax. */
  readonly probs: Float32Array;
  /** [batch] state values. */
  readonly values: Float32Array;
  /** [batch, numDistinctActions] raw logits (unmasked). */
  readonly logits: Float32Array;
}

export interface PolicyActions extends PolicyOutput {
  /** [batch] chosen action ids. */
  readonly actions: Int32Array;
}

export interface ActOptions {
  /** Samples from the probabilities with this RNG; without one (or with greedy) takes the argmax. */
  readonly rng?: Rng;
  readonly greedy?: boolean;
}

export class PolicyModel {
  readonly spec: PolicyModelSpec;
  readonly network: tf.LayersModel;
  readonly observationSize: number;
  readonly numActions: number;
  #disposed = false;

  /** Wraps a network; throws 'model-mismatch' if its input or outputs do not fit the spec. */
  constructor(spec: PolicyModelSpec, network: tf.LayersModel) {
    this.spec = spec;
    this.network = network;
    this.observationSize = sizeOf(spec.observationShape);
    this.numActions = spec.numDistinctActions;
    checkNetworkShapes(spec, network, this.observationSize);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * One forward pass over `batch` observations ([batch, observationSize] row-major) and
   * legal masks ([batch, numDistinctActions]).
   */
  forward(observations: Float32Array, masks: Uint8Array, batch: number): PolicyOutput {
    this.checkBatch(observations, masks, batch);
    let logits!: Float32Array;
    let values!: Float32Array;
    tf.tidy(() => {
      const input = tf.tensor2d(observations, [batch, this.observationSize]);
      // apply() runs the graph directly; predictOnBatch() adds slicing and concatenation per call.
      const [logitsT, valueT] = this.network.apply(input, { training: false }) as tf.Tensor[];
      logits = logitsT!.dataSync() as Float32Array;
      values = valueT!.dataSync() as Float32Array;
    });
    return { probs: maskedSoftmax(logits, masks, batch, this.numActions), values, logits };
  }

  /** `forward` plus one action per row: sampled with `rng`, or the argmax. */
  act(observations: Float32Array, masks: Uint8Array, batch: number, options: ActOptions = {}): PolicyActions {
    const output = this.forward(observations, masks, batch);
    const actions = new Int32Array(batch);
    const A = this.numActions;
    for (let row = 0; row < batch; row++) {
      const probs = output.probs.subarray(row * A, (row + 1) * A);
      actions[row] = options.rng && !options.greedy ? sampleAction(probs, options.rng) : greedyAction(probs);
    }
    return { ...output, actions };
  }

  /** An independent copy (same spec and weights): a frozen snapshot while `this` trains on. */
  clone(): PolicyModel {
    const network = buildNetwork(this.spec.observationShape, this.numActions, this.spec.arch, 0);
    const weights = this.network.getWeights().map((w) => w.clone());
    network.setWeights(weights);
    weights.forEach((w) => w.dispose());
    return new PolicyModel(this.spec, network);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.network.dispose();
  }

  private checkBatch(observations: Float32Array, masks: Uint8Array, batch: number): void {
    if (this.#disposed) throw new RuntimeError('bad-inference-input', `forward() on a disposed model for ${this.spec.env}`, 'load the model again');
    if (!Number.isInteger(batch) || batch < 1) {
      throw new RuntimeError('bad-inference-input', `batch must be a positive integer, got ${batch}`);
    }
    if (observations.length !== batch * this.observationSize || masks.length !== batch * this.numActions) {
      throw new RuntimeError(
        'bad-inference-input',
        `expected ${batch} x ${this.observationSize} observation floats and ${batch} x ${this.numActions} mask bytes, ` +
          `got ${observations.length} and ${masks.length}`,
        `pass observations of ${this.spec.env} (shape [${this.spec.observationShape.join(', ')}])`,
      );
    }
  }
}

/**
 * A fresh, seeded model for `env` with `params` (raw or parsed). Call `await selectBackend()`
 * once before, or tfjs puts the weights on its default backend.
 */
export function createPolicyModel(env: AnyEnv, params: unknown = {}, options: CreatePolicyModelOptions = {}): PolicyModel {
  const parsedParams = env.parseParams(params ?? {});
  const dims = env.dims(parsedParams);
  const archResult = ArchSchema.safeParse(options.arch ?? DEFAULT_ARCH);
  if (!archResult.success) {
    throw new RuntimeError(
      'bad-arch',
      `bad architecture ${JSON.stringify(options.arch)}`,
      'use {kind: "mlp", hidden: [256, 256]} or {kind: "conv", channels: [32, 32], hidden: [128]}',
    );
  }
  const arch = archResult.data;
  const spec: PolicyModelSpec = {
    env: env.key,
    params: JSON.parse(JSON.stringify(parsedParams)) as JsonValue,
    observationShape: [...dims.observationShape],
    numDistinctActions: dims.numDistinctActions,
    arch,
  };
  return new PolicyModel(spec, buildNetwork(spec.observationShape, spec.numDistinctActions, arch, options.seed ?? 0));
}

function checkNetworkShapes(spec: PolicyModelSpec, network: tf.LayersModel, observationSize: number): void {
  const input = network.inputs[0]?.shape;
  const outputs = network.outputs.map((o) => o.shape);
  const fits =
    network.inputs.length === 1 &&
    input?.length === 2 &&
    input[1] === observationSize &&
    outputs.length === 2 &&
    outputs[0]?.[1] === spec.numDistinctActions &&
    outputs[1]?.[1] === 1;
  if (fits) return;
  throw new RuntimeError(
    'model-mismatch',
    `network takes ${JSON.stringify(network.inputs.map((i) => i.shape))} and gives ${JSON.stringify(outputs)}, ` +
      `but ${spec.env} (${describeArch(spec.arch)}) needs [null, ${observationSize}] -> [[null, ${spec.numDistinctActions}], [null, 1]]`,
    'the weights do not belong to this manifest: save the model again',
  );
}
