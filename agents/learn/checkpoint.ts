/**
 * Learner checkpoints: the network (a model folder), the trainer state (update counter,
 * per-seat baselines, Adam moments) and the caller's own counters, in a fresh folder
 * `ckpt-<updates>` under `root`. The pointer file `latest.json` is replaced atomically
 * (write, then rename) only once the folder is complete, and older folders are removed
 * after that, so a process killed at any instant (kill -9) leaves a loadable checkpoint.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { JsonValue } from '../../envs/index.ts';
import { loadModel, saveModel } from '../runtime/model-io.ts';
import type { PolicyModel } from '../runtime/policy-model.ts';
import { LearnError } from './learn-error.ts';
import type { TrainerState } from './ppo-trainer.ts';

export const CHECKPOINT_POINTER = 'latest.json';
const STATE_FILE = 'trainer.json';
const MOMENTS_FILE = 'adam.bin';
const MODEL_DIR = 'model';

const PointerSchema = z.object({ format: z.literal(1), dir: z.string().regex(/^ckpt-\d+$/), updates: z.number().int().min(0) });

const StateFileSchema = z.object({
  format: z.literal(1),
  updates: z.number().int().min(0),
  baselines: z.array(z.number()),
  optimizer: z.object({ step: z.number().int().min(0), shapes: z.array(z.array(z.number().int().min(0))) }),
  extra: z.unknown(),
  /** The learner's own files in the folder. */
  files: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/)).default([]),
});

export interface LoadedCheckpoint {
  readonly dir: string;
  readonly model: PolicyModel;
  readonly state: TrainerState;
  readonly extra: unknown;
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** What a checkpoint takes from a learner (PpoTrainer, AlphaZeroTrainer). */
export interface CheckpointTrainer {
  readonly model: PolicyModel;
  exportState(): Promise<TrainerState>;
}

/**
 * Writes a checkpoint of `trainer` (and its model) with `extra` counters and the learner's own
 * `files` (AlphaZero's replay buffer); returns its folder.
 */
export async function saveCheckpoint(
  root: string,
  trainer: CheckpointTrainer,
  extra: JsonValue,
  files: Readonly<Record<string, Uint8Array>> = {},
): Promise<string> {
  const state = await trainer.exportState();
  const name = `ckpt-${state.updates}`;
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true }); // a partial folder from a killed run
  mkdirSync(dir, { recursive: true });
  await saveModel(trainer.model, join(dir, MODEL_DIR), { extra: { updates: state.updates } });
  const bytes = state.optimizer.moments.reduce((n, m) => n + m.data.byteLength, 0);
  const moments = new Uint8Array(bytes);
  let offset = 0;
  for (const m of state.optimizer.moments) {
    moments.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), offset);
    offset += m.data.byteLength;
  }
  writeFileSync(join(dir, MOMENTS_FILE), moments);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  writeFileSync(
    join(dir, STATE_FILE),
    JSON.stringify({
      format: 1,
      updates: state.updates,
      baselines: state.baselines,
      files: Object.keys(files),
      optimizer: { step: state.optimizer.step, shapes: state.optimizer.moments.map((m) => m.shape) },
      extra,
    }),
  );
  const tmp = join(root, `${CHECKPOINT_POINTER}.tmp`);
  writeFileSync(tmp, JSON.stringify({ format: 1, dir: name, updates: state.updates }));
  renameSync(tmp, join(root, CHECKPOINT_POINTER));
  for (const entry of readdirSync(root)) {
    if (/^ckpt-\d+$/.test(entry) && entry !== name) rmSync(join(root, entry), { recursive: true, force: true });
  }
  return dir;
}

/** The latest complete checkpoint under `root`, or undefined if none was written. */
export async function loadCheckpoint(root: string): Promise<LoadedCheckpoint | undefined> {
  const pointerPath = join(root, CHECKPOINT_POINTER);
  if (!existsSync(pointerPath)) return undefined;
  const pointer = PointerSchema.safeParse(readJson(pointerPath));
  if (!pointer.success) throw badCheckpoint(`${pointerPath} does not name a checkpoint folder`);
  const dir = join(root, pointer.data.dir);
  const parsed = StateFileSchema.safeParse(readJson(join(dir, STATE_FILE)));
  if (!parsed.success) throw badCheckpoint(`${join(dir, STATE_FILE)} is not a trainer state`);
  const file = parsed.data;
  const raw = readFileSync(join(dir, MOMENTS_FILE));
  const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let offset = 0;
  const moments = file.optimizer.shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = floats.slice(offset, offset + size);
    offset += size;
    return { shape, data };
  });
  if (offset !== floats.length) throw badCheckpoint(`${join(dir, MOMENTS_FILE)} holds ${floats.length} floats, the state names ${offset}`);
  const files: Record<string, Uint8Array> = {};
  for (const name of file.files) {
    try {
      files[name] = new Uint8Array(readFileSync(join(dir, name)));
    } catch (error) {
      throw badCheckpoint(`cannot read ${join(dir, name)}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const model = await loadModel(join(dir, MODEL_DIR));
  return {
    dir,
    model,
    extra: file.extra,
    files,
    state: { updates: file.updates, baselines: file.baselines, optimizer: { step: file.optimizer.step, moments } },
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw badCheckpoint(`cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

const badCheckpoint = (message: string): LearnError =>
  new LearnError('bad-checkpoint', message, 'delete the checkpoint folder to start over, or resume from a complete run folder');
