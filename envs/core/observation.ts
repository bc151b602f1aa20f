/**
 * What an agent sees at a decision: tensor, text, legal ids and mask for one seat.
 * Fields are computed on first access, so a random agent pays only for `legal`.
 * An observation never exposes the raw state.
 */
import type { ActionId, AnyEnv, Seat } from './env.ts';

export interface Observation {
  readonly seat: Seat;
  readonly shape: readonly number[];
  readonly legal: readonly ActionId[];
  readonly tensor: Float32Array;
  readonly mask: Uint8Array;
  readonly text: string;
}

class LazyObservation implements Observation {
  readonly seat: Seat;
  readonly shape: readonly number[];
  readonly legal: readonly ActionId[];
  readonly #env: AnyEnv;
  readonly #state: unknown;
  #tensor?: Float32Array;
  #mask?: Uint8Array;
  #text?: string;

  constructor(env: AnyEnv, state: { params: unknown }, seat: Seat) {
    this.#env = env;
    this.#state = state;
    this.seat = seat;
    this.shape = env.dims(state.params).observationShape;
    this.legal = env.legalActions(state, seat);
  }

  get tensor(): Float32Array {
    return (this.#tensor ??= this.#env.observationTensor(this.#state, this.seat));
  }

  get mask(): Uint8Array {
    if (!this.#mask) {
      const mask = new Uint8Array(this.#env.dims((this.#state as { params: unknown }).params).numDistinctActions);
      for (const a of this.legal) mask[a] = 1;
      this.#mask = mask;
    }
    return this.#mask;
  }

  get text(): string {
    return (this.#text ??= this.#env.observationText(this.#state, this.seat));
  }

  toJSON() {
    return { seat: this.seat, shape: this.shape, legal: this.legal, tensor: Array.from(this.tensor), text: this.text };
  }
}

export function observe(env: AnyEnv, state: { params: unknown }, seat: Seat): Observation {
  return new LazyObservation(env, state, seat);
}
