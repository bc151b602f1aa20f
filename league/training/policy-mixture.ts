/**
 * Mixtures of tabular policies in small games, as one behaviour policy. Mixing the action
 * probabilities per infoset would be wrong (a policy that rarely reaches an infoset would
 * weigh as much there as one that always does); the realization-equivalent behaviour policy
 * weighs each policy by its own reach (Kuhn's theorem, as in fictitious play's average):
 *   π(a|I) = Σ_k w_k reach_k(I) π_k(a|I) / Σ_k w_k reach_k(I),
 * where reach_k(I) is the product of policy k's own action probabilities on the path to I
 * (well defined under perfect recall). Also the exact meta-game between policies (expected
 * returns over the game tree) and its Nash mixture, for two-player zero-sum games.
 */
import { NODE_CHANCE, NODE_TERMINAL, type GameTree } from '../../agents/policy/game-tree.ts';
import { slotsFromPolicy, tabularFromSlots, type PolicyLike, type TabularPolicy } from '../../agents/policy/tabular-policy.ts';
import { expectedReturnsOnTree } from '../evaluate/exploitability.ts';
import { solveMatrixGame } from '../evaluate/nash-mixture.ts';

/** reach[i]: the product of the acting seat's own probabilities on the path to infoset i. */
export function ownReachAtInfosets(tree: GameTree, slots: Float64Array): Float64Array {
  const { kind, infoset, infosetSeat, slotStart, edgeStart, edgeChild, numNodes, numPlayers } = tree;
  // One reach per (node, seat): seat s's own contribution only.
  const reach = new Float64Array(numNodes * numPlayers).fill(1);
  const atInfoset = new Float64Array(tree.numInfosets);
  for (let n = 0; n < numNodes; n++) {
    if (kind[n] === NODE_TERMINAL) continue;
    const start = edgeStart[n]!;
    const decisionSeat = kind[n] === NODE_CHANCE ? -1 : infosetSeat[infoset[n]!]!;
    if (decisionSeat >= 0) atInfoset[infoset[n]!] = reach[n * numPlayers + decisionSeat]!;
    const slot = decisionSeat >= 0 ? slotStart[infoset[n]!]! - start : 0;
    for (let e = start; e < edgeStart[n + 1]!; e++) {
      const child = edgeChild[e]!;
      for (let s = 0; s < numPlayers; s++) {
        reach[child * numPlayers + s] = reach[n * numPlayers + s]! * (s === decisionSeat ? slots[slot + e]! : 1);
      }
    }
  }
  return atInfoset;
}

/** The behaviour policy realizing the mixture `weights` (non-negative, any sum > 0) of `policies`. */
export function mixPolicies(tree: GameTree, policies: readonly PolicyLike[], weights: readonly number[]): TabularPolicy {
  const slots = policies.map((p) => slotsFromPolicy(tree, p));
  const reaches = slots.map((s) => ownReachAtInfosets(tree, s));
  const mixed = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const start = tree.slotStart[i]!;
    const end = tree.slotStart[i + 1]!;
    let total = 0;
    for (let k = 0; k < slots.length; k++) total += weights[k]! * reaches[k]![i]!;
    for (let s = start; s < end; s++) {
      let p = 0;
      for (let k = 0; k < slots.length; k++) {
        // Where no policy of the mixture reaches I, any behaviour realizes it: take the plain weighted mix.
        const w = total > 0 ? (weights[k]! * reaches[k]![i]!) / total : weights[k]! / weights.reduce((a, b) => a + b, 0);
        p += w * slots[k]![s]!;
      }
      mixed[s] = p;
    }
  }
  return tabularFromSlots(tree, mixed);
}

/**
 * The symmetric meta-game of a two-player zero-sum game between `policies` (each playing
 * both seats by its per-seat entries): M[i][j] = ½(u₀(π_i, π_j) + u₁(π_j, π_i)), exact.
 */
export function exactMetaGame(tree: GameTree, policies: readonly PolicyLike[]): number[][] {
  const slots = policies.map((p) => slotsFromPolicy(tree, p));
  const seat0 = new Uint8Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) if (tree.infosetSeat[i] === 0) seat0.fill(1, tree.slotStart[i]!, tree.slotStart[i + 1]!);
  const combined = new Float64Array(tree.numSlots);
  const value = (a: Float64Array, b: Float64Array): number[] => {
    for (let s = 0; s < tree.numSlots; s++) combined[s] = seat0[s] ? a[s]! : b[s]!;
    return expectedReturnsOnTree(tree, combined);
  };
  const k = slots.length;
  const u = slots.map((a) => slots.map((b) => value(a, b)));
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => 0.5 * (u[i]![j]![0]! + u[j]![i]![1]!)));
}

export interface PolicyNashMixture {
  readonly weights: number[];
  readonly matrix: number[][];
  /** The mixture as one behaviour policy. */
  readonly behaviour: TabularPolicy;
}

/** Nash mixture of the exact meta-game between `policies`, and its behaviour policy. */
export function nashMixtureOfPolicies(tree: GameTree, policies: readonly PolicyLike[]): PolicyNashMixture {
  const matrix = exactMetaGame(tree, policies);
  const weights = solveMatrixGame(matrix).row;
  return { weights, matrix, behaviour: mixPolicies(tree, policies, weights) };
}
