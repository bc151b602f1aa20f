/**
 * Nash equilibria of two-player zero-sum matrix games, solved exactly as a linear program:
 * the meta-game over a league population (which mixture of members is unexploitable).
 *
 * With B = A − min(A) + 1 > 0, the column player's LP is max Σy s.t. B y ≤ 1, y ≥ 0; then
 * v(B) = 1/Σy, the column strategy is y·v(B), and the row strategy is the dual solution
 * read off the final tableau's objective row. A dense tableau simplex with Bland's rule
 * (smallest index enters and leaves) cannot cycle on the degenerate matrices leagues produce
 * (duplicate or dominated members), and is deterministic. The returned `gap` is the exact
 * duality gap of the rounded strategies on the original matrix: ≈ 1e-15 at an optimum.
 */
import { EvaluateError } from './evaluate-error.ts';
import { metaGame, seatGrid, type MatchResultLike, type MetaGameOptions, type PayoffMatrix, type SeatGridOptions } from './payoff-matrix.ts';

export interface MatrixGameSolution {
  /** Maximiser's (row) mixture. */
  readonly row: number[];
  /** Minimiser's (column) mixture. */
  readonly col: number[];
  /** Game value for the row player. */
  readonly value: number;
  /** max_i (A col)_i − min_j (rowᵀ A)_j ≥ 0: how far the pair is from an exact equilibrium. */
  readonly gap: number;
}

const PIVOT_EPSILON = 1e-11;

function checkMatrix(payoff: readonly (readonly number[])[]): void {
  const cols = payoff[0]?.length ?? 0;
  if (payoff.length === 0 || cols === 0) throw new EvaluateError('bad-matrix', 'the payoff matrix is empty', 'give at least one row and one column');
  payoff.forEach((row, i) => {
    if (row.length !== cols) throw new EvaluateError('bad-matrix', `row ${i} has ${row.length} entries, row 0 has ${cols}`, 'give a rectangular matrix');
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new EvaluateError('bad-matrix', `entry [${i}][${j}] is ${x}`, 'fill holes before solving (metaGame `missing`)');
    });
  });
}

/** Simplex on the tableau [B | I | 1] with objective row [−1 | 0 | 0]; returns the final tableau. */
function simplex(b: readonly (readonly number[])[]): { tableau: Float64Array[]; objective: Float64Array; basis: Int32Array } {
  const m = b.length;
  const n = b[0]!.length;
  const width = n + m + 1;
  const tableau = b.map((row, i) => {
    const t = new Float64Array(width);
    t.set(row);
    t[n + i] = 1;
    t[width - 1] = 1;
    return t;
  });
  const objective = new Float64Array(width);
  objective.fill(-1, 0, n);
  const basis = Int32Array.from({ length: m }, (_, i) => n + i);
  const maxPivots = 50 * (m + n) + 1000;
  for (let pivots = 0; ; pivots++) {
    let enter = -1;
    for (let j = 0; j < width - 1 && enter < 0; j++) if (objective[j]! < -PIVOT_EPSILON) enter = j;
    if (enter < 0) return { tableau, objective, basis };
    if (pivots >= maxPivots) throw new EvaluateError('no-convergence', `simplex did not finish in ${maxPivots} pivots`, 'report this matrix as a bug');
    const leave = ratioTest(tableau, basis, enter);
    pivot(tableau, objective, leave, enter);
    basis[leave] = enter;
  }
}

/** Minimum-ratio row; ties go to the smallest basic variable (Bland). B > 0 keeps it bounded. */
function ratioTest(tableau: readonly Float64Array[], basis: Int32Array, enter: number): number {
  const rhs = tableau[0]!.length - 1;
  let leave = -1;
  let best = Infinity;
  for (let i = 0; i < tableau.length; i++) {
    const a = tableau[i]![enter]!;
    if (a <= PIVOT_EPSILON) continue;
    const ratio = tableau[i]![rhs]! / a;
    if (ratio < best - PIVOT_EPSILON || (ratio <= best + PIVOT_EPSILON && basis[i]! < basis[leave]!)) {
      best = Math.min(best, ratio);
      leave = i;
    }
  }
  if (leave < 0) throw new EvaluateError('no-convergence', 'the matrix-game LP is unbounded', 'report this matrix as a bug');
  return leave;
}

function pivot(tableau: Float64Array[], objective: Float64Array, leave: number, enter: number): void {
  const row = tableau[leave]!;
  const scale = row[enter]!;
  for (let j = 0; j < row.length; j++) row[j] = row[j]! / scale;
  row[enter] = 1;
  const eliminate = (target: Float64Array) => {
    const factor = target[enter]!;
    if (factor === 0) return;
    for (let j = 0; j < row.length; j++) target[j] = target[j]! - factor * row[j]!;
    target[enter] = 0;
  };
  tableau.forEach((t, i) => {
    if (i !== leave) eliminate(t);
  });
  eliminate(objective);
}

/** Clamps rounding noise below 0 and renormalises. */
function normalise(weights: number[]): number[] {
  const clamped = weights.map((w) => Math.max(0, w));
  const total = clamped.reduce((a, b) => a + b, 0);
  return clamped.map((w) => w / total);
}

/** An exact equilibrium of the zero-sum game where the row player receives payoff[i][j]. */
export function solveMatrixGame(payoff: readonly (readonly number[])[]): MatrixGameSolution {
  checkMatrix(payoff);
  const m = payoff.length;
  const n = payoff[0]!.length;
  const shift = 1 - Math.min(...payoff.map((row) => Math.min(...row)));
  const { tableau, objective, basis } = simplex(payoff.map((row) => row.map((x) => x + shift)));
  const rhs = n + m;
  const y = new Array<number>(n).fill(0);
  basis.forEach((v, i) => {
    if (v < n) y[v] = tableau[i]![rhs]!;
  });
  const x = Array.from({ length: m }, (_, i) => objective[n + i]!);
  const row = normalise(x);
  const col = normalise(y);
  const rowFloor = Math.min(...Array.from({ length: n }, (_, j) => row.reduce((s, p, i) => s + p * payoff[i]![j]!, 0)));
  const colCeiling = Math.max(...payoff.map((r) => r.reduce((s, a, j) => s + a * col[j]!, 0)));
  return { row, col, value: 1 / objective[rhs]! - shift, gap: Math.max(0, colCeiling - rowFloor) };
}

export interface PopulationNash {
  readonly agentIds: readonly string[];
  /** Nash weight per agent, in agentIds order. */
  readonly weights: number[];
  /** Value of the meta-game for the row side (0 for an antisymmetric matrix). */
  readonly value: number;
  readonly gap: number;
}

/**
 * Nash mixture of a symmetric zero-sum meta-game: the row strategy of the matrix game,
 * which for an antisymmetric matrix (the 'score' measure) is a symmetric equilibrium.
 */
export function nashMixture(matrix: PayoffMatrix, options: MetaGameOptions = {}): PopulationNash {
  const solution = solveMatrixGame(metaGame(matrix, options));
  return { agentIds: matrix.agentIds, weights: solution.row, value: solution.value, gap: solution.gap };
}

export interface SeatedNash {
  readonly rowIds: readonly string[];
  readonly colIds: readonly string[];
  readonly rowWeights: number[];
  readonly colWeights: number[];
  /** Value for the row seat (its mean return under the equilibrium). */
  readonly value: number;
  readonly gap: number;
}

/**
 * Nash of an asymmetric two-seat zero-sum meta-game: the row seat's mean return when agent
 * i sits at `rowSeat` and agent j at `colSeat`. Every (i, j) needs at least one game.
 */
export function seatedNashMixture(results: readonly MatchResultLike[], options: Omit<SeatGridOptions, 'measure'> = {}): SeatedNash {
  const grid = seatGrid(results, { ...options, measure: 'row-return' });
  grid.games.forEach((row, i) =>
    row.forEach((games, j) => {
      if (games === 0) {
        throw new EvaluateError(
          'incomplete-matrix',
          `${grid.rowIds[i]} (seat ${grid.rowSeat}) never played ${grid.colIds[j]} (seat ${grid.colSeat})`,
          'play every seated pair at least once',
        );
      }
    }),
  );
  const solution = solveMatrixGame(grid.mean);
  return { rowIds: grid.rowIds, colIds: grid.colIds, rowWeights: solution.row, colWeights: solution.col, value: solution.value, gap: solution.gap };
}
