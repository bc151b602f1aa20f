/**
 * Aggregated pairwise results: for every unordered agent pair, how often the lower-indexed
 * agent won, drew and lost. This is all Bradley–Terry needs, and aggregation makes any fit
 * order-independent. Counts live in one typed array, three cells per pair; pair (i, j) with
 * i < j sits at j(j−1)/2 + i, so a new agent only appends pairs and nothing is re-indexed.
 */
import { RatingError } from './rating-error.ts';

/** One pair's counts; `a` and `b` are agent indices (a < b in `PairCounts.pairs()`). */
export interface PairCount {
  readonly a: number;
  readonly b: number;
  readonly winsA: number;
  readonly draws: number;
  readonly winsB: number;
}

/** Cell offsets inside a pair's three cells. */
export const WIN_LOW = 0;
export const DRAW = 1;
export const WIN_HIGH = 2;

export function pairIndex(a: number, b: number): number {
  return a < b ? (b * (b - 1)) / 2 + a : (a * (a - 1)) / 2 + b;
}

export class PairCounts {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private data = new Float64Array(3 * 64);
  private results = 0;
  /** Results an agent had against itself: skipped, they say nothing about strength. */
  selfPlay = 0;

  constructor(agentIds: readonly string[] = []) {
    for (const id of agentIds) {
      if (this.index.has(id)) throw new RatingError('bad-match', `agent "${id}" is listed twice`, 'list each agentId once');
      this.ensure(id);
    }
  }

  get agentIds(): readonly string[] {
    return this.ids;
  }

  /** Number of agents. */
  get size(): number {
    return this.ids.length;
  }

  /** Number of pairwise results counted (self-play excluded). */
  get total(): number {
    return this.results;
  }

  /** The live cells, 3 per pair in pair-index order (win of lower index, draw, win of higher). */
  get cells(): Float64Array {
    const n = this.ids.length;
    return this.data.subarray(0, (3 * n * (n - 1)) / 2);
  }

  indexOf(agentId: string): number | undefined {
    return this.index.get(agentId);
  }

  /** The agent's index, adding the agent (with no results) if it is new. */
  ensure(agentId: string): number {
    const known = this.index.get(agentId);
    if (known !== undefined) return known;
    const i = this.ids.length;
    this.ids.push(agentId);
    this.index.set(agentId, i);
    const needed = (3 * (i + 1) * i) / 2;
    if (needed > this.data.length) {
      const grown = new Float64Array(Math.max(needed, 2 * this.data.length));
      grown.set(this.data);
      this.data = grown;
    }
    return i;
  }

  /** Counts `count` results of A against B; `scoreA` is 1 (A won), 0.5 (draw) or 0 (B won). */
  add(agentIdA: string, agentIdB: string, scoreA: number, count = 1): void {
    this.addIndex(this.ensure(agentIdA), this.ensure(agentIdB), scoreA, count);
  }

  /** `add` by agent index (from `ensure`), the fast path for bulk ingestion. */
  addIndex(a: number, b: number, scoreA: number, count = 1): void {
    if (!(Number.isInteger(count) && count >= 0)) {
      throw new RatingError('bad-score', `result count ${count} is not a non-negative integer`, 'count whole results');
    }
    if (!(a >= 0 && a < this.ids.length && b >= 0 && b < this.ids.length)) {
      throw new RatingError('unknown-agent', `agent index ${a} or ${b} is out of range (${this.ids.length} agents)`, 'get indices from ensure()');
    }
    const cell = scoreA === 1 ? WIN_LOW : scoreA === 0.5 ? DRAW : scoreA === 0 ? WIN_HIGH : -1;
    if (cell < 0) throw new RatingError('bad-score', `pairwise score ${scoreA} is not 1, 0.5 or 0`, 'use 1 for a win, 0.5 for a draw, 0 for a loss');
    if (a === b) {
      this.selfPlay += count;
      return;
    }
    // Cells are oriented from the lower index: swap the outcome if A is the higher one.
    const oriented = a < b ? cell : WIN_HIGH - cell;
    this.data[3 * pairIndex(a, b) + oriented]! += count;
    this.results += count;
  }

  /** Adds a pair's counts (indices must exist). */
  addPair(pair: PairCount): void {
    this.addIndex(pair.a, pair.b, 1, pair.winsA);
    this.addIndex(pair.a, pair.b, 0.5, pair.draws);
    this.addIndex(pair.a, pair.b, 0, pair.winsB);
  }

  /** Pairs with at least one result, a < b, in pair-index order. */
  pairs(): PairCount[] {
    const out: PairCount[] = [];
    for (let b = 1; b < this.ids.length; b++) {
      for (let a = 0; a < b; a++) {
        const c = 3 * pairIndex(a, b);
        const [winsA, draws, winsB] = [this.data[c]!, this.data[c + 1]!, this.data[c + 2]!];
        if (winsA + draws + winsB > 0) out.push({ a, b, winsA, draws, winsB });
      }
    }
    return out;
  }

  /** Results per agent, by index. */
  games(): number[] {
    const out = new Array<number>(this.ids.length).fill(0);
    for (const p of this.pairs()) {
      const g = p.winsA + p.draws + p.winsB;
      out[p.a]! += g;
      out[p.b]! += g;
    }
    return out;
  }

  static fromPairs(agentIds: readonly string[], pairs: readonly PairCount[]): PairCounts {
    const counts = new PairCounts(agentIds);
    for (const pair of pairs) counts.addPair(pair);
    return counts;
  }
}
