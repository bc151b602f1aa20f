import type { MatchEndMessage } from '../../protocol/index.ts';
/** The running score of an agent process: matches, wins/draws/losses, decisions. */

/** How one seat's match went (not a rating outcome: league/ratings/outcome.ts). */
export type SeatOutcome = 'win' | 'draw' | 'loss' | 'aborted';

/** Win: a strictly higher return than every other seat; draw: tied for the highest; else loss. */
export function outcomeOf(end: Pick<MatchEndMessage, 'returns' | 'reason'>, seat: number): SeatOutcome {
  if (end.reason === 'aborted') return 'aborted';
  const mine = end.returns[seat] ?? 0;
  const best = Math.max(...end.returns.filter((_, s) => s !== seat));
  return mine > best ? 'win' : mine === best ? 'draw' : 'loss';
}

export interface TallySnapshot {
  /** Matches that ended (any reason). */
  readonly matches: number;
  readonly wins: number;
  readonly draws: number;
  readonly losses: number;
  readonly aborted: number;
  /** Assignments that could not be played (join refused, agent failed to start, seat lost). */
  readonly failed: number;
  /** Matches being played now. */
  readonly playing: number;
  readonly decisions: number;
  /** Decisions per second since the process started. */
  readonly decisionsPerSec: number;
  readonly elapsedMs: number;
}

export class MatchTally {
  private readonly startedAt: number;
  private readonly now: () => number;
  private counts = { matches: 0, wins: 0, draws: 0, losses: 0, aborted: 0, failed: 0, playing: 0, decisions: 0 };

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.startedAt = now();
  }

  started(): void {
    this.counts.playing++;
  }

  decided(): void {
    this.counts.decisions++;
  }

  ended(outcome: SeatOutcome): void {
    this.counts.playing--;
    this.counts.matches++;
    if (outcome === 'win') this.counts.wins++;
    else if (outcome === 'draw') this.counts.draws++;
    else if (outcome === 'loss') this.counts.losses++;
    else this.counts.aborted++;
  }

  failed(wasPlaying: boolean): void {
    if (wasPlaying) this.counts.playing--;
    this.counts.failed++;
  }

  snapshot(): TallySnapshot {
    const elapsedMs = this.now() - this.startedAt;
    return { ...this.counts, elapsedMs, decisionsPerSec: elapsedMs > 0 ? (this.counts.decisions * 1000) / elapsedMs : 0 };
  }
}
