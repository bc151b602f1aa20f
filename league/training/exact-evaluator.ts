/**
 * Exact evaluation of a learner in small two-player zero-sum games whose game tree can be
 * walked (Kuhn, Leduc): the exploitability of the network's own policy, and of the Nash
 * mixture of its snapshots (the population's answer, as `ludus policy table --mixture`).
 */
import { tabularPolicyFromModel } from '../../agents/learn/model-tabular-policy.ts';
import { gameTree, type GameTree } from '../../agents/policy/game-tree.ts';
import { PolicyError } from '../../agents/policy/policy-error.ts';
import type { TabularPolicy } from '../../agents/policy/tabular-policy.ts';
import type { PolicyModel } from '../../agents/runtime/policy-model.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { exploitability } from '../evaluate/exploitability.ts';
import { nashMixtureOfPolicies, type PolicyNashMixture } from './policy-mixture.ts';

/** Trees above this size take too long to evaluate at every evaluation step. */
const MAX_TREE_NODES = 1_000_000;

export class ExactEvaluator {
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly tree: GameTree;

  private constructor(env: AnyEnv, params: unknown, tree: GameTree) {
    this.env = env;
    this.params = params;
    this.tree = tree;
  }

  /** An evaluator, or undefined when the env is not a small two-player zero-sum game with perfect recall. */
  static create(env: AnyEnv, params: unknown): ExactEvaluator | undefined {
    const { utility, chance } = env.spec;
    if ((utility !== 'zero-sum' && utility !== 'constant-sum') || chance === 'sampled') return undefined;
    if (env.dims(env.parseParams(params ?? {})).numPlayers !== 2) return undefined;
    try {
      return new ExactEvaluator(env, params, gameTree(env, params, { maxNodes: MAX_TREE_NODES }));
    } catch (error) {
      if (error instanceof PolicyError) return undefined; // too large, or an observation without perfect recall
      throw error;
    }
  }

  policyOf(model: PolicyModel): TabularPolicy {
    return tabularPolicyFromModel(model, this.env, this.params);
  }

  exploitability(policy: TabularPolicy): number {
    return exploitability(this.env, this.params, policy);
  }

  /** The Nash mixture of `policies` and the exploitability of its behaviour policy. */
  mixture(policies: readonly TabularPolicy[]): PolicyNashMixture & { readonly exploitability: number } {
    const mixture = nashMixtureOfPolicies(this.tree, policies);
    return { ...mixture, exploitability: this.exploitability(mixture.behaviour) };
  }
}
