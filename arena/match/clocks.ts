/**
 * Time for a match: an injectable `Clock` (the system clock in production, a fake one in
 * tests, so no test waits for real time) and `MatchClocks`, the per-move deadlines and the
 * optional total time bank of each seat.
 */
import type { Seat } from '../../envs/index.ts';

/** Cancels a scheduled callback; calling it twice, or after the callback ran, is harmless. */
export type Cancel = () => void;

export interface Clock {
  /** ms since the epoch. */
  now(): number;
  schedule(delayMs: number, callback: () => void): Cancel;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};

/**
 * Per-seat deadlines of the current step, with their timers. A seat's deadline is the move
 * time, cut short by what is left of its time bank; time spent thinking is charged to the
 * bank when it answers (or times out).
 */
export class MatchClocks {
  private readonly clock: Clock;
  private readonly moveTimeMs: number;
  private readonly banks: (number | null)[];
  private readonly deadlines: (number | null)[];
  private readonly timers = new Map<Seat, Cancel>();
  private turnStartedAt = 0;

  constructor(clock: Clock, numPlayers: number, moveTimeMs: number, totalTimeMs?: number) {
    this.clock = clock;
    this.moveTimeMs = moveTimeMs;
    this.banks = new Array<number | null>(numPlayers).fill(totalTimeMs ?? null);
    this.deadlines = new Array<number | null>(numPlayers).fill(null);
  }

  now(): number {
    return this.clock.now();
  }

  /** Starts a step now for these acting seats (timers are armed separately). */
  startTurn(seats: readonly Seat[]): void {
    this.clear();
    const now = this.clock.now();
    this.turnStartedAt = now;
    for (const seat of seats) {
      const bank = this.banks[seat] ?? null;
      this.deadlines[seat] = now + (bank === null ? this.moveTimeMs : Math.min(this.moveTimeMs, Math.max(0, bank)));
    }
  }

  deadline(seat: Seat): number | null {
    return this.deadlines[seat] ?? null;
  }

  /** Calls `onExpire` at the seat's deadline unless it answers first. */
  arm(seat: Seat, onExpire: () => void): void {
    const deadline = this.deadlines[seat];
    if (deadline === null || deadline === undefined) return;
    this.timers.get(seat)?.();
    this.timers.set(seat, this.clock.schedule(deadline - this.clock.now(), onExpire));
  }

  /** The seat answered (or timed out) now: its time is charged, its deadline and timer cleared. */
  stop(seat: Seat): void {
    const bank = this.banks[seat];
    if (bank !== null && bank !== undefined && this.deadlines[seat] !== null) {
      this.banks[seat] = Math.max(0, bank - (this.clock.now() - this.turnStartedAt));
    }
    this.deadlines[seat] = null;
    this.timers.get(seat)?.();
    this.timers.delete(seat);
  }

  /** Clears every deadline and timer (the step was committed or the match ended). */
  clear(): void {
    this.deadlines.fill(null);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  allDeadlines(): (number | null)[] {
    return this.deadlines.slice();
  }

  timeBanks(): (number | null)[] {
    return this.banks.slice();
  }
}
