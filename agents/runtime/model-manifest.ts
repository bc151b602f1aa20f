/**
 * What a model folder is for: `manifest.json` beside tfjs's `model.json` + `weights.bin`.
 * It names the env and params the network was built for and their dims, so a model is
 * checked against a match before a single forward pass. No tfjs here: agent kinds read
 * manifests to fail fast without loading the runtime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import type { AnyEnv, JsonValue } from '../../envs/index.ts';
import { ArchSchema, type Arch } from './arch-schema.ts';
import { RuntimeError } from './runtime-error.ts';

export const MANIFEST_FILE = 'manifest.json';

export const ModelDimsSchema = z.object({
  observationShape: z.array(z.number().int().min(1)).min(1),
  numDistinctActions: z.number().int().min(1),
}).strict();
export type ModelDims = z.infer<typeof ModelDimsSchema>;

export const ModelManifestSchema = z.object({
  format: z.literal(1),
  env: z.string().min(1), // env key, e.g. connect-four-v1
  params: z.unknown(),
  dims: ModelDimsSchema,
  arch: ArchSchema,
  created: z.iso.datetime(),
  parent: z.string().nullable(), // the model this one was trained from, if any
  extra: z.record(z.string(), z.unknown()).optional(), // learner metadata (steps, hyperparameters)
}).strict();
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** What a policy network was built for. */
export interface PolicyModelSpec {
  readonly env: string;
  readonly params: JsonValue;
  readonly observationShape: readonly number[];
  readonly numDistinctActions: number;
  readonly arch: Arch;
}

/** Reads and validates `<dir>/manifest.json`. */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    throw new RuntimeError('bad-model', `${missing ? 'no' : 'cannot read'} ${MANIFEST_FILE} in model folder ${dir}`,
      'pass a folder written by saveModel (model.json, weights.bin, manifest.json)');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new RuntimeError('bad-model', `${path} is not valid JSON`, 'restore the file or save the model again');
  }
  const parsed = ModelManifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new RuntimeError('bad-model', `bad model manifest ${path}: ${formatZodError(parsed.error)}`, 'save the model again with saveModel');
  }
  return parsed.data;
}

export const specFromManifest = (manifest: ModelManifest): PolicyModelSpec => ({
  env: manifest.env,
  params: (manifest.params ?? {}) as JsonValue,
  observationShape: manifest.dims.observationShape,
  numDistinctActions: manifest.dims.numDistinctActions,
  arch: manifest.arch,
});

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

const describe = (env: string, shape: readonly number[], actions: number): string =>
  `${env} (observation [${shape.join(', ')}], ${actions} actions)`;

/** Throws 'model-mismatch' unless the model fits this env with these (raw or parsed) params. */
export function checkModelFits(spec: PolicyModelSpec, env: AnyEnv, params: unknown, what = 'the model'): void {
  const dims = env.dims(env.parseParams(params ?? {}));
  if (spec.env === env.key && sameShape(spec.observationShape, dims.observationShape)
    && spec.numDistinctActions === dims.numDistinctActions) return;
  throw new RuntimeError('model-mismatch',
    `${what} is for ${describe(spec.env, spec.observationShape, spec.numDistinctActions)}, `
      + `not ${describe(env.key, dims.observationShape, dims.numDistinctActions)}`,
    spec.env === env.key ? `use env params with the same dims as the model's (${JSON.stringify(spec.params)})` : `use a model trained for ${env.key}`);
}
