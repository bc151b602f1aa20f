/**
 * A policy network written out as a tabular policy over every information set of a small
 * game (Kuhn, Leduc): one batched forward over all infoset tensors with their legal masks.
 * Exact evaluators (exploitability, best response) and `ludus policy table` read this.
 */
import type { AnyEnv } from '../../envs/index.ts';
import { gameTree } from '../policy/game-tree.ts';
import type { TabularPolicy } from '../policy/tabular-policy.ts';
import { checkModelFits } from '../runtime/model-manifest.ts';
import type { PolicyModel } from '../runtime/policy-model.ts';

export function tabularPolicyFromModel(model: PolicyModel, env: AnyEnv, params: unknown = {}): TabularPolicy {
  checkModelFits(model.spec, env, params, 'the model');
  const tree = gameTree(env, params);
  const n = tree.numInfosets;
  const O = model.observationSize;
  const A = model.numActions;
  const observations = new Float32Array(n * O);
  const masks = new Uint8Array(n * A);
  for (let i = 0; i < n; i++) {
    observations.set(tree.infosetTensor[i]!, i * O);
    for (let s = tree.slotStart[i]!; s < tree.slotStart[i + 1]!; s++) masks[i * A + tree.slotAction[s]!] = 1;
  }
  const policy: TabularPolicy = new Map();
  if (n === 0) return policy;
  const { probs } = model.forward(observations, masks, n);
  for (let i = 0; i < n; i++) policy.set(tree.infosetKey[i]!, Float64Array.from(probs.subarray(i * A, (i + 1) * A)));
  return policy;
}
