/**
 * Tabular counterfactual regret minimisation over the packed game tree (game-tree.ts), with
 * the semantics of OpenSpiel's `CFRSolver` / `CFRPlusSolver`:
 * - alternating updates: each iteration updates seat 0, then seat 1 (…), every update using
 *   the current strategies as left by the previous seat's update;
 * - 'cfr': regret matching, uniform averaging of the current strategy weighted by the
 *   updating seat's own reach;
 * - 'cfr+': regret matching+ (cumulative regrets clipped at 0 after every update) and linear
 *   averaging, iteration t weighted by max(t − delay, 0) (Tammelin 2014; OpenSpiel uses
 *   delay 0, and so do the reference curves in league.md §4.3).
 * Each seat update is two sweeps over the preorder node arrays: reach probabilities forward,
 * counterfactual values backward. Deterministic: no randomness anywhere.
 */
import { z } from 'zod';
import type { AnyEnv } from '../../envs/index.ts';
import { formatZodError } from '../../envs/index.ts';
import { gameTree, NODE_CHANCE, NODE_TERMINAL, type GameTree, type GameTreeOptions } from '../policy/game-tree.ts';
import { PolicyError } from '../policy/policy-error.ts';
import { tabularFromSlots, uniformSlots, type TabularPolicy } from '../policy/tabular-policy.ts';

export const CfrVariantSchema = z.enum(['cfr+', 'cfr']);
export type CfrVariant = z.infer<typeof CfrVariantSchema>;

export const CfrOptionsSchema = z.object({
  iterations: z.number().int().min(0).max(10_000_000).default(1000),
  variant: CfrVariantSchema.default('cfr+'),
  /** CFR+ only: iterations 1..delay get averaging weight 0. */
  averagingDelay: z.number().int().min(0).default(0),
});
export type CfrOptions = z.infer<typeof CfrOptionsSchema>;

export interface CfrSolution {
  readonly averagePolicy: TabularPolicy;
  readonly iterations: number;
}

export class CfrSolver {
  readonly tree: GameTree;
  readonly variant: CfrVariant;
  readonly averagingDelay: number;
  private done = 0;
  private readonly regrets: Float64Array;
  private readonly cumulative: Float64Array;
  private readonly current: Float64Array;
  private readonly reachOwn: Float64Array;
  private readonly reachOthers: Float64Array;
  private readonly values: Float64Array;

  constructor(env: AnyEnv, params: unknown = {}, options: { variant?: CfrVariant; averagingDelay?: number } = {}, treeOptions: GameTreeOptions = {}) {
    const parsed = parseOptions({ variant: options.variant, averagingDelay: options.averagingDelay, iterations: 0 });
    this.tree = gameTree(env, params, treeOptions);
    this.variant = parsed.variant;
    this.averagingDelay = parsed.averagingDelay;
    const { numSlots, numNodes } = this.tree;
    this.regrets = new Float64Array(numSlots);
    this.cumulative = new Float64Array(numSlots);
    this.current = uniformSlots(this.tree);
    this.reachOwn = new Float64Array(numNodes);
    this.reachOthers = new Float64Array(numNodes);
    this.values = new Float64Array(numNodes);
  }

  /** Iterations completed so far. */
  get iterations(): number {
    return this.done;
  }

  run(iterations: number): this {
    for (let i = 0; i < iterations; i++) {
      this.done++;
      const weight = this.variant === 'cfr+' ? Math.max(this.done - this.averagingDelay, 0) : 1;
      for (let seat = 0; seat < this.tree.numPlayers; seat++) {
        this.pushReach(seat);
        this.pullValues(seat, weight);
        this.matchRegrets(seat);
      }
    }
    return this;
  }

  /** Average strategy, one probability per slot (uniform where it was never reached). */
  averageSlots(): Float64Array {
    return normalisePerInfoset(this.tree, this.cumulative);
  }

  averagePolicy(): TabularPolicy {
    return tabularFromSlots(this.tree, this.averageSlots());
  }

  /** The last iterate (what regret matching would play next). */
  currentPolicy(): TabularPolicy {
    return tabularFromSlots(this.tree, this.current);
  }

  /** Forward sweep: reach of `seat` alone, and of chance and every other seat. */
  private pushReach(seat: number): void {
    const { kind, infoset, infosetSeat, slotStart, edgeStart, edgeChild, edgeProb, numNodes } = this.tree;
    const { reachOwn, reachOthers, current } = this;
    reachOwn[0] = 1;
    reachOthers[0] = 1;
    for (let n = 0; n < numNodes; n++) {
      const k = kind[n]!;
      if (k === NODE_TERMINAL) continue;
      const own = reachOwn[n]!;
      const others = reachOthers[n]!;
      const start = edgeStart[n]!;
      const end = edgeStart[n + 1]!;
      if (k === NODE_CHANCE) {
        for (let e = start; e < end; e++) {
          reachOwn[edgeChild[e]!] = own;
          reachOthers[edgeChild[e]!] = others * edgeProb[e]!;
        }
        continue;
      }
      const info = infoset[n]!;
      const slot = slotStart[info]! - start;
      const mine = infosetSeat[info] === seat;
      for (let e = start; e < end; e++) {
        const c = edgeChild[e]!;
        const p = current[slot + e]!;
        reachOwn[c] = mine ? own * p : own;
        reachOthers[c] = mine ? others : others * p;
      }
    }
  }

  /** Backward sweep: values for `seat`, accumulating its regrets and average strategy. */
  private pullValues(seat: number, weight: number): void {
    const { kind, infoset, infosetSeat, slotStart, edgeStart, edgeChild, edgeProb, returns, numNodes, numPlayers } = this.tree;
    const { values, current, regrets, cumulative, reachOwn, reachOthers } = this;
    for (let n = numNodes - 1; n >= 0; n--) {
      const k = kind[n]!;
      if (k === NODE_TERMINAL) {
        values[n] = returns[n * numPlayers + seat]!;
        continue;
      }
      const start = edgeStart[n]!;
      const end = edgeStart[n + 1]!;
      let v = 0;
      if (k === NODE_CHANCE) {
        for (let e = start; e < end; e++) v += edgeProb[e]! * values[edgeChild[e]!]!;
        values[n] = v;
        continue;
      }
      const info = infoset[n]!;
      const slot = slotStart[info]! - start;
      for (let e = start; e < end; e++) v += current[slot + e]! * values[edgeChild[e]!]!;
      values[n] = v;
      if (infosetSeat[info] !== seat) continue;
      const others = reachOthers[n]!;
      const own = weight * reachOwn[n]!;
      for (let e = start; e < end; e++) {
        regrets[slot + e] = regrets[slot + e]! + others * (values[edgeChild[e]!]! - v);
        cumulative[slot + e] = cumulative[slot + e]! + own * current[slot + e]!;
      }
    }
  }

  /** Regret matching (+: clip first) at `seat`'s infosets: the next current strategy. */
  private matchRegrets(seat: number): void {
    const { numInfosets, infosetSeat, slotStart } = this.tree;
    const { regrets, current } = this;
    const plus = this.variant === 'cfr+';
    for (let i = 0; i < numInfosets; i++) {
      if (infosetSeat[i] !== seat) continue;
      const start = slotStart[i]!;
      const end = slotStart[i + 1]!;
      let positive = 0;
      for (let s = start; s < end; s++) {
        if (plus && regrets[s]! < 0) regrets[s] = 0;
        if (regrets[s]! > 0) positive += regrets[s]!;
      }
      for (let s = start; s < end; s++) current[s] = positive > 0 ? Math.max(regrets[s]!, 0) / positive : 1 / (end - start);
    }
  }
}

function normalisePerInfoset(tree: GameTree, weights: Float64Array): Float64Array {
  const out = new Float64Array(tree.numSlots);
  for (let i = 0; i < tree.numInfosets; i++) {
    const start = tree.slotStart[i]!;
    const end = tree.slotStart[i + 1]!;
    let total = 0;
    for (let s = start; s < end; s++) total += weights[s]!;
    for (let s = start; s < end; s++) out[s] = total > 0 ? weights[s]! / total : 1 / (end - start);
  }
  return out;
}

function parseOptions(options: unknown): CfrOptions {
  const parsed = CfrOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new PolicyError(
      'bad-solver-options',
      `bad CFR options: ${formatZodError(parsed.error)}`,
      'iterations is a non-negative integer, variant is "cfr+" or "cfr", averagingDelay >= 0',
    );
  }
  return parsed.data;
}

/** Runs CFR(+) for `iterations` and returns the average policy, the one that converges. */
export function solveCfr(env: AnyEnv, params: unknown, options: z.input<typeof CfrOptionsSchema> = {}, treeOptions: GameTreeOptions = {}): CfrSolution {
  const parsed = parseOptions(options);
  const solver = new CfrSolver(env, params, parsed, treeOptions).run(parsed.iterations);
  return { averagePolicy: solver.averagePolicy(), iterations: solver.iterations };
}
