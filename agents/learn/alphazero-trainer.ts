/**
 * The AlphaZero learner. An update plays `gamesPerUpdate` self-play games at once: every game
 * runs its own PUCT search (puct-search.ts) per move, and the searches' leaf evaluations all
 * go through one InferenceServer, so each simulation step of every game is one batched
 * forward pass. Positions (observation, search policy, final outcome) go into a replay
 * buffer; then `trainSteps` minibatches train the network on cross-entropy to the search
 * policy plus squared error to the outcome plus L2, with Adam.
 *
 * Randomness of update k (noise, move sampling, game seeds, minibatches) derives from
 * (seed, k), so the trainer's whole random state is its update counter, its weights, its
 * optimizer and its replay buffer: a restored trainer continues exactly as the original.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../../envs/index.ts';
import type { AnyEnv, Seat } from '../../envs/index.ts';
import { InferenceServer, type InferenceStats } from '../runtime/inference-server.ts';
import { maskedLogSoftmax } from '../runtime/masked-logits.ts';
import type { PolicyModel } from '../runtime/policy-model.ts';
import { Adam } from './adam.ts';
import { parseAlphaZeroConfig, type AlphaZeroConfig, type AlphaZeroConfigInput } from './alphazero-config.ts';
import type { TrainerState } from './ppo-trainer.ts';
import { PuctSearch, visitPolicy } from './puct-search.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import type { EpisodeOutcome, RolloutResult } from './rollout.ts';
import { LearnError } from './learn-error.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

const POLICY_ID = 'alphazero-learner';
export const REPLAY_FILE = 'replay.bin';

export interface AlphaZeroTrainerOptions {
  readonly model: PolicyModel;
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly config?: AlphaZeroConfigInput;
  readonly seed?: number;
}

export interface AlphaZeroStats {
  readonly samples: number;
  readonly minibatches: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  /** Entropy of the network's policy on the trained positions. */
  readonly entropy: number;
  readonly replaySize: number;
  readonly positions: number;
}

export class AlphaZeroTrainer {
  readonly model: PolicyModel;
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly config: AlphaZeroConfig;
  readonly seed: number;
  readonly replay: ReplayBuffer;
  readonly server: InferenceServer;
  readonly search: PuctSearch;
  readonly scale: number;
  /** Updates done (the next update's index). */
  updates = 0;
  readonly #optimizer: Adam;
  readonly #variables: tf.Variable[];
  readonly #kernels: tf.Variable[];

  constructor(options: AlphaZeroTrainerOptions) {
    this.model = options.model;
    this.env = options.env;
    this.params = options.env.parseParams(options.params ?? {});
    this.config = parseAlphaZeroConfig(options.config ?? {});
    this.seed = options.seed ?? 0;
    const dims = this.env.dims(this.params);
    this.scale = Math.max(Math.abs(dims.maxUtility), Math.abs(dims.minUtility), 1e-9);
    this.replay = new ReplayBuffer(this.config.replayCapacity, this.model.observationSize, this.model.numActions);
    this.server = new InferenceServer({ maxBatch: Math.max(this.config.gamesPerUpdate, 1), flushWhenIdle: true });
    this.server.register(POLICY_ID, this.model);
    this.search = new PuctSearch(this.env, this.params, async (state, seat) => {
      const r = await this.server.infer(POLICY_ID, this.env.observationTensor(state, seat), this.env.legalMask(state, seat));
      return { probs: r.probs, value: Math.max(-1, Math.min(1, r.value)) };
    });
    this.#variables = this.model.network.trainableWeights.map((w) => w.read() as tf.Variable);
    this.#kernels = this.#variables.filter((v) => v.shape.length > 1);
    this.#optimizer = new Adam(this.#variables, { learningRate: this.config.learningRate, epsilon: this.config.adamEpsilon });
  }

  /** Batching figures of the leaf evaluations (for benchmarks and tests). */
  inferenceStats(): InferenceStats {
    return this.server.stats();
  }

  /** Plays the update's self-play games in lock-step into the replay buffer. */
  async selfPlay(): Promise<RolloutResult> {
    const games = Array.from({ length: this.config.gamesPerUpdate }, (_, i) => this.playGame(i));
    const results = await Promise.all(games);
    let decisions = 0;
    for (const game of results) {
      for (const p of game.positions) this.replay.add(p.observation, p.mask, p.policy, game.outcome.returns[p.seat]! / this.scale);
      decisions += game.positions.length;
    }
    return { episodes: results.map((g) => g.outcome), decisions };
  }

  private async playGame(index: number): Promise<{ outcome: EpisodeOutcome; positions: Position[] }> {
    const { env, config } = this;
    const seed = deriveSeed(this.seed, SEED_STREAMS.alphaZeroGame, this.updates, index);
    const rng = new Rng(deriveSeed(this.seed, SEED_STREAMS.alphaZeroSearch, this.updates, index));
    let state = env.init(this.params, seed);
    const positions: Position[] = [];
    const dirichlet = { alpha: config.dirichletAlpha, epsilon: config.dirichletEpsilon };
    for (;;) {
      const turn = env.turn(state);
      if (turn.kind === 'terminal') break;
      if (turn.kind === 'chance') {
        const outcomes = env.chanceOutcomes(state);
        state = env.apply(state, 'chance', outcomes[rng.weighted(outcomes.map((o) => o.probability))]!.action);
        continue;
      }
      if (turn.kind !== 'decision') throw new LearnError('env-not-searchable', `${env.key} reached a ${turn.kind} node`);
      const seat = turn.seat;
      const result = await this.search.search(state, seat, { simulations: config.simulations, cPuct: config.cPuct, dirichlet }, rng);
      const policy = visitPolicy(result, this.model.numActions, 1);
      const action = positions.length < config.temperatureMoves ? rng.weighted(policy) : argmax(visitPolicy(result, this.model.numActions, 0));
      positions.push({ observation: env.observationTensor(state, seat).slice(), mask: env.legalMask(state, seat), policy, seat });
      state = env.apply(state, seat, action);
    }
    const returns = env.returns(state).slice();
    return { outcome: { index, seed, returns, learnerSeats: [0, 1], length: positions.length }, positions };
  }

  /** `trainSteps` gradient steps on minibatches of the replay buffer; counts as an update. */
  train(): AlphaZeroStats {
    const { config, replay } = this;
    const rng = new Rng(deriveSeed(this.seed, SEED_STREAMS.alphaZeroSample, this.updates));
    let policyLoss = 0;
    let valueLoss = 0;
    let entropy = 0;
    let minibatches = 0;
    if (replay.size > 0) {
      for (let k = 0; k < config.trainSteps; k++) {
        const parts = this.gradientStep(replay.sample(rng, Math.min(config.batchSize, Math.max(replay.size, 1))));
        policyLoss += parts.policyLoss;
        valueLoss += parts.valueLoss;
        entropy += parts.entropy;
        minibatches++;
      }
    }
    this.updates++;
    const mean = (x: number) => (minibatches > 0 ? x / minibatches : 0);
    return {
      samples: minibatches * Math.min(config.batchSize, replay.size),
      minibatches,
      policyLoss: mean(policyLoss),
      valueLoss: mean(valueLoss),
      entropy: mean(entropy),
      replaySize: replay.size,
      positions: replay.added,
    };
  }

  /** `selfPlay` then `train`. */
  async step(): Promise<{ rollout: RolloutResult; stats: AlphaZeroStats }> {
    const rollout = await this.selfPlay();
    return { rollout, stats: this.train() };
  }

  /** Predicted value of `state` for `seat` (no search). */
  async value(state: unknown, seat: Seat): Promise<number> {
    const r = await this.server.infer(POLICY_ID, this.env.observationTensor(state, seat), this.env.legalMask(state, seat));
    return r.value;
  }

  async exportState(): Promise<TrainerState> {
    return { updates: this.updates, baselines: [], optimizer: this.#optimizer.exportState() };
  }

  /** Files kept beside the trainer state in a checkpoint. */
  exportFiles(): Record<string, Uint8Array> {
    return { [REPLAY_FILE]: this.replay.toBytes() };
  }

  async importState(state: TrainerState, files: Readonly<Record<string, Uint8Array>> = {}): Promise<void> {
    if (!Number.isInteger(state.updates) || state.updates < 0) throw new LearnError('bad-checkpoint', `bad update counter ${state.updates}`);
    this.#optimizer.importState(state.optimizer);
    const replay = files[REPLAY_FILE];
    if (!replay) throw new LearnError('bad-checkpoint', `the checkpoint has no ${REPLAY_FILE}`, 'resume from a checkpoint written by an AlphaZero run');
    this.replay.load(replay);
    this.updates = state.updates;
  }

  async dispose(): Promise<void> {
    this.#optimizer.dispose();
    await this.server.close();
  }

  private gradientStep(rows: Int32Array): { policyLoss: number; valueLoss: number; entropy: number } {
    const { replay, model, config } = this;
    const m = rows.length;
    const O = model.observationSize;
    const A = model.numActions;
    const obs = new Float32Array(m * O);
    const masks = new Float32Array(m * A);
    const targets = new Float32Array(m * A);
    const outcomes = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const r = rows[i]!;
      obs.set(replay.observations.subarray(r * O, (r + 1) * O), i * O);
      for (let a = 0; a < A; a++) masks[i * A + a] = replay.masks[r * A + a]!;
      targets.set(replay.policies.subarray(r * A, (r + 1) * A), i * A);
      outcomes[i] = replay.outcomes[r]!;
    }
    let parts: tf.Scalar[] = [];
    tf.tidy(() => {
      const input = tf.tensor2d(obs, [m, O]);
      const mask = tf.tensor2d(masks, [m, A]);
      const pi = tf.tensor2d(targets, [m, A]);
      const z = tf.tensor1d(outcomes);
      const { value, grads } = tf.variableGrads(() => {
        const [logits, values] = model.network.apply(input, { training: true }) as tf.Tensor[];
        const logp = maskedLogSoftmax(logits as tf.Tensor2D, mask);
        const legalLogp = tf.where(tf.greater(mask, 0), logp, tf.zerosLike(logp));
        const policyLoss = tf.neg(tf.mean(tf.sum(tf.mul(pi, legalLogp), 1))) as tf.Scalar;
        const valueLoss = tf.mean(tf.square(tf.sub(tf.reshape(values!, [m]), z))) as tf.Scalar;
        const entropy = tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), legalLogp), 1))) as tf.Scalar;
        const l2 =
          this.#kernels.length > 0 && config.weightDecay > 0
            ? tf.mul(config.weightDecay, tf.addN(this.#kernels.map((k) => tf.sum(tf.square(k)))))
            : tf.scalar(0);
        parts = [tf.keep(policyLoss), tf.keep(valueLoss), tf.keep(entropy)];
        return tf.add(tf.add(policyLoss, valueLoss), l2) as tf.Scalar;
      }, this.#variables);
      value.dispose();
      this.#optimizer.apply(
        this.#variables.map((v) => {
          const g = grads[v.name];
          if (!g) throw new LearnError('bad-rollout', `no gradient for ${v.name}`, 'the loss must depend on every trainable weight');
          return g;
        }),
      );
    });
    const [p, v, e] = parts.map((t) => t.dataSync()[0]!);
    tf.dispose(parts);
    return { policyLoss: p!, valueLoss: v!, entropy: e! };
  }
}

interface Position {
  readonly observation: Float32Array;
  readonly mask: Uint8Array;
  readonly policy: Float32Array;
  readonly seat: Seat;
}

function argmax(xs: Float32Array): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
