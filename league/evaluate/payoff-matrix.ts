/**
 * Payoff matrices between league members, from match results (stored `MatchSummary` rows or
 * `playMatch` results with their seat assignment):
 * - `payoffMatrix`: per ordered pair (a, b), a's wins / draws / losses / games against b and
 *   a's mean return, both seatings pooled. Outcomes are pairwise comparisons of returns, and
 *   faults follow the league's result policy, exactly as ratings see them (ratings/outcome.ts).
 * - `seatGrid`: rows are the agents at one seat, columns the agents at another, cells the mean
 *   of a per-match value: the asymmetric meta-game (row seat's return), or the cross-play
 *   matrix of a cooperative env (team return, e.g. speaker i with listener j).
 * - `metaGame`: a complete numeric matrix from a payoff matrix, for the Nash mixture.
 */
import type { EnvDims, Seat } from '../../envs/index.ts';
import { ratedOutcome, type ResultPolicy } from '../ratings/outcome.ts';
import { hasTeams, teamMatch } from '../ratings/team-outcome.ts';
import { EvaluateError } from './evaluate-error.ts';

export interface MatchResultLike {
  /** agentIds in seat order. */
  readonly seats: readonly string[];
  readonly returns: readonly number[];
  readonly fault?: { readonly seat: Seat } | null;
  /** Stored matches: 'aborted' ones are skipped. */
  readonly status?: 'finished' | 'faulted' | 'aborted';
}

export interface PairRecord {
  games: number;
  wins: number;
  draws: number;
  losses: number;
  /** Sum and count of the row agent's returns over matches that ended without a fault. */
  returnSum: number;
  returnGames: number;
}

export interface PayoffMatrix {
  readonly agentIds: readonly string[];
  /**
   * cells[i][j]: agentIds[i]'s record against agentIds[j], from i's side. A match of an
   * agent against itself adds every seat's view to the diagonal cell.
   */
  readonly cells: readonly (readonly PairRecord[])[];
}

export interface PayoffMatrixOptions {
  /** Row/column order; results naming other agents are ignored. Default: every agent in the results, sorted. */
  readonly agentIds?: readonly string[];
  /** Faulted matches: the faulting seat loses ('forfeit', default) or the match is skipped. */
  readonly faults?: ResultPolicy;
  /** The env's dims: in team envs a cell counts members on opposing teams, scored by their teams' result. */
  readonly dims?: EnvDims;
}

/** (wins + draws / 2) / games, NaN without games. */
export const scoreOf = (cell: PairRecord): number => (cell.games > 0 ? (cell.wins + cell.draws / 2) / cell.games : NaN);
/** Mean return over unfaulted games, NaN without any. */
export const meanReturnOf = (cell: PairRecord): number => (cell.returnGames > 0 ? cell.returnSum / cell.returnGames : NaN);

const emptyRecord = (): PairRecord => ({ games: 0, wins: 0, draws: 0, losses: 0, returnSum: 0, returnGames: 0 });

function checkResult(result: MatchResultLike, index: number): void {
  if (result.seats.length !== result.returns.length || result.seats.length < 2) {
    throw new EvaluateError(
      'bad-results',
      `result ${index} has ${result.seats.length} seats and ${result.returns.length} returns`,
      'give one agentId and one return per seat, for 2 or more seats',
    );
  }
}

function indexOf(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, i) => [id, i]));
}

const agentsIn = (results: readonly MatchResultLike[], pick: (r: MatchResultLike) => readonly string[]): string[] => [...new Set(results.flatMap(pick))].sort();

export function payoffMatrix(results: readonly MatchResultLike[], options: PayoffMatrixOptions = {}): PayoffMatrix {
  const agentIds = options.agentIds ?? agentsIn(results, (r) => r.seats);
  const index = indexOf(agentIds);
  const cells = agentIds.map(() => agentIds.map(emptyRecord));
  results.forEach((result, n) => {
    checkResult(result, n);
    if (result.status === 'aborted') return;
    const fault = result.fault ?? undefined;
    const outcome = ratedOutcome({ returns: result.returns, fault }, options.faults ?? 'forfeit');
    if (outcome.kind !== 'rated') return;
    if (options.dims && hasTeams(options.dims)) {
      addTeamResult(cells, index, options.dims, result, outcome.ranks);
      return;
    }
    const seats = result.seats.map((id) => index.get(id));
    for (let i = 0; i < seats.length; i++) {
      for (let j = 0; j < seats.length; j++) {
        const a = seats[i];
        const b = seats[j];
        if (i === j || a === undefined || b === undefined) continue;
        const cell = cells[a]![b]!;
        const score = outcome.scores[i]![j]!;
        cell.games++;
        if (score === 1) cell.wins++;
        else if (score === 0) cell.losses++;
        else cell.draws++;
        if (fault) continue;
        cell.returnSum += result.returns[i]!;
        cell.returnGames++;
      }
    }
  });
  return { agentIds, cells };
}

/** One team-env match: each member against each member of the other teams, once per match. */
function addTeamResult(cells: PairRecord[][], index: ReadonlyMap<string, number>, dims: EnvDims, result: MatchResultLike, ranks: readonly number[]): void {
  const tm = teamMatch(dims, result.seats, ranks);
  if (!tm) return; // a member on both teams
  const teamReturn = tm.teams.map((team) => result.returns[result.seats.indexOf(team[0]!)]!);
  tm.teams.forEach((team, t) =>
    tm.teams.forEach((other, u) => {
      if (t === u) return;
      for (const a of team) {
        for (const b of other) {
          const ia = index.get(a);
          const ib = index.get(b);
          if (ia === undefined || ib === undefined) continue;
          const cell = cells[ia]![ib]!;
          const score = tm.scores[t]![u]!;
          cell.games++;
          if (score === 1) cell.wins++;
          else if (score === 0) cell.losses++;
          else cell.draws++;
          if (result.fault) continue;
          cell.returnSum += teamReturn[t]!;
          cell.returnGames++;
        }
      }
    }),
  );
}

export type MetaGameMeasure = 'score' | 'return';

export interface MetaGameOptions {
  /** 'score': win rate − 0.5 (draws half), antisymmetric; 'return': mean return. Default 'score'. */
  readonly measure?: MetaGameMeasure;
  /** Value for an off-diagonal pair without games; default: throw incomplete-matrix. */
  readonly missing?: number;
}

/**
 * The meta-game matrix: entry [i][j] is what agent i gets against agent j. A diagonal cell
 * without games is 0 (a symmetric zero-sum game against oneself is worth nothing).
 */
export function metaGame(matrix: PayoffMatrix, options: MetaGameOptions = {}): number[][] {
  const measure = options.measure ?? 'score';
  return matrix.cells.map((row, i) =>
    row.map((cell, j) => {
      const value = measure === 'score' ? scoreOf(cell) - 0.5 : meanReturnOf(cell);
      if (!Number.isNaN(value)) return value;
      if (i === j) return 0;
      if (options.missing !== undefined) return options.missing;
      throw new EvaluateError(
        'incomplete-matrix',
        `${matrix.agentIds[i]} has no ${measure === 'score' ? '' : 'unfaulted '}games against ${matrix.agentIds[j]}`,
        'play every pair at least once, or pass `missing` to fill holes',
      );
    }),
  );
}

export interface SeatGrid {
  readonly rowSeat: Seat;
  readonly colSeat: Seat;
  /** Agents seen at rowSeat / colSeat. */
  readonly rowIds: readonly string[];
  readonly colIds: readonly string[];
  readonly games: number[][];
  /** Mean value per cell; NaN without games. */
  readonly mean: number[][];
  /** Standard error of the mean; NaN with fewer than 2 games. */
  readonly stdError: number[][];
}

export interface SeatGridOptions {
  readonly rowSeat?: Seat;
  readonly colSeat?: Seat;
  /** 'row-return' (default): the row seat's return; 'team-return': the mean return over all seats. */
  readonly measure?: 'row-return' | 'team-return';
  /** Row / column order; other agents are ignored. Default: every agent seen at that seat, sorted. */
  readonly rowIds?: readonly string[];
  readonly colIds?: readonly string[];
}

/**
 * Rows: agent at `rowSeat` (default 0); columns: agent at `colSeat` (default 1). Faulted
 * and aborted matches are skipped: their returns are not a finished game's.
 */
export function seatGrid(results: readonly MatchResultLike[], options: SeatGridOptions = {}): SeatGrid {
  const rowSeat = options.rowSeat ?? 0;
  const colSeat = options.colSeat ?? 1;
  const valid = results.filter((r, n) => {
    checkResult(r, n);
    if (rowSeat >= r.seats.length || colSeat >= r.seats.length || rowSeat === colSeat) {
      throw new EvaluateError(
        'bad-results',
        `seats ${rowSeat} and ${colSeat} do not fit a ${r.seats.length}-seat match`,
        'pick two different seats of the match',
      );
    }
    return r.status !== 'aborted' && !r.fault;
  });
  const rowIds = options.rowIds ?? agentsIn(valid, (r) => [r.seats[rowSeat]!]);
  const colIds = options.colIds ?? agentsIn(valid, (r) => [r.seats[colSeat]!]);
  const rowIndex = indexOf(rowIds);
  const colIndex = indexOf(colIds);
  const zeros = () => rowIds.map(() => colIds.map(() => 0));
  const games = zeros();
  const sum = zeros();
  const sumSq = zeros();
  for (const r of valid) {
    const i = rowIndex.get(r.seats[rowSeat]!);
    const j = colIndex.get(r.seats[colSeat]!);
    if (i === undefined || j === undefined) continue;
    const value = options.measure === 'team-return' ? r.returns.reduce((a, b) => a + b, 0) / r.returns.length : r.returns[rowSeat]!;
    games[i]![j]!++;
    sum[i]![j]! += value;
    sumSq[i]![j]! += value * value;
  }
  const mean = games.map((row, i) => row.map((n, j) => (n > 0 ? sum[i]![j]! / n : NaN)));
  const stdError = games.map((row, i) =>
    row.map((n, j) => {
      if (n < 2) return NaN;
      const variance = Math.max(0, (sumSq[i]![j]! - n * mean[i]![j]! ** 2) / (n - 1));
      return Math.sqrt(variance / n);
    }),
  );
  return { rowSeat, colSeat, rowIds, colIds, games, mean, stdError };
}

/** Cross-play of a cooperative env: mean team return of (agent at rowSeat) with (agent at colSeat). */
export function crossPlayMatrix(results: readonly MatchResultLike[], options: Omit<SeatGridOptions, 'measure'> = {}): SeatGrid {
  return seatGrid(results, { ...options, measure: 'team-return' });
}
