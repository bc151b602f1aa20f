/**
 * What a model folder is for: `manifest.json` beside tfjs's `model.json` + `weights.bin`.
 * It names the env and params the network was built for and their dims, so a model is
 * checked against a match before a single forward pass. No tfjs here: agent kinds read
 * manifests to fail fast without loading the runtime.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { formatZodError, LudusError } from '../../envs/index.ts';
import type { AnyEnv, JsonValue } from '../../envs/index.ts';
import { ArchSchema, type Arch } from './arch-schema.ts';
import { RuntimeError } from './runtime-error.ts';

export const MANIFEST_FILE = 'manifest.json';

export const ModelDimsSchema = z
  .object({
    observationShape: z.array(z.number().int().min(1)).min(1),
    numDistinctActions: z.number().int().min(1),
  })
  .strict();
export type ModelDims = z.infer<typeof ModelDimsSchema>;

export const ModelManifestSchema = z
  .object({
    format: z.literal(1),
    env: z.string().min(1), // env key, e.g. connect-four-v1
    params: z.unknown(),
    dims: ModelDimsSchema,
    arch: ArchSchema,
    created: z.iso.datetime(),
    parent: z.string().nullable(), // the model this one was trained from, if any
    extra: z.record(z.string(), z.unknown()).optional(), // learner metadata (steps, hyperparameters)
  })
  .strict();
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
    throw new RuntimeError(
      'bad-model',
      `${missing ? 'no' : 'cannot read'} ${MANIFEST_FILE} in model folder ${dir}`,
      'pass a folder written by saveModel (model.json, weights.bin, manifest.json)',
    );
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

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

const describe = (env: string, shape: readonly number[], actions: number): string => `${env} (observation [${shape.join(', ')}], ${actions} actions)`;

/** JSON with object keys sorted, so equal params compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The params a model was trained with, as the env parses them (defaults filled in). */
export function trainedParams(spec: PolicyModelSpec, env: AnyEnv, what = 'the model'): unknown {
  try {
    return env.parseParams(spec.params ?? {});
  } catch (error) {
    if (!(error instanceof LudusError)) throw error;
    throw new RuntimeError(
      'model-mismatch',
      `${what} was saved with params ${JSON.stringify(spec.params)} that ${env.key} no longer accepts: ${error.message}`,
      'train the model again for this version of the env',
    );
  }
}

/**
 * Throws 'model-mismatch' unless the model fits this env with these (raw or parsed) params:
 * the same env, the same dims and the same params it was trained with. Equal dims are not
 * enough: connect-four's `egocentric` planes have the shape of the absolute ones.
 */
export function checkModelFits(spec: PolicyModelSpec, env: AnyEnv, params: unknown, what = 'the model'): void {
  const parsed = env.parseParams(params ?? {});
  const dims = env.dims(parsed);
  if (spec.env !== env.key || !sameShape(spec.observationShape, dims.observationShape) || spec.numDistinctActions !== dims.numDistinctActions) {
    throw new RuntimeError(
      'model-mismatch',
      `${what} is for ${describe(spec.env, spec.observationShape, spec.numDistinctActions)}, ` +
        `not ${describe(env.key, dims.observationShape, dims.numDistinctActions)}`,
      spec.env === env.key ? `use the model's env params ${JSON.stringify(spec.params)}` : `use a model trained for ${env.key}`,
    );
  }
  const trained = canonical(trainedParams(spec, env, what));
  const given = canonical(parsed);
  if (trained === given) return;
  throw new RuntimeError(
    'model-mismatch',
    `${what} was trained on ${env.key} with params ${trained}, not ${given}`,
    `play it with the params it was trained with, e.g. --params '${JSON.stringify(spec.params)}' (ludus play uses them when --params is left out)`,
  );
}

/**
 * The env params the saved models among these agent specs (`neural:model=DIR`) were trained
 * with, for callers given no params: undefined if no spec plays a saved model of this env.
 * Models trained with different params cannot share a match: 'model-mismatch'.
 */
export function paramsOfModels(specs: readonly { readonly kind: string; readonly options?: Readonly<Record<string, unknown>> }[], env: AnyEnv): unknown {
  let found: { dir: string; params: unknown; key: string } | undefined;
  for (const spec of specs) {
    const dir = spec.kind === 'neural' ? spec.options?.model : undefined;
    if (typeof dir !== 'string') continue;
    const model = specFromManifest(readManifest(resolve(dir)));
    if (model.env !== env.key) continue; // createAgent reports the wrong env
    const params = trainedParams(model, env, `model ${dir}`);
    const key = canonical(params);
    if (found && found.key !== key) {
      throw new RuntimeError(
        'model-mismatch',
        `models ${found.dir} and ${dir} were trained with different params (${found.key} and ${key})`,
        'play models trained with the same env params in one match',
      );
    }
    found ??= { dir, params, key };
  }
  return found?.params;
}
