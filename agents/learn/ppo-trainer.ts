/**
 * The PPO learner: collects lock-step rollouts with its PolicyModel (rollout.ts), computes
 * advantages (gae.ts), then runs `epochs` passes of shuffled minibatches of the clipped
 * surrogate loss (ppo-loss.ts) with Adam and global-norm gradient clipping.
 *
 * All randomness of update k (action sampling, minibatch order, episode seeds) is derived
 * from (seed, k), so the trainer's whole random state is its update counter: a trainer
 * restored from a checkpoint continues exactly as the uninterrupted one would.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { PolicyModel } from '../runtime/policy-model.ts';
import { Adam, type AdamState } from './adam.ts';
import { computeGae, computeRae, normalizeAdvantages } from './gae.ts';
import { LearnError } from './learn-error.ts';
import { parsePpoConfig, type PpoConfig, type PpoConfigInput } from './ppo-config.ts';
import { ppoLoss, type PpoLossParts } from './ppo-loss.ts';
import { collectRollout, type EpisodeSetup, type RolloutResult } from './rollout.ts';
import { RolloutBuffer } from './rollout-buffer.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

export interface PpoTrainerOptions {
  readonly model: PolicyModel;
  readonly config?: PpoConfigInput;
  readonly seed?: number;
  /** Seats of the env (size of the per-seat baselines). */
  readonly numPlayers: number;
}

export interface UpdateStats {
  readonly samples: number;
  readonly minibatches: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  readonly approxKl: number;
  readonly clipFraction: number;
  readonly gradNorm: number;
  /** Epochs run (fewer than configured when targetKl stopped the update). */
  readonly epochs: number;
}

export interface CollectOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly episodes: number;
  readonly concurrency?: number;
  /** Who plays each seat of episode i; default: the learner in every seat (self-play). */
  readonly setup?: (index: number, seed: number) => EpisodeSetup;
  /** Weight of the env's shaped reward in the learner's rewards (see RolloutOptions.shaping). */
  readonly shaping?: number;
}

/** Everything but the network weights that a resumed trainer needs. */
export interface TrainerState {
  readonly updates: number;
  readonly baselines: readonly number[];
  readonly optimizer: AdamState;
}

type Sums = { -readonly [K in keyof Omit<UpdateStats, 'samples' | 'minibatches' | 'epochs'>]: number };

export class PpoTrainer {
  readonly model: PolicyModel;
  readonly config: PpoConfig;
  readonly seed: number;
  readonly numPlayers: number;
  readonly buffer: RolloutBuffer;
  /** Per-seat EMA baselines of `rae`. */
  readonly baselines: Float64Array;
  /** Updates done (the next update's index). */
  updates = 0;
  readonly #optimizer: Adam;
  readonly #variables: tf.Variable[];

  constructor(options: PpoTrainerOptions) {
    this.model = options.model;
    this.config = parsePpoConfig(options.config ?? {});
    this.seed = options.seed ?? 0;
    this.numPlayers = options.numPlayers;
    this.buffer = new RolloutBuffer(this.model.observationSize, this.model.numActions);
    this.baselines = new Float64Array(options.numPlayers);
    this.#variables = this.model.network.trainableWeights.map((w) => w.read() as tf.Variable);
    this.#optimizer = new Adam(this.#variables, { learningRate: this.config.learningRate, epsilon: this.config.adamEpsilon });
  }

  /** Seed of episode `index` of the coming update. */
  episodeSeed(index: number): number {
    return deriveSeed(this.seed, SEED_STREAMS.episode, this.updates, index);
  }

  /** Plays `episodes` episodes with the current policy into the (cleared) buffer. */
  async collect(options: CollectOptions): Promise<RolloutResult> {
    const numPlayers = options.env.dims(options.env.parseParams(options.params ?? {})).numPlayers;
    const selfPlay = (): EpisodeSetup['agents'] => new Array(numPlayers).fill(null);
    const setup = options.setup ?? ((_index: number, seed: number) => ({ agents: selfPlay(), seed }));
    this.buffer.clear();
    return collectRollout({
      env: options.env,
      params: options.params,
      model: this.model,
      episodes: options.episodes,
      concurrency: options.concurrency,
      setup: (index) => setup(index, this.episodeSeed(index)),
      rng: new Rng(deriveSeed(this.seed, SEED_STREAMS.rollout, this.updates)),
      buffer: this.buffer,
      shaping: options.shaping,
    });
  }

  /** One PPO update on the buffer; counts as an update even when the buffer is empty. */
  update(): UpdateStats {
    const { buffer, config } = this;
    const n = buffer.size;
    this.estimateAdvantages();
    const rng = new Rng(deriveSeed(this.seed, SEED_STREAMS.shuffle, this.updates));
    const sums: Sums = { policyLoss: 0, valueLoss: 0, entropy: 0, approxKl: 0, clipFraction: 0, gradNorm: 0 };
    let minibatches = 0;
    let epochs = 0;
    const size = Math.min(config.minibatchSize, Math.max(n, 1));
    for (let epoch = 0; epoch < config.epochs && n > 0; epoch++) {
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      let epochKl = 0;
      let epochBatches = 0;
      for (let start = 0; start < n; start += size) {
        const stats = this.gradientStep(order.slice(start, start + size));
        for (const key of Object.keys(sums) as (keyof Sums)[]) sums[key] += stats[key];
        epochKl += stats.approxKl;
        epochBatches++;
        minibatches++;
      }
      epochs++;
      if (config.targetKl !== null && epochKl / epochBatches > config.targetKl) break;
    }
    this.updates++;
    const mean = (x: number) => (minibatches > 0 ? x / minibatches : 0);
    return {
      samples: n,
      minibatches,
      epochs,
      policyLoss: mean(sums.policyLoss),
      valueLoss: mean(sums.valueLoss),
      entropy: mean(sums.entropy),
      approxKl: mean(sums.approxKl),
      clipFraction: mean(sums.clipFraction),
      gradNorm: mean(sums.gradNorm),
    };
  }

  /** `collect` then `update`. */
  async step(options: CollectOptions): Promise<{ rollout: RolloutResult; stats: UpdateStats }> {
    const rollout = await this.collect(options);
    return { rollout, stats: this.update() };
  }

  async exportState(): Promise<TrainerState> {
    return { updates: this.updates, baselines: Array.from(this.baselines), optimizer: this.#optimizer.exportState() };
  }

  async importState(state: TrainerState): Promise<void> {
    if (state.baselines.length !== this.numPlayers || !Number.isInteger(state.updates) || state.updates < 0) {
      throw new LearnError(
        'bad-checkpoint',
        `trainer state for ${state.baselines.length} seats at update ${state.updates} does not fit a ${this.numPlayers}-seat learner`,
        'resume with the env the checkpoint was written for',
      );
    }
    this.#optimizer.importState(state.optimizer);
    this.updates = state.updates;
    this.baselines.set(state.baselines);
  }

  /** Disposes the optimizer state (the model belongs to the caller). */
  dispose(): void {
    this.#optimizer.dispose();
  }

  private estimateAdvantages(): void {
    const { buffer, config } = this;
    const { advantage } = config;
    if (advantage.estimator === 'gae') computeGae(buffer, config.gamma, config.lambda, buffer.advantages, buffer.returns);
    else computeRae(buffer, config.gamma, advantage.raeDecay, this.baselines, buffer.advantages, buffer.returns);
    if (advantage.normalize !== 'none') normalizeAdvantages(buffer.advantages, buffer.size, advantage.normalize === 'seat' ? buffer.seats : undefined);
  }

  /** One gradient step on the given rows; returns the minibatch's loss parts. */
  private gradientStep(rows: readonly number[]): Record<keyof Sums, number> {
    const { buffer, model, config } = this;
    const m = rows.length;
    const O = model.observationSize;
    const A = model.numActions;
    const obs = new Float32Array(m * O);
    const masks = new Float32Array(m * A);
    const actions = new Int32Array(m);
    const columns = { oldLogProbs: new Float32Array(m), oldValues: new Float32Array(m), advantages: new Float32Array(m), returns: new Float32Array(m) };
    rows.forEach((r, i) => {
      obs.set(buffer.observations.subarray(r * O, (r + 1) * O), i * O);
      for (let a = 0; a < A; a++) masks[i * A + a] = buffer.masks[r * A + a]!;
      actions[i] = buffer.actions[r]!;
      columns.oldLogProbs[i] = buffer.logProbs[r]!;
      columns.oldValues[i] = buffer.values[r]!;
      columns.advantages[i] = buffer.advantages[r]!;
      columns.returns[i] = buffer.returns[r]!;
    });
    let parts: PpoLossParts | undefined;
    const gradNorm = tf.tidy(() => {
      const batch = {
        masks: tf.tensor2d(masks, [m, A]),
        actions: tf.tensor1d(actions, 'int32'),
        oldLogProbs: tf.tensor1d(columns.oldLogProbs),
        oldValues: tf.tensor1d(columns.oldValues),
        advantages: tf.tensor1d(columns.advantages),
        returns: tf.tensor1d(columns.returns),
      };
      const input = tf.tensor2d(obs, [m, O]);
      const { value, grads } = gradients(() => {
        const [logits, values] = model.network.apply(input, { training: true }) as tf.Tensor[];
        parts = ppoLoss(logits as tf.Tensor2D, values!, batch, config);
        for (const t of Object.values(parts)) tf.keep(t);
        return parts.loss;
      }, this.#variables);
      value.dispose();
      return this.applyClipped(grads);
    });
    const read = (t: tf.Scalar) => t.dataSync()[0]!;
    const p = parts!;
    const out = {
      policyLoss: read(p.policyLoss),
      valueLoss: read(p.valueLoss),
      entropy: read(p.entropy),
      approxKl: read(p.approxKl),
      clipFraction: read(p.clipFraction),
      gradNorm: read(gradNorm),
    };
    tf.dispose([...Object.values(p), gradNorm]);
    return out;
  }

  /** Scales the gradients to global norm ≤ maxGradNorm, applies them, returns the norm before clipping. */
  private applyClipped(grads: tf.NamedTensorMap): tf.Scalar {
    const list = this.#variables.map((v) => {
      const g = grads[v.name];
      if (!g) throw new LearnError('bad-rollout', `no gradient for ${v.name}`, 'the loss must depend on every trainable weight');
      return g;
    });
    const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    const scale = tf.minimum(1, tf.div(this.config.maxGradNorm, tf.add(norm, 1e-6)));
    this.#optimizer.apply(list.map((g) => tf.mul(g, scale)));
    return tf.keep(norm);
  }
}

/** tf.variableGrads, with a missing gradient kernel (conv on wasm) reported as a typed error. */
function gradients(loss: () => tf.Scalar, variables: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(loss, variables);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(message);
    if (!missing) throw error;
    throw new LearnError(
      'backend-cannot-train',
      `the ${missing[2]} backend cannot train this network: it has no ${missing[1]} kernel`,
      'train convolutional networks with --backend cpu (slow) or tfjs-node, or use an mlp architecture',
    );
  }
}
