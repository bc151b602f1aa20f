/**
 * Adam (Kingma & Ba 2015, Algorithm 1) over a fixed list of variables. Written out instead of
 * tfjs's optimizer because its whole state is the step count and the two moment estimates:
 * the bias corrections are computed from the step count, so a restored optimizer takes
 * bit-identical steps (tfjs keeps running float32 products of β that a restore can only
 * approximate).
 */
import * as tf from '@tensorflow/tfjs';
import { LearnError } from './learn-error.ts';

export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export interface AdamState {
  readonly step: number;
  /** First moments, then second moments, one per variable in order. */
  readonly moments: readonly { readonly shape: readonly number[]; readonly data: Float32Array }[];
}

export class Adam {
  readonly variables: readonly tf.Variable[];
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  step = 0;
  readonly #m: tf.Variable[];
  readonly #v: tf.Variable[];

  constructor(variables: readonly tf.Variable[], options: AdamOptions) {
    this.variables = variables;
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.#m = variables.map((v) => tf.variable(tf.zerosLike(v), false));
    this.#v = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  }

  /** One step with `grads[i]` the gradient of `variables[i]`. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step++;
    const { beta1, beta2 } = this;
    const c1 = 1 / (1 - beta1 ** this.step);
    const c2 = 1 / (1 - beta2 ** this.step);
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.#m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.#v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        this.#m[i]!.assign(m);
        this.#v[i]!.assign(v);
        const update = tf.div(tf.mul(m, c1), tf.add(tf.sqrt(tf.mul(v, c2)), this.epsilon));
        variable.assign(tf.sub(variable, tf.mul(update, this.learningRate)));
      });
    });
  }

  exportState(): AdamState {
    const moments = [...this.#m, ...this.#v].map((t) => ({ shape: t.shape.slice(), data: Float32Array.from(t.dataSync()) }));
    return { step: this.step, moments };
  }

  importState(state: AdamState): void {
    const n = this.variables.length;
    const fits =
      state.moments.length === 2 * n &&
      state.moments.every((m, i) => {
        const shape = this.variables[i % n]!.shape;
        return m.shape.length === shape.length && m.shape.every((d, k) => d === shape[k]) && m.data.length === tf.util.sizeFromShape(shape);
      });
    if (!fits || !Number.isInteger(state.step) || state.step < 0) {
      throw new LearnError(
        'bad-checkpoint',
        `the optimizer state (${state.moments.length} moment tensors) does not fit the network's ${n} variables`,
        'resume with the model the checkpoint was written with, or start a new run',
      );
    }
    state.moments.forEach((m, i) => (i < n ? this.#m[i]! : this.#v[i - n]!).assign(tf.tensor(m.data, [...m.shape], 'float32')));
    this.step = state.step;
  }

  dispose(): void {
    tf.dispose([...this.#m, ...this.#v]);
  }
}
