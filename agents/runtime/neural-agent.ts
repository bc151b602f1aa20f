/**
 * An agent that plays a neural policy: each decision sends the observation tensor and
 * legal mask to a (shared) InferenceServer and samples from the answered probabilities
 * with an RNG seeded in `reset`, or takes the argmax when greedy. Many agents on one
 * server get their decisions batched into one forward pass per step.
 */
import { Rng } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Seat } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import type { InferenceServer } from './inference-server.ts';
import { greedyAction, sampleAction } from './masked-categorical.ts';
import { checkModelFits, type PolicyModelSpec } from './model-manifest.ts';
import { RuntimeError } from './runtime-error.ts';

/** Where an agent's decisions go: a policy registered with a server. */
export interface PolicyBinding {
  readonly server: InferenceServer;
  readonly policyId: string;
}

export interface NeuralAgentOptions {
  /** The policy, or a loader called once, at the first reset or decision (lazy model loading). */
  readonly policy: PolicyBinding | (() => Promise<PolicyBinding>);
  /** Argmax instead of sampling. Default false. */
  readonly greedy?: boolean;
  readonly name?: string;
}

export class NeuralAgent implements Agent {
  readonly name: string;
  readonly greedy: boolean;
  #binding: PolicyBinding | undefined;
  #loading: Promise<PolicyBinding> | undefined;
  readonly #load: (() => Promise<PolicyBinding>) | undefined;
  #rng = new Rng(0);
  /** The last (env, params) checked against the model, so the check runs once per match setup. */
  #checkedEnv: AnyEnv | undefined;
  #checkedParams: unknown;

  constructor(options: NeuralAgentOptions) {
    this.name = options.name ?? 'neural';
    this.greedy = options.greedy ?? false;
    if (typeof options.policy === 'function') this.#load = options.policy;
    else this.#binding = options.policy;
  }

  reset(_seat: Seat, seed: number): void | Promise<void> {
    this.#rng = new Rng(seed);
    if (this.#binding) return undefined;
    return this.#bind().then(() => undefined);
  }

  act(request: DecisionRequest): Promise<ActionId> {
    const binding = this.#binding;
    if (!binding) return this.#bind().then(() => this.act(request));
    if (request.env !== this.#checkedEnv || request.params !== this.#checkedParams) this.#checkFits(binding, request);
    const { tensor, mask } = request.observation;
    return binding.server.infer(binding.policyId, tensor, mask).then(({ probs }) => this.#choose(probs));
  }

  #choose(probs: Float32Array): ActionId {
    const action = this.greedy ? greedyAction(probs) : sampleAction(probs, this.#rng);
    if (action < 0)
      throw new RuntimeError(
        'bad-inference-input',
        `${this.name} got no probability on any legal action`,
        'the observation has no legal action or the network outputs NaN',
      );
    return action;
  }

  #checkFits(binding: PolicyBinding, request: DecisionRequest): void {
    const model = binding.server.model(binding.policyId);
    if (!model) {
      throw new RuntimeError(
        'unknown-policy',
        `${this.name}: no model is registered as policy "${binding.policyId}"`,
        'register the model with the server first',
      );
    }
    checkModelFits(model.spec as PolicyModelSpec, request.env, request.params, `${this.name}'s model`);
    this.#checkedEnv = request.env;
    this.#checkedParams = request.params;
  }

  #bind(): Promise<PolicyBinding> {
    if (this.#binding) return Promise.resolve(this.#binding);
    this.#loading ??= this.#load!().then((binding) => (this.#binding = binding));
    return this.#loading;
  }
}
