/**
 * Reading a finished (or running) training run back from its folder: its saved config and
 * its snapshots in update order, for `ludus policy table --mixture` and analyses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readManifest } from '../../agents/runtime/model-manifest.ts';
import { RUN_CONFIG_FILE } from './run-layout.ts';
import { parseTrainConfig, type TrainConfig } from './train-config.ts';
import { RuntimeError } from '../../agents/runtime/runtime-error.ts';

export interface RunSnapshot {
  readonly agentId: string;
  readonly update: number;
  readonly dir: string;
}

/** The run folder holding `dir`: `dir` itself or one of its parents (a model folder inside the run). */
export function findRunDir(dir: string): string {
  let current = resolve(dir);
  for (let depth = 0; depth < 4; depth++) {
    if (existsSync(join(current, RUN_CONFIG_FILE))) return current;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw new RuntimeError(
    'bad-model',
    `${dir} is not inside a training run folder (no ${RUN_CONFIG_FILE} found)`,
    'pass <store>/models/<run>, or a model folder inside it, as written by `ludus train`',
  );
}

export function readRunConfig(runDir: string): TrainConfig {
  const data = JSON.parse(readFileSync(join(runDir, RUN_CONFIG_FILE), 'utf8')) as { config?: unknown };
  return parseTrainConfig(data.config, join(runDir, RUN_CONFIG_FILE));
}

/** Complete snapshot model folders of the run, oldest first. */
export function runSnapshots(runDir: string): RunSnapshot[] {
  const root = join(runDir, 'snapshots');
  if (!existsSync(root)) return [];
  const out: RunSnapshot[] = [];
  for (const agentId of readdirSync(root)) {
    const dir = join(root, agentId);
    if (!existsSync(join(dir, 'manifest.json'))) continue; // a folder a killed run left half-written
    const update = Number(readManifest(dir).extra?.update);
    out.push({ agentId, update: Number.isFinite(update) ? update : 0, dir });
  }
  return out.sort((a, b) => a.update - b.update || a.agentId.localeCompare(b.agentId));
}
