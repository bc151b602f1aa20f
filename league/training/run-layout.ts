/**
 * Where a training run keeps its files: `<store>/models/<run>/` holds the config it was
 * started with, the learner checkpoint, every snapshot and the final policy as model folders,
 * the metrics (JSONL), the learning curve (SVG) and the summary.
 */
import { join, resolve } from 'node:path';

export interface RunLayout {
  readonly runDir: string;
  readonly configFile: string;
  readonly checkpointDir: string;
  readonly snapshotsDir: string;
  readonly finalDir: string;
  readonly metricsFile: string;
  readonly curveFile: string;
  readonly summaryFile: string;
}

export const RUN_CONFIG_FILE = 'run.json';

export function runLayout(storeDir: string, run: string): RunLayout {
  const runDir = resolve(storeDir, 'models', run);
  return {
    runDir,
    configFile: join(runDir, RUN_CONFIG_FILE),
    checkpointDir: join(runDir, 'checkpoint'),
    snapshotsDir: join(runDir, 'snapshots'),
    finalDir: join(runDir, 'final'),
    metricsFile: join(runDir, 'metrics.jsonl'),
    curveFile: join(runDir, 'learning-curve.svg'),
    summaryFile: join(runDir, 'summary.json'),
  };
}

export const snapshotDir = (layout: RunLayout, agentId: string): string => join(layout.snapshotsDir, agentId);
