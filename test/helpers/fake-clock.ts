/**
 * A manual clock for arena tests: time moves only when the test calls `advance`, and due
 * callbacks run in deadline order (ties in scheduling order), including ones they schedule.
 */
import type { Cancel, Clock } from '../../arena/match/clocks.ts';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
  isCancelled: boolean;
}

export class FakeClock implements Clock {
  private time: number;
  private order = 0;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, callback: () => void): Cancel {
    const timer: Timer = { at: this.time + Math.max(0, delayMs), order: this.order++, callback, isCancelled: false };
    this.timers.push(timer);
    return () => {
      timer.isCancelled = true;
    };
  }

  /** Timers scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.isCancelled).length;
  }

  /** Moves time forward by `ms`, running every callback that falls due on the way. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.isCancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }
}
