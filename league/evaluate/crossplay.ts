/**
 * Cross-play of a cooperative two-seat population (Overcooked partner populations, FCP/ZSC
 * evaluation): for every ordered pair (row member in seat 0, column member in seat 1) the
 * mean team return of their finished matches with its count and standard error, and for
 * every member its mean with itself (self-play) and with held-out partners (everyone but
 * itself, either seat), the zero-shot coordination number papers report. Read from stored
 * matches; nothing is rated (cooperative matches carry no Elo).
 */
import type { MatchSummary } from '../storage/league-store.ts';
import { EvaluateError } from './evaluate-error.ts';

export interface CrossplayStat {
  readonly games: number;
  /** Mean team return (seat 0's return; every seat shares it). null without games. */
  readonly mean: number | null;
  /** Standard error of the mean (sample sd / √n); null below two games. */
  readonly stderr: number | null;
}

export interface CrossplayMember {
  readonly agentId: string;
  readonly selfPlay: CrossplayStat;
  readonly heldOut: CrossplayStat;
}

export interface Crossplay {
  readonly agentIds: readonly string[];
  /** cells[i][j]: agentIds[i] in seat 0 with agentIds[j] in seat 1. */
  readonly cells: readonly (readonly CrossplayStat[])[];
  readonly members: readonly CrossplayMember[];
  /** Matches left out: aborted or faulted. */
  readonly skipped: number;
}

class Acc {
  n = 0;
  sum = 0;
  sumSq = 0;
  add(x: number): void {
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
  }
  stat(): CrossplayStat {
    if (this.n === 0) return { games: 0, mean: null, stderr: null };
    const mean = this.sum / this.n;
    if (this.n < 2) return { games: 1, mean, stderr: null };
    const variance = Math.max(0, (this.sumSq - this.n * mean * mean) / (this.n - 1));
    return { games: this.n, mean, stderr: Math.sqrt(variance / this.n) };
  }
}

/** A stored match, or an evaluation game's result (no index). */
export type CrossplayInput = Pick<MatchSummary, 'seats' | 'returns' | 'status'> & { readonly index?: number };

/** `members`: the population in display order; agents in matches but not listed are appended. */
export function crossplayMatrix(matches: readonly CrossplayInput[], members: readonly string[] = []): Crossplay {
  const ids = [...members];
  const index = new Map(ids.map((id, i) => [id, i]));
  const indexOf = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      ids.push(id);
      index.set(id, i);
    }
    return i;
  };
  const cells = new Map<string, Acc>();
  const self = new Map<string, Acc>();
  const heldOut = new Map<string, Acc>();
  const acc = (map: Map<string, Acc>, key: string): Acc => {
    let a = map.get(key);
    if (!a) map.set(key, (a = new Acc()));
    return a;
  };
  let skipped = 0;
  for (const [n, m] of matches.entries()) {
    if (m.seats.length !== 2) {
      throw new EvaluateError(
        'bad-results',
        `cross-play needs two-seat matches; match ${m.index ?? n} has ${m.seats.length} seats`,
        'use a two-player cooperative league',
      );
    }
    if (m.status !== 'finished') {
      skipped++;
      continue;
    }
    const [a, b] = m.seats as [string, string];
    const value = m.returns[0]!;
    acc(cells, `${indexOf(a)},${indexOf(b)}`).add(value);
    if (a === b) acc(self, a).add(value);
    else {
      acc(heldOut, a).add(value);
      acc(heldOut, b).add(value);
    }
  }
  const empty = new Acc();
  return {
    agentIds: ids,
    cells: ids.map((_, i) => ids.map((_, j) => (cells.get(`${i},${j}`) ?? empty).stat())),
    members: ids.map((agentId) => ({ agentId, selfPlay: (self.get(agentId) ?? empty).stat(), heldOut: (heldOut.get(agentId) ?? empty).stat() })),
    skipped,
  };
}
