/**
 * Maximum likelihood for Bradley–Terry on aggregated counts, by damped Newton on the natural
 * log strengths θ (P(i beats j) = σ(θ_i − θ_j)). Draws are half a win to each side and every
 * ordered pair gets `smoothing` pseudo-wins (OpenSpiel `elo.cc`), which joins all agents into
 * one comparison graph and keeps undefeated agents finite.
 *
 * The log-likelihood is concave; its Hessian is minus a weighted graph Laplacian, singular
 * along the all-ones direction (ratings are only defined up to a shift). Adding c·11ᵀ makes
 * it positive definite without changing the step, because the gradient sums to zero. Each
 * iteration is O(n³) (Cholesky), so this suits leagues of up to a few hundred agents; from a
 * warm start (bootstrap rounds) it converges in a handful of iterations.
 */
import { RatingError } from './rating-error.ts';

export interface SolverOptions {
  readonly smoothing: number;
  /** Stop when the largest change of any θ in one iteration is below this. */
  readonly tolerance: number;
  readonly maxIterations: number;
}

/**
 * Solves in place from the start point in `theta` (length n, e.g. zeros or a previous
 * solution) and returns the number of iterations. `cells` holds 3 counts per pair, pair
 * (i < j) at j(j−1)/2 + i: wins of i, draws, wins of j. The solution is centred (mean θ 0).
 */
export function solveBradleyTerry(n: number, cells: ArrayLike<number>, theta: Float64Array, options: SolverOptions): number {
  if (n < 2) {
    theta.fill(0);
    return 0;
  }
  const w = winMatrix(n, cells, options.smoothing);
  const grad = new Float64Array(n);
  const lap = new Float64Array(n * n);
  const candidate = new Float64Array(n);
  for (let iter = 1; iter <= options.maxIterations; iter++) {
    derivatives(n, w, theta, grad, lap);
    if (!choleskySolve(n, lap, grad)) break; // grad now holds the Newton step
    let full = 0;
    for (let i = 0; i < n; i++) full = Math.max(full, Math.abs(grad[i]!));
    const t = full < options.tolerance ? 1 : lineSearch(n, w, theta, grad, candidate);
    if (t === 0) break;
    for (let i = 0; i < n; i++) candidate[i] = theta[i]! + t * grad[i]!;
    center(candidate, theta);
    if (full < options.tolerance) return iter;
  }
  throw new RatingError(
    'no-convergence',
    `the Bradley–Terry fit did not converge (${options.maxIterations} iterations at most)`,
    'an agent that never lost (or never won) has no finite maximum-likelihood rating: use smoothing > 0',
  );
}

/** Halves the step until the likelihood does not drop; 0 if no step length works. */
function lineSearch(n: number, w: Float64Array, theta: Float64Array, step: Float64Array, candidate: Float64Array): number {
  const ll = logLikelihood(n, w, theta);
  for (let t = 1; t > 1e-10; t /= 2) {
    for (let i = 0; i < n; i++) candidate[i] = theta[i]! + t * step[i]!;
    // The slack absorbs rounding in a sum of up to millions of terms near the optimum.
    if (logLikelihood(n, w, candidate) >= ll - 1e-12 * Math.abs(ll)) return t;
  }
  return 0;
}

/** w[i·n + j] = smoothing + wins of i over j + half their draws. */
function winMatrix(n: number, cells: ArrayLike<number>, smoothing: number): Float64Array {
  const w = new Float64Array(n * n).fill(smoothing);
  for (let j = 1; j < n; j++) {
    for (let i = 0; i < j; i++) {
      const c = 3 * ((j * (j - 1)) / 2 + i);
      const half = cells[c + 1]! / 2;
      w[i * n + j]! += cells[c]! + half;
      w[j * n + i]! += cells[c + 2]! + half;
    }
  }
  for (let i = 0; i < n; i++) w[i * n + i] = 0;
  return w;
}

/** Gradient of the log-likelihood and the Laplacian (−Hessian) plus c·11ᵀ. */
function derivatives(n: number, w: Float64Array, theta: Float64Array, grad: Float64Array, lap: Float64Array): void {
  grad.fill(0);
  lap.fill(0);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const wij = w[i * n + j]!;
      const wji = w[j * n + i]!;
      const games = wij + wji;
      const d = theta[i]! - theta[j]!;
      const p = 1 / (1 + Math.exp(-d));
      const q = 1 / (1 + Math.exp(d));
      grad[i]! += wij - games * p;
      grad[j]! += wji - games * q;
      const h = games * p * q;
      lap[i * n + j] = -h;
      lap[j * n + i] = -h;
      lap[i * n + i]! += h;
      lap[j * n + j]! += h;
      trace += 2 * h;
    }
  }
  const c = trace / (n * n) || 1;
  for (let k = 0; k < n * n; k++) lap[k]! += c;
}

function logLikelihood(n: number, w: Float64Array, theta: ArrayLike<number>): number {
  let ll = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = theta[i]! - theta[j]!;
      ll += w[i * n + j]! * logSigmoid(d) + w[j * n + i]! * logSigmoid(-d);
    }
  }
  return ll;
}

function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** Solves A x = b for symmetric positive definite A (overwritten), x into b. False if not SPD. */
function choleskySolve(n: number, a: Float64Array, b: Float64Array): boolean {
  for (let j = 0; j < n; j++) {
    let diag = a[j * n + j]!;
    const scale = diag;
    for (let k = 0; k < j; k++) diag -= a[j * n + k]! ** 2;
    if (!(diag > 1e-12 * scale)) return false; // numerically singular: a disconnected comparison graph
    const l = Math.sqrt(diag);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * n + k]! * b[k]!;
    b[i] = s / a[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * b[k]!;
    b[i] = s / a[i * n + i]!;
  }
  return true;
}

/** Writes `from` minus its mean into `to`. */
function center(from: Float64Array, to: Float64Array): void {
  let mean = 0;
  for (let i = 0; i < from.length; i++) mean += from[i]!;
  mean /= from.length;
  for (let i = 0; i < from.length; i++) to[i] = from[i]! - mean;
}
