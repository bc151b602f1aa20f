/**
 * A margin-aware rating for games whose returns are amounts won (chips in poker, rounds in a
 * multi-round game). Win/loss ratings (Elo, Bradley–Terry) count a hand won by one chip like
 * a hand won by ten, so in Kuhn or Leduc poker a player that wins many small pots and loses
 * few big ones (uniform random) can outrank the equilibrium player it loses chips to.
 *
 * Model: the expected margin of i over j in one game is s_i − s_j, where a pair's margin in a
 * game is (return_i − return_j) / 2 (= return_i in a two-player zero-sum game). The s are the
 * weighted least-squares fit over every game (an additive, "Gaussian Bradley–Terry" model),
 * centred so the members' mean is 0: s_i reads as expected chips per game against an average
 * member of the league, corrected for who each agent happened to meet. Intervals are the
 * percentile bootstrap over games (one multinomial over the grouped outcomes per round, as
 * in bootstrapBradleyTerry), with Chatbot Arena's rank upper bound.
 */
import { deriveSeed, Rng } from '../../envs/index.ts';
import { quantile, rankUpperBounds } from './bradley-terry.ts';
import { sampleMultinomial } from './multinomial.ts';
import { RatingError } from './rating-error.ts';

/** Games with identical seats and margins, grouped (`count` of them). */
export interface MarginGames {
  readonly seats: readonly string[];
  /** Per seat, what it won (its return, or the forfeit return). */
  readonly returns: readonly number[];
  readonly count: number;
}

export interface MarginOptions {
  readonly rounds?: number;
  readonly seed?: number;
  /** Central interval: 0.95 takes the 2.5% and 97.5% bootstrap quantiles. */
  readonly confidence?: number;
}

export interface MarginRating {
  readonly agentId: string;
  /** Expected margin per game against an average member (members' mean is 0). */
  readonly perGame: number;
  readonly ci: readonly [number, number];
  readonly rankUpper: number;
  /** The plain mean margin per game over the games it played (not opponent-corrected). */
  readonly meanMargin: number;
  readonly games: number;
}

/** Pairs that met (i < j): their games and summed margins from i's side. */
interface Edges {
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly games: Float64Array;
  readonly margins: Float64Array;
}

const CG_TOLERANCE = 1e-12;

export function fitMargins(groups: readonly MarginGames[], options: MarginOptions = {}): MarginRating[] {
  const rounds = options.rounds ?? 100;
  const confidence = options.confidence ?? 0.95;
  if (!(Number.isInteger(rounds) && rounds >= 1) || !(confidence > 0 && confidence < 1)) {
    throw new RatingError(
      'bad-rating-settings',
      `margin rating: rounds ${rounds} must be a positive integer and confidence ${confidence} in (0, 1)`,
      'e.g. rounds 100, confidence 0.95',
    );
  }
  const ids = agentIdsOf(groups);
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const counts = Float64Array.from(groups, (g) => g.count);
  const pairs = plan(groups, index, n);
  const full = solve(sums(pairs, counts), n);
  const samples = Array.from({ length: n }, () => new Float64Array(rounds));
  const total = counts.reduce((s, c) => s + c, 0);
  const resampled = new Float64Array(groups.length);
  for (let r = 0; r < rounds; r++) {
    sampleMultinomial(new Rng(deriveSeed(options.seed ?? 0, r)), total, counts, resampled);
    const s = solve(sums(pairs, resampled), n);
    for (let i = 0; i < n; i++) samples[i]![r] = s[i]!;
  }
  const tail = (1 - confidence) / 2;
  const cis = samples.map((xs): [number, number] => {
    xs.sort();
    return [quantile(xs, tail), quantile(xs, 1 - tail)];
  });
  const ranks = rankUpperBounds(cis);
  const edges = sums(pairs, counts);
  const played = new Float64Array(n);
  const won = new Float64Array(n);
  edges.i.forEach((i, e) => {
    const j = edges.j[e]!;
    played[i]! += edges.games[e]!;
    played[j]! += edges.games[e]!;
    won[i]! += edges.margins[e]!;
    won[j]! -= edges.margins[e]!;
  });
  return ids
    .map((agentId, i) => ({
      agentId,
      perGame: full[i]!,
      ci: cis[i]!,
      rankUpper: ranks[i]!,
      meanMargin: played[i]! > 0 ? won[i]! / played[i]! : 0,
      games: gamesOf(groups, agentId),
    }))
    .sort((a, b) => b.perGame - a.perGame || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

/** Agents in order of first appearance (seats of one agent twice are self-play: skipped). */
function agentIdsOf(groups: readonly MarginGames[]): string[] {
  const seen = new Set<string>();
  for (const g of groups) {
    if (g.seats.length !== g.returns.length || !g.returns.every(Number.isFinite) || !(g.count >= 0)) {
      throw new RatingError(
        'bad-match',
        `margin rating: seats [${g.seats.join(', ')}] and returns [${g.returns.join(', ')}] do not pair up`,
        'one finite return per seat, count >= 0',
      );
    }
    for (const id of g.seats) seen.add(id);
  }
  return [...seen];
}

function gamesOf(groups: readonly MarginGames[], agentId: string): number {
  let games = 0;
  for (const g of groups) if (g.seats.includes(agentId)) games += g.count;
  return games;
}

/** Each group's pairs, resolved once: which edge (pair that met) they add to, and with what margin. */
interface Plan {
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly group: Int32Array;
  readonly edge: Int32Array;
  readonly margin: Float64Array;
}

function plan(groups: readonly MarginGames[], index: ReadonlyMap<string, number>, n: number): Plan {
  const edgeOf = new Map<number, number>(); // lo * n + hi -> edge
  const group: number[] = [];
  const edge: number[] = [];
  const margin: number[] = [];
  groups.forEach((g, k) => {
    for (let a = 0; a < g.seats.length; a++) {
      for (let b = a + 1; b < g.seats.length; b++) {
        const x = index.get(g.seats[a]!)!;
        const y = index.get(g.seats[b]!)!;
        if (x === y) continue;
        const key = Math.min(x, y) * n + Math.max(x, y);
        if (!edgeOf.has(key)) edgeOf.set(key, edgeOf.size);
        const m = (g.returns[a]! - g.returns[b]!) / 2;
        group.push(k);
        edge.push(edgeOf.get(key)!);
        margin.push(x < y ? m : -m);
      }
    }
  });
  const keys = [...edgeOf.keys()];
  return {
    i: Int32Array.from(keys, (key) => Math.floor(key / n)),
    j: Int32Array.from(keys, (key) => key % n),
    group: Int32Array.from(group),
    edge: Int32Array.from(edge),
    margin: Float64Array.from(margin),
  };
}

/** The pairs' games and margins with `counts` games per group. */
function sums(p: Plan, counts: ArrayLike<number>): Edges {
  const games = new Float64Array(p.i.length);
  const margins = new Float64Array(p.i.length);
  for (let c = 0; c < p.group.length; c++) {
    const count = counts[p.group[c]!]!;
    games[p.edge[c]!]! += count;
    margins[p.edge[c]!]! += count * p.margin[c]!;
  }
  return { i: p.i, j: p.j, games, margins };
}

/**
 * The normal equations L s = b of the least-squares fit: L is the graph Laplacian of game
 * counts, b each agent's summed margins. L is singular (adding a constant to every s changes
 * nothing) but b lies in its range, so conjugate gradients from 0 converge to the solution
 * of minimum norm, which has mean 0 on every connected part of the league.
 */
function solve(edges: Edges, n: number): Float64Array {
  const E = edges.i.length;
  const b = new Float64Array(n);
  for (let e = 0; e < E; e++) {
    b[edges.i[e]!]! += edges.margins[e]!;
    b[edges.j[e]!]! -= edges.margins[e]!;
  }
  const apply = (v: Float64Array, out: Float64Array) => {
    // out = L v, one pass over the pairs that met
    out.fill(0);
    for (let e = 0; e < E; e++) {
      const i = edges.i[e]!;
      const j = edges.j[e]!;
      const flow = edges.games[e]! * (v[i]! - v[j]!);
      out[i]! += flow;
      out[j]! -= flow;
    }
  };
  const s = new Float64Array(n);
  const r = b.slice();
  const p = r.slice();
  const q = new Float64Array(n);
  const dot = (x: Float64Array, y: Float64Array) => x.reduce((acc, xi, i) => acc + xi * y[i]!, 0);
  let rr = dot(r, r);
  const stop = CG_TOLERANCE * Math.max(1, rr);
  for (let iteration = 0; iteration < 4 * n + 10 && rr > stop; iteration++) {
    apply(p, q);
    const pq = dot(p, q);
    if (!(pq > 0)) break;
    const alpha = rr / pq;
    for (let i = 0; i < n; i++) {
      s[i]! += alpha * p[i]!;
      r[i]! -= alpha * q[i]!;
    }
    const next = dot(r, r);
    for (let i = 0; i < n; i++) p[i] = r[i]! + (next / rr) * p[i]!;
    rr = next;
  }
  const mean = s.reduce((acc, x) => acc + x, 0) / Math.max(n, 1);
  for (let i = 0; i < n; i++) s[i]! -= mean;
  return s;
}
