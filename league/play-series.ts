/**
 * A series of matches between a fixed list of agents (`ludus play`): seeds derived per game,
 * optional seat rotation, and win/draw/loss statistics per agent and seat.
 */
import type { Agent } from '../agents/agent.ts';
import { addNote, emptyNoteTotals, notesOfMoves, type NoteTotals } from '../agents/move-note.ts';
import { deriveSeed } from '../envs/index.ts';
import type { AnyEnv } from '../envs/index.ts';
import { playMatch, type MatchResult } from './play-match.ts';

export interface SeriesOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly games: number;
  readonly seed: number;
  /** Fresh agents for one game, in the order given by the user (not seat order). */
  readonly makeAgents: (game: number) => Agent[];
  /** Rotate seats every game, so agent i sits at seat (i + game) mod n. */
  readonly rotate?: boolean;
  readonly onGame?: (game: number, result: MatchResult, seats: readonly number[]) => void;
}

/** Outcome counts for one agent at one seat. */
export interface SeatStats {
  games: number;
  wins: number;
  draws: number;
  losses: number;
  returnSum: number;
  faults: number;
}

export interface SeriesStats {
  readonly games: number;
  /** stats[agentIndex][seat] */
  readonly stats: SeatStats[][];
  readonly steps: number;
  readonly lengthSum: number;
  readonly seconds: number;
  /** Totals of move notes (language-model tokens, latency) by agent index; null for agents that noted nothing. */
  readonly usage: (NoteTotals | null)[];
}

/** Win: strictly the best return; draw: tied for the best; loss: below the best. */
export function outcomeOf(returns: readonly number[], seat: number): 'win' | 'draw' | 'loss' {
  const mine = returns[seat] ?? 0;
  let best = -Infinity;
  let tied = 0;
  for (const r of returns) {
    if (r > best) {
      best = r;
      tied = 1;
    } else if (r === best) tied++;
  }
  if (mine < best) return 'loss';
  return tied > 1 ? 'draw' : 'win';
}

const emptyStats = (): SeatStats => ({ games: 0, wins: 0, draws: 0, losses: 0, returnSum: 0, faults: 0 });

export async function playSeries(options: SeriesOptions): Promise<SeriesStats> {
  const started = performance.now();
  const first = options.makeAgents(0);
  const n = first.length;
  const stats = Array.from({ length: n }, () => Array.from({ length: n }, emptyStats));
  const usage: (NoteTotals | null)[] = new Array(n).fill(null);
  let steps = 0;
  let lengthSum = 0;
  let lastYield = started;
  for (let game = 0; game < options.games; game++) {
    if (performance.now() - lastYield > 50) {
      // Scripted matches never leave the microtask queue; let timers (progress, signals) run.
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    const byAgent = game === 0 ? first : options.makeAgents(game);
    const seatOf = byAgent.map((_, i) => (options.rotate ? (i + game) % n : i));
    const bySeat = new Array<Agent>(n);
    seatOf.forEach((seat, i) => {
      bySeat[seat] = byAgent[i]!;
    });
    const result = await playMatch({ env: options.env, params: options.params, seed: deriveSeed(options.seed, game), agents: bySeat });
    steps += result.record.history.length;
    lengthSum += result.length;
    seatOf.forEach((seat, i) => {
      const s = stats[i]![seat]!;
      s.games++;
      s.returnSum += result.returns[seat] ?? 0;
      if (result.fault?.seat === seat) s.faults++;
      const outcome = result.fault ? (result.fault.seat === seat ? 'loss' : 'win') : outcomeOf(result.returns, seat);
      if (outcome === 'win') s.wins++;
      else if (outcome === 'draw') s.draws++;
      else s.losses++;
    });
    for (const { seat, note } of notesOfMoves(result.record.history, result.notes)) {
      const agent = seatOf.indexOf(seat);
      addNote((usage[agent] ??= emptyNoteTotals()), note);
    }
    options.onGame?.(game, result, seatOf);
  }
  return { games: options.games, stats, steps, lengthSum, seconds: (performance.now() - started) / 1000, usage };
}
