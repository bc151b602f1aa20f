/**
 * Tabular policies: one probability vector per information set, keyed by `infosetKey`
 * (`${seat}|${tensor}`), over all `numDistinctActions` ids with zeros on illegal actions.
 * A `PolicyFn` is the functional form (what an agent computes from what it may see); the
 * helpers here convert between the two through the game tree.
 */
import type { ActionId, AnyEnv, Seat } from '../../envs/index.ts';
import { gameTree, type GameTree } from './game-tree.ts';
import { infosetKey, tensorKey } from './infoset-key.ts';
import { PolicyError } from './policy-error.ts';

export { infosetKey, tensorKey };

/** infosetKey -> probabilities over numDistinctActions (zero on illegal actions). */
export type TabularPolicy = Map<string, Float64Array>;

/**
 * Action probabilities for `seat` at `state` (length numDistinctActions, zero on illegal
 * actions). It must depend only on what `seat` may see: it is queried at one history per
 * information set.
 */
export type PolicyFn = (state: unknown, seat: Seat) => ArrayLike<number>;

export type PolicyLike = TabularPolicy | PolicyFn;

/** One decision point of the game, as the future `ludus policy table` prints it. */
export interface InfosetInfo {
  readonly key: string;
  readonly seat: Seat;
  readonly tensor: Float32Array;
  readonly legal: readonly ActionId[];
}

const SUM_TOLERANCE = 1e-6;

/** Every decision infoset of the game, in first-visit (preorder) order. */
export function enumerateInfosets(env: AnyEnv, params: unknown = {}): InfosetInfo[] {
  const tree = gameTree(env, params);
  return Array.from({ length: tree.numInfosets }, (_, i) => ({
    key: tree.infosetKey[i]!,
    seat: tree.infosetSeat[i]!,
    tensor: tree.infosetTensor[i]!.slice(),
    legal: Array.from(tree.slotAction.subarray(tree.slotStart[i]!, tree.slotStart[i + 1]!)),
  }));
}

/** One row per decision point, `{seat, tensor, probs}`: what `ludus policy table` prints. */
export interface PolicyTableRow {
  readonly seat: Seat;
  readonly tensor: number[];
  readonly probs: number[];
}

/** `policy` (or any PolicyFn) written out at every infoset, in first-visit order. */
export function policyTable(env: AnyEnv, params: unknown, policy: PolicyLike): PolicyTableRow[] {
  const tree = gameTree(env, params);
  const slots = slotsFromPolicy(tree, policy);
  return Array.from({ length: tree.numInfosets }, (_, i) => {
    const probs = new Array<number>(tree.numDistinctActions).fill(0);
    for (let s = tree.slotStart[i]!; s < tree.slotStart[i + 1]!; s++) probs[tree.slotAction[s]!] = slots[s]!;
    return { seat: tree.infosetSeat[i]!, tensor: Array.from(tree.infosetTensor[i]!), probs };
  });
}

/** The policy with probabilities `slots` (one per (infoset, legal action), as on the tree). */
export function tabularFromSlots(tree: GameTree, slots: ArrayLike<number>): TabularPolicy {
  const policy: TabularPolicy = new Map();
  for (let i = 0; i < tree.numInfosets; i++) {
    const probs = new Float64Array(tree.numDistinctActions);
    for (let s = tree.slotStart[i]!; s < tree.slotStart[i + 1]!; s++) probs[tree.slotAction[s]!] = slots[s]!;
    policy.set(tree.infosetKey[i]!, probs);
  }
  return policy;
}

/** Uniform over the legal actions of every infoset. */
export function uniformPolicy(env: AnyEnv, params: unknown = {}): TabularPolicy {
  const tree = gameTree(env, params);
  return tabularFromSlots(tree, uniformSlots(tree));
}

export function uniformSlots(tree: GameTree): Float64Array {
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const start = tree.slotStart[i]!;
    const end = tree.slotStart[i + 1]!;
    slots.fill(1 / (end - start), start, end);
  }
  return slots;
}

/** Tabulates `fn` at every infoset (queried at the first history reached in each). */
export function tabularFromFn(env: AnyEnv, params: unknown, fn: PolicyFn): TabularPolicy {
  const tree = gameTree(env, params);
  return tabularFromSlots(tree, slotsFromPolicy(tree, fn));
}

/** The functional form of a tabular policy; throws `missing-infoset` off the table. */
export function tabularPolicyFn(env: AnyEnv, policy: TabularPolicy): PolicyFn {
  return (state, seat) => {
    const key = infosetKey(env, state, seat);
    const probs = policy.get(key);
    if (!probs) throw missingInfoset(env.key, key);
    return probs;
  };
}

export const isTabularPolicy = (policy: PolicyLike): policy is TabularPolicy => policy instanceof Map;

/**
 * Tree-aligned probabilities (one per slot) of a policy, or of one policy per seat. Checks
 * that every infoset is covered, that probabilities are finite and non-negative, put no mass
 * on illegal actions and sum to 1 (within 1e-6; they are then renormalised exactly).
 */
export function slotsFromPolicy(tree: GameTree, policy: PolicyLike | readonly PolicyLike[]): Float64Array {
  const slots = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const seat = tree.infosetSeat[i]!;
    const forSeat = Array.isArray(policy) ? (policy as readonly PolicyLike[])[seat] : (policy as PolicyLike);
    if (!forSeat) throw new PolicyError('bad-policy', `no policy given for seat ${seat}`, 'give one policy per seat, or one for all seats');
    const probs = isTabularPolicy(forSeat) ? forSeat.get(tree.infosetKey[i]!) : forSeat(tree.infosetState[i], seat);
    if (!probs) throw missingInfoset(tree.envKey, tree.infosetKey[i]!);
    fillSlots(tree, i, probs, slots);
  }
  return slots;
}

function fillSlots(tree: GameTree, infoset: number, probs: ArrayLike<number>, slots: Float64Array): void {
  const key = tree.infosetKey[infoset]!;
  const start = tree.slotStart[infoset]!;
  const end = tree.slotStart[infoset + 1]!;
  let legalSum = 0;
  let total = 0;
  for (let a = 0; a < probs.length; a++) {
    const p = probs[a]!;
    if (!(p >= 0 && Number.isFinite(p))) throw badPolicy(key, `probability ${p} for action ${a}`);
    total += p;
  }
  for (let s = start; s < end; s++) {
    slots[s] = probs[tree.slotAction[s]!] ?? 0;
    legalSum += slots[s]!;
  }
  if (Math.abs(legalSum - 1) > SUM_TOLERANCE) throw badPolicy(key, `legal probabilities sum to ${legalSum}`);
  if (total - legalSum > SUM_TOLERANCE) throw badPolicy(key, `mass ${total - legalSum} on illegal actions`);
  for (let s = start; s < end; s++) slots[s] = slots[s]! / legalSum;
}

function badPolicy(key: string, what: string): PolicyError {
  return new PolicyError('bad-policy', `policy at infoset ${key}: ${what}`, 'give probabilities >= 0 over the legal actions, summing to 1');
}

function missingInfoset(envKey: string, key: string): PolicyError {
  return new PolicyError(
    'missing-infoset',
    `the policy has no entry for infoset ${key} of ${envKey}`,
    'build the table over every infoset (enumerateInfosets) with the same env and params',
  );
}
