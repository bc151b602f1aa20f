/**
 * Counters of real-time matches, shared by every TickEngine of a server (or of one match):
 * how many ticks started on time, how late they were, how long inputs waited for their tick,
 * and what a tick cost. Latencies go into fixed-size histograms (0.1 ms buckets up to 10 s), so
 * memory stays bounded however long a server runs.
 */

const BUCKET_MS = 0.1;
const BUCKETS = 100_000;

class Histogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  count = 0;

  clear(): void {
    this.counts.fill(0);
    this.count = 0;
  }

  add(ms: number): void {
    const bucket = Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)));
    this.counts[bucket]! += 1;
    this.count += 1;
  }

  /** The q-quantile (0..1) in ms, at bucket resolution; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return (i + 1) * BUCKET_MS;
    }
    return BUCKETS * BUCKET_MS;
  }
}

export interface TickStatsSnapshot {
  readonly ticks: number;
  readonly onTime: number;
  readonly onTimeRatio: number;
  readonly lateP99Ms: number;
  readonly inputsReceived: number;
  readonly inputsApplied: number;
  /** Inputs refused (order, rate limit, validation) or lost. */
  readonly inputsDropped: number;
  /** Consumed-mode inputs replaced by a newer one before any tick applied them. */
  readonly inputsSuperseded: number;
  readonly inputToApplyP50Ms: number;
  readonly inputToApplyP99Ms: number;
  /** Mean time one tick took to compute (the env step, the fan-out of its messages excluded). */
  readonly tickComputeMeanMs: number;
  /** Slots given up by matches that fell too far behind their schedule. */
  readonly slotsSkipped: number;
}

export class TickStats {
  private ticks = 0;
  private onTime = 0;
  private computeMs = 0;
  private received = 0;
  private applied = 0;
  private dropped = 0;
  private superseded = 0;
  private skipped = 0;
  private readonly lateness = new Histogram();
  private readonly inputToApply = new Histogram();

  /** A tick started `lateMs` after its slot; it is on time when that is under one period. */
  recordTick(lateMs: number, periodMs: number, computeMs: number): void {
    this.ticks += 1;
    if (lateMs < periodMs) this.onTime += 1;
    this.lateness.add(lateMs);
    this.computeMs += computeMs;
  }

  recordApplied(waitedMs: number): void {
    this.applied += 1;
    this.inputToApply.add(waitedMs);
  }

  countReceived(): void {
    this.received += 1;
  }

  countDropped(): void {
    this.dropped += 1;
  }

  countSuperseded(): void {
    this.superseded += 1;
  }

  countSkipped(slots: number): void {
    this.skipped += slots;
  }

  /** Starts every counter afresh (a benchmark's measured window). */
  reset(): void {
    this.ticks = 0;
    this.onTime = 0;
    this.computeMs = 0;
    this.received = 0;
    this.applied = 0;
    this.dropped = 0;
    this.superseded = 0;
    this.skipped = 0;
    this.lateness.clear();
    this.inputToApply.clear();
  }

  snapshot(): TickStatsSnapshot {
    return {
      ticks: this.ticks,
      onTime: this.onTime,
      onTimeRatio: this.ticks === 0 ? 1 : this.onTime / this.ticks,
      lateP99Ms: this.lateness.quantile(0.99),
      inputsReceived: this.received,
      inputsApplied: this.applied,
      inputsDropped: this.dropped,
      inputsSuperseded: this.superseded,
      inputToApplyP50Ms: this.inputToApply.quantile(0.5),
      inputToApplyP99Ms: this.inputToApply.quantile(0.99),
      tickComputeMeanMs: this.ticks === 0 ? 0 : this.computeMs / this.ticks,
      slotsSkipped: this.skipped,
    };
  }
}
