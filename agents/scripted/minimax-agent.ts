/**
 * Alpha-beta minimax over the true state, for two-seat zero-sum sequential games with
 * perfect information (chance nodes, if any, are averaged: expectiminimax). Values are
 * from seat 0's side, (r0 - r1) / 2, so constant-sum games work too. Optional depth limit
 * (the horizon is scored by the current returns), a transposition table keyed by the
 * serialized state, uniform random choice among the optimal moves, and a discount per
 * ply so that it wins fast and loses slowly.
 */
import { z } from 'zod';
import type { ActionId, AnyEnv } from '../../envs/index.ts';
import type { DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentError } from '../errors.ts';
import { requireTwoPlayerZeroSum } from './env-requirements.ts';
import { StateSearchAgent } from './state-search-agent.ts';

export const MinimaxOptionsSchema = z
  .object({
    depth: z.number().int().min(1).max(1000).optional().describe('plies to search (default: to the end of the game)'),
    quick: z.boolean().default(true).describe('prefer quick wins and slow losses (values discounted by 0.999 per ply)'),
    tt: z.boolean().default(true).describe('transposition table keyed by the serialized state'),
    ttSize: z.number().int().min(1).max(100_000_000).default(1_000_000).describe('table entries kept before it is cleared'),
  })
  .strict();
export type MinimaxOptions = z.infer<typeof MinimaxOptionsSchema>;

const QUICK_DISCOUNT = 0.999;

/** Transposition entry: the value is exact, or a lower/upper bound from a cut-off. */
interface TableEntry {
  readonly value: number;
  readonly depth: number;
  readonly bound: 'exact' | 'lower' | 'upper';
}

export class MinimaxAgent extends StateSearchAgent {
  readonly options: MinimaxOptions;
  private readonly env: AnyEnv;
  private readonly discount: number;
  private readonly table = new Map<string, TableEntry>();

  constructor(env: AnyEnv, options: Partial<MinimaxOptions> = {}, name = 'minimax', params: unknown = env.parseParams({})) {
    super(name);
    requireTwoPlayerZeroSum('minimax', env, params);
    this.env = env;
    this.options = MinimaxOptionsSchema.parse(options);
    this.discount = this.options.quick ? QUICK_DISCOUNT : 1;
  }

  protected override onReset(): void {
    this.table.clear();
  }

  /** Root moves in random order; the first that reaches the best value wins, so ties are uniform. */
  protected search(request: DecisionRequest, state: unknown): ActionId {
    const { env, discount } = this;
    const depth = this.options.depth ?? Infinity;
    const maximizing = request.seat === 0;
    const moves = this.rng.shuffle(request.observation.legal);
    let best = moves[0]!;
    let bestValue = maximizing ? -Infinity : Infinity;
    for (const action of moves) {
      const next = env.apply(state, request.seat, action);
      const alpha = maximizing ? bestValue / discount : -Infinity;
      const beta = maximizing ? Infinity : bestValue / discount;
      const value = discount * this.value(next, depth - 1, alpha, beta);
      if (maximizing ? value > bestValue : value < bestValue) {
        bestValue = value;
        best = action;
      }
    }
    return best;
  }

  /** Fail-soft alpha-beta: seat 0's value of `state`, exact when it lies inside (alpha, beta). */
  private value(state: unknown, depth: number, alpha: number, beta: number): number {
    const { env } = this;
    const turn = env.turn(state);
    if (turn.kind === 'terminal' || depth <= 0) return this.score(state);
    if (turn.kind === 'chance') return this.expectation(state, depth);
    if (turn.kind !== 'decision') {
      throw new AgentError('agent-unsupported-env', `${this.name} reached a ${turn.kind} node in ${env.key}`, 'minimax plays sequential games only');
    }
    const key = this.options.tt ? JSON.stringify(env.serialize(state)) : undefined;
    const entry = key === undefined ? undefined : this.table.get(key);
    if (entry && entry.depth >= depth) {
      if (entry.bound === 'exact') return entry.value;
      if (entry.bound === 'lower') alpha = Math.max(alpha, entry.value);
      else beta = Math.min(beta, entry.value);
      if (alpha >= beta) return entry.value;
    }
    const alpha0 = alpha;
    const beta0 = beta;
    const maximizing = turn.seat === 0;
    const d = this.discount;
    let best = maximizing ? -Infinity : Infinity;
    for (const action of env.legalActions(state, turn.seat)) {
      const value = d * this.value(env.apply(state, turn.seat, action), depth - 1, alpha / d, beta / d);
      if (maximizing) {
        if (value > best) best = value;
        if (best > alpha) alpha = best;
      } else {
        if (value < best) best = value;
        if (best < beta) beta = best;
      }
      if (alpha >= beta) break;
    }
    if (key !== undefined) this.store(key, best, depth, best <= alpha0 ? 'upper' : best >= beta0 ? 'lower' : 'exact');
    return best;
  }

  /** Chance nodes are averaged with a full window (no pruning across them). */
  private expectation(state: unknown, depth: number): number {
    let total = 0;
    for (const { action, probability } of this.env.chanceOutcomes(state)) {
      total += probability * this.value(this.env.apply(state, 'chance', action), depth, -Infinity, Infinity);
    }
    return total;
  }

  /** Seat 0's share of the difference: the payoff at a terminal state, the running score at the horizon. */
  private score(state: unknown): number {
    const returns = this.env.returns(state);
    return ((returns[0] ?? 0) - (returns[1] ?? 0)) / 2;
  }

  private store(key: string, value: number, depth: number, bound: TableEntry['bound']): void {
    if (this.table.size >= this.options.ttSize) this.table.clear(); // crude, but bounds memory
    this.table.set(key, { value, depth, bound });
  }
}

export const minimaxAgentKind = defineAgentKind({
  kind: 'minimax',
  description: 'alpha-beta minimax with a transposition table (two-seat zero-sum perfect-information games)',
  optionsSchema: MinimaxOptionsSchema,
  create: (options, { env, params, name }) => new MinimaxAgent(env, options, name, params),
});
