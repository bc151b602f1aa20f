/**
 * Offline ratings: the Bradley–Terry maximum-likelihood fit over all results (order-free,
 * unlike online Elo) on the Elo scale, rating = scale·log10(strength) + shift, and bootstrap
 * confidence intervals with Chatbot Arena's Rank (UB) (league.md §4.1, §5.5).
 *
 * Draws are half a win to each side; `smoothing` pseudo-wins per ordered pair (OpenSpiel
 * python default 0.01) keep undefeated agents finite at a cost of well under a rating point
 * once a pair has a few dozen games. The shift puts the mean rating at `anchor.mean`
 * (default 1000, the online Elo start), or pins one agent at `anchor.rating`.
 */
import { z } from 'zod';
import { deriveSeed, formatZodError, Rng } from '../../envs/index.ts';
import { solveBradleyTerry } from './bradley-terry-solver.ts';
import { sampleMultinomial } from './multinomial.ts';
import type { PairCounts } from './pair-counts.ts';
import { RatingError } from './rating-error.ts';

export { PairCounts, type PairCount } from './pair-counts.ts';

export const BradleyTerryAnchorSchema = z.union([
  z.object({ mean: z.number() }).strict(),
  z.object({ agentId: z.string().min(1), rating: z.number() }).strict(),
]);

export const BradleyTerrySettingsSchema = z
  .object({
    scale: z.number().positive().default(400),
    smoothing: z.number().min(0).default(0.01),
    anchor: BradleyTerryAnchorSchema.default({ mean: 1000 }),
    /** Convergence: largest change of a natural-log strength in one Newton iteration. */
    tolerance: z.number().positive().default(1e-6),
    maxIterations: z.number().int().positive().default(100),
  })
  .strict();

export const BootstrapSettingsSchema = BradleyTerrySettingsSchema.extend({
  rounds: z.number().int().min(1).default(100),
  seed: z.number().int().default(0),
  /** Central interval: 0.95 takes the 2.5% and 97.5% bootstrap quantiles. */
  confidence: z.number().gt(0).lt(1).default(0.95),
}).strict();

export type BradleyTerrySettings = z.infer<typeof BradleyTerrySettingsSchema>;
export type BradleyTerrySettingsInput = z.input<typeof BradleyTerrySettingsSchema>;
export type BootstrapSettings = z.infer<typeof BootstrapSettingsSchema>;
export type BootstrapSettingsInput = z.input<typeof BootstrapSettingsSchema>;

export interface BradleyTerryFit {
  /** Agents in `PairCounts` index order; `ratings` and `games` follow it. */
  readonly agentIds: readonly string[];
  readonly ratings: readonly number[];
  readonly games: readonly number[];
  readonly iterations: number;
}

export interface BootstrapRating {
  readonly agentId: string;
  /** The full-data maximum-likelihood rating (not the bootstrap median). */
  readonly rating: number;
  readonly ci: readonly [number, number];
  /** 1 + the number of agents whose CI lower bound exceeds this agent's upper bound. */
  readonly rankUpper: number;
  readonly games: number;
}

export function fitBradleyTerry(counts: PairCounts, settings: BradleyTerrySettingsInput = {}): BradleyTerryFit {
  const s = parseSettings(BradleyTerrySettingsSchema, settings);
  const anchorIndex = anchorIndexOf(counts, s);
  const theta = new Float64Array(counts.size);
  const iterations = solveBradleyTerry(counts.size, counts.cells, theta, s);
  return { agentIds: counts.agentIds.slice(), ratings: toRatings(theta, s, anchorIndex), games: counts.games(), iterations };
}

/**
 * Percentile bootstrap over results. Each round redraws `total` results from the observed
 * outcome cells (pair × {win, draw, loss}) with one multinomial, which is the same law as
 * resampling results with replacement but costs O(cells) instead of O(results); the refit
 * starts from the full-data solution. Round r uses its own stream `deriveSeed(seed, r)`.
 * Sorted by rating, best first (ties by agentId). With an agent anchor, that agent's
 * interval is a point and the others carry the whole uncertainty of the difference.
 */
export function bootstrapBradleyTerry(counts: PairCounts, options: BootstrapSettingsInput = {}): BootstrapRating[] {
  const s = parseSettings(BootstrapSettingsSchema, options);
  const n = counts.size;
  const anchorIndex = anchorIndexOf(counts, s);
  const full = new Float64Array(n);
  solveBradleyTerry(n, counts.cells, full, s);
  const ratings = toRatings(full, s, anchorIndex);
  const observed = counts.cells.slice();
  const resampled = new Float64Array(observed.length);
  const samples = Array.from({ length: n }, () => new Float64Array(s.rounds));
  const theta = new Float64Array(n);
  for (let r = 0; r < s.rounds; r++) {
    sampleMultinomial(new Rng(deriveSeed(s.seed, r)), counts.total, observed, resampled);
    theta.set(full);
    solveBradleyTerry(n, resampled, theta, s);
    toRatings(theta, s, anchorIndex).forEach((rating, i) => {
      samples[i]![r] = rating;
    });
  }
  const tail = (1 - s.confidence) / 2;
  const cis = samples.map((xs): [number, number] => {
    xs.sort();
    return [quantile(xs, tail), quantile(xs, 1 - tail)];
  });
  const ranks = rankUpperBounds(cis);
  const games = counts.games();
  const out = counts.agentIds.map((agentId, i) => ({ agentId, rating: ratings[i]!, ci: cis[i]!, rankUpper: ranks[i]!, games: games[i]! }));
  return out.sort((x, y) => y.rating - x.rating || (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
}

/** Chatbot Arena's Rank (UB): 1 + how many intervals lie entirely above each interval. */
export function rankUpperBounds(cis: readonly (readonly [number, number])[]): number[] {
  return cis.map(([, high]) => 1 + cis.filter(([low]) => low > high).length);
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function toRatings(theta: Float64Array, s: BradleyTerrySettings, anchorIndex: number | undefined): number[] {
  const perNat = s.scale / Math.LN10;
  const raw = Array.from(theta, (t) => perNat * t);
  let shift: number;
  if ('mean' in s.anchor) {
    shift = s.anchor.mean - (raw.length ? raw.reduce((a, b) => a + b, 0) / raw.length : 0);
  } else {
    shift = s.anchor.rating - raw[anchorIndex!]!;
  }
  return raw.map((r) => r + shift);
}

function anchorIndexOf(counts: PairCounts, s: BradleyTerrySettings): number | undefined {
  if ('mean' in s.anchor) return undefined;
  const index = counts.indexOf(s.anchor.agentId);
  if (index === undefined) {
    throw new RatingError('unknown-agent', `anchor agent "${s.anchor.agentId}" has no results`, `anchor one of: ${counts.agentIds.join(', ')}`);
  }
  return index;
}

function parseSettings<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new RatingError('bad-rating-settings', `Bradley–Terry settings: ${formatZodError(parsed.error)}`, 'see BradleyTerrySettingsSchema');
  }
  return parsed.data;
}
