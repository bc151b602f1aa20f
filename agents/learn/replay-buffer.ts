/**
 * AlphaZero's replay buffer: a ring of positions (observation, legal mask, search policy,
 * final outcome for the acting seat), the oldest overwritten first. It serializes to one
 * byte array so checkpoints keep it and a resumed run trains on the same data.
 */
import type { Rng } from '../../envs/index.ts';
import { LearnError } from './learn-error.ts';

export class ReplayBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  readonly numActions: number;
  readonly observations: Float32Array;
  readonly masks: Uint8Array;
  readonly policies: Float32Array;
  readonly outcomes: Float32Array;
  /** Positions ever added (the ring's write position is added % capacity). */
  added = 0;

  constructor(capacity: number, observationSize: number, numActions: number) {
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.numActions = numActions;
    this.observations = new Float32Array(capacity * observationSize);
    this.masks = new Uint8Array(capacity * numActions);
    this.policies = new Float32Array(capacity * numActions);
    this.outcomes = new Float32Array(capacity);
  }

  get size(): number {
    return Math.min(this.added, this.capacity);
  }

  add(observation: Float32Array, mask: Uint8Array, policy: Float32Array, outcome: number): void {
    const row = this.added % this.capacity;
    this.observations.set(observation, row * this.observationSize);
    this.masks.set(mask, row * this.numActions);
    this.policies.set(policy, row * this.numActions);
    this.outcomes[row] = outcome;
    this.added++;
  }

  /** `n` rows drawn uniformly with replacement. */
  sample(rng: Rng, n: number): Int32Array {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = rng.int(this.size);
    return rows;
  }

  /** Header (added, capacity, sizes) then the four arrays, filled part only. */
  toBytes(): Uint8Array {
    const n = this.size;
    const O = this.observationSize;
    const A = this.numActions;
    const parts = [
      new Uint8Array(new Float64Array([this.added, this.capacity, O, A]).buffer),
      bytesOf(this.observations.subarray(0, n * O)),
      this.masks.subarray(0, n * A),
      bytesOf(this.policies.subarray(0, n * A)),
      bytesOf(this.outcomes.subarray(0, n)),
    ];
    const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  /** Restores a buffer written by `toBytes` with the same capacity and sizes. */
  load(bytes: Uint8Array): void {
    const copy = bytes.slice();
    const head = new Float64Array(copy.buffer, 0, 4);
    const [added, capacity, O, A] = [head[0]!, head[1]!, head[2]!, head[3]!];
    if (capacity !== this.capacity || O !== this.observationSize || A !== this.numActions) {
      throw new LearnError(
        'bad-checkpoint',
        `replay buffer of ${capacity} x (${O}, ${A}) does not fit ${this.capacity} x (${this.observationSize}, ${this.numActions})`,
        'resume with the config the run was started with',
      );
    }
    const n = Math.min(added, capacity);
    const expected = 32 + n * O * 4 + n * A + n * A * 4 + n * 4;
    if (copy.byteLength !== expected) throw new LearnError('bad-checkpoint', `replay buffer file holds ${copy.byteLength} bytes, expected ${expected}`);
    let at = 32;
    this.observations.set(new Float32Array(copy.buffer.slice(at, (at += n * O * 4))));
    this.masks.set(copy.subarray(at, (at += n * A)));
    this.policies.set(new Float32Array(copy.buffer.slice(at, (at += n * A * 4))));
    this.outcomes.set(new Float32Array(copy.buffer.slice(at, (at += n * 4))));
    this.added = added;
  }
}

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
