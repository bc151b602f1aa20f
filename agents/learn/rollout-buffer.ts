/**
 * The rollout buffer: one row per learner decision, in typed arrays that grow by doubling.
 * Rows of one (episode, seat) form a trajectory linked by `next` (the row of that seat's
 * following decision, −1 after its last one), so GAE runs over interleaved lock-step
 * episodes without copying. A row's reward is what its seat received between this decision
 * and its next one (differences of the env's cumulative returns). A trajectory cut by the
 * env's step cap (a truncated episode) keeps the value of its final state in `bootstrap`.
 */
import type { ActionId, Seat } from '../../envs/index.ts';

export class RolloutBuffer {
  readonly observationSize: number;
  readonly numActions: number;
  size = 0;
  observations: Float32Array;
  masks: Uint8Array;
  actions: Int32Array;
  logProbs: Float32Array;
  values: Float32Array;
  rewards: Float32Array;
  seats: Int32Array;
  /** Row of the same seat's next decision in the same episode; −1 after its last one. */
  next: Int32Array;
  /** On a trajectory's last row: the value of the final state if the episode was truncated, else 0. */
  bootstrap: Float32Array;
  /** Filled by the advantage estimator. */
  advantages: Float32Array;
  returns: Float32Array;

  constructor(observationSize: number, numActions: number, capacity = 1024) {
    this.observationSize = observationSize;
    this.numActions = numActions;
    const n = Math.max(1, capacity);
    this.observations = new Float32Array(n * observationSize);
    this.masks = new Uint8Array(n * numActions);
    this.actions = new Int32Array(n);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.seats = new Int32Array(n);
    this.next = new Int32Array(n);
    this.bootstrap = new Float32Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  get capacity(): number {
    return this.actions.length;
  }

  /** Forgets every row (keeps the memory). */
  clear(): void {
    this.size = 0;
  }

  /** Appends one decision; reward 0 and no successor until the trajectory continues or ends. */
  push(observation: ArrayLike<number>, mask: ArrayLike<number>, action: ActionId, logProb: number, value: number, seat: Seat): number {
    if (this.size === this.capacity) this.grow();
    const row = this.size++;
    this.observations.set(observation, row * this.observationSize);
    this.masks.set(mask, row * this.numActions);
    this.actions[row] = action;
    this.logProbs[row] = logProb;
    this.values[row] = value;
    this.rewards[row] = 0;
    this.seats[row] = seat;
    this.next[row] = -1;
    this.bootstrap[row] = 0;
    return row;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const grown = <T extends Float32Array | Int32Array | Uint8Array>(a: T, width: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n * width);
      b.set(a);
      return b;
    };
    this.observations = grown(this.observations, this.observationSize);
    this.masks = grown(this.masks, this.numActions);
    this.actions = grown(this.actions, 1);
    this.logProbs = grown(this.logProbs, 1);
    this.values = grown(this.values, 1);
    this.rewards = grown(this.rewards, 1);
    this.seats = grown(this.seats, 1);
    this.next = grown(this.next, 1);
    this.bootstrap = grown(this.bootstrap, 1);
    this.advantages = grown(this.advantages, 1);
    this.returns = grown(this.returns, 1);
  }
}
