/**
 * The run's metrics, one JSON object per line (`metrics.jsonl`): an `update` line after
 * every PPO update, an `eval` line after every evaluation, a `snapshot` line per snapshot.
 * Appending a line is one write, so a killed run leaves at most a torn last line, which
 * reading skips.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AnchorResult } from './evaluation.ts';

interface LineBase {
  readonly update: number;
  /** Training time so far, summed over resumed sessions. */
  readonly seconds: number;
}

export interface UpdateLine extends LineBase {
  readonly type: 'update';
  readonly episodes: number;
  readonly decisions: number;
  readonly episodesPerSec: number;
  readonly selfPlayShare: number;
  /** The training stage of this update (train config `stages`), when the run has stages. */
  readonly stage?: string;
  /** Mean return of the learner's seats in this update's episodes. */
  readonly meanReturn: number;
  /** Weight of the shaped reward in this update's learner rewards (rewardShaping; 0 without). */
  readonly shaping?: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  /** PPO only. */
  readonly approxKl?: number;
  readonly clipFraction?: number;
  readonly gradNorm?: number;
  /** AlphaZero only: positions in the replay buffer, and ever added to it. */
  readonly replaySize?: number;
  readonly positions?: number;
}

export interface EvalLine extends LineBase {
  readonly type: 'eval';
  /** Whom the results are stored under in the league (a snapshot id or the learner's). */
  readonly agentId: string;
  readonly vs: Record<string, AnchorResult>;
  readonly elo?: number;
  readonly exploitability?: number;
  readonly mixtureExploitability?: number;
  readonly mixtureSize?: number;
}

export interface SnapshotLine extends LineBase {
  readonly type: 'snapshot';
  readonly agentId: string;
  readonly path: string;
}

export type MetricsLine = UpdateLine | EvalLine | SnapshotLine;

export function appendMetrics(file: string, line: MetricsLine): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

export function readMetrics(file: string): MetricsLine[] {
  if (!existsSync(file)) return [];
  const lines: MetricsLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      lines.push(JSON.parse(text) as MetricsLine);
    } catch {
      // a line torn by a killed process
    }
  }
  return lines;
}

/** Drops lines written after update `update` (a resumed run replays those updates). */
export function truncateMetrics(file: string, update: number): void {
  const kept = readMetrics(file).filter((l) => l.update <= update);
  writeFileSync(file, kept.map((l) => `${JSON.stringify(l)}\n`).join(''));
}
