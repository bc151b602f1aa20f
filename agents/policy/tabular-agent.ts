/**
 * An agent that plays a tabular policy: at each decision it looks its observation up by
 * infoset key and samples an action from the stored probabilities with an RNG seeded in
 * `reset`, so a match against it is reproducible from the match seed.
 */
import type { Agent, DecisionRequest } from '../agent.ts';
import { Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import { tensorKey } from './infoset-key.ts';
import { PolicyError } from './policy-error.ts';
import type { TabularPolicy } from './tabular-policy.ts';

export interface TabularAgentOptions {
  readonly name?: string;
  /** At an infoset the table lacks: 'error' (default, the agent faults) or 'uniform'. */
  readonly missing?: 'error' | 'uniform';
}

export class TabularAgent implements Agent {
  readonly name: string;
  readonly policy: TabularPolicy;
  private readonly missing: 'error' | 'uniform';
  private rng = new Rng(0);

  constructor(policy: TabularPolicy, options: TabularAgentOptions = {}) {
    this.policy = policy;
    this.name = options.name ?? 'tabular';
    this.missing = options.missing ?? 'error';
  }

  reset(_seat: Seat, seed: number): void {
    this.rng = new Rng(seed);
  }

  act(request: DecisionRequest): ActionId {
    const { legal, tensor } = request.observation;
    const key = tensorKey(request.seat, tensor);
    const probs = this.policy.get(key);
    if (!probs) {
      if (this.missing === 'uniform') return this.rng.pick(legal);
      throw new PolicyError(
        'missing-infoset',
        `${this.name} has no policy entry for infoset ${key}`,
        'the table was built for another env or params; rebuild it or use missing: "uniform"',
      );
    }
    const weights = legal.map((a) => probs[a] ?? 0);
    if (!weights.some((w) => w > 0)) {
      throw new PolicyError('bad-policy', `${this.name} puts no probability on a legal action at infoset ${key}`, 'fix the policy table');
    }
    return legal[this.rng.weighted(weights)]!;
  }
}
