/**
 * Model folders: tfjs's standard `model.json` + `weights.bin` (readable by
 * `tf.loadLayersModel('file://...')` where tfjs-node is installed) and our `manifest.json`.
 * Files are written with node:fs through a custom tfjs IOHandler, since tfjs's own
 * file:// handler ships only with tfjs-node. The manifest is written last, so a folder
 * with a manifest is complete.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getEnv, LudusError } from '../../envs/index.ts';
import { selectBackend } from './backend.ts';
import { checkModelFits, MANIFEST_FILE, readManifest, specFromManifest, trainedParams, type ModelManifest } from './model-manifest.ts';
import { PolicyModel } from './policy-model.ts';
import { RuntimeError } from './runtime-error.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface SaveModelOptions {
  /** The model folder this one was trained from (lineage), if any. */
  readonly parent?: string | null;
  /** Learner metadata stored in the manifest (steps, hyperparameters, ...). */
  readonly extra?: Record<string, unknown>;
}

export interface LoadModelOptions {
  /** Expected env key: loading a model for another env is a 'model-mismatch' error. */
  readonly env?: string;
  /** Expected env params (raw or parsed): they must be the params the model was trained with. */
  readonly params?: unknown;
}

/** Writes `dir/{model.json, weights.bin, manifest.json}`; returns the manifest. */
export async function saveModel(model: PolicyModel, dir: string, options: SaveModelOptions = {}): Promise<ModelManifest> {
  mkdirSync(dir, { recursive: true });
  await model.network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      writeFileSync(join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  const { spec } = model;
  const manifest: ModelManifest = {
    format: 1,
    env: spec.env,
    params: spec.params,
    dims: { observationShape: [...spec.observationShape], numDistinctActions: spec.numDistinctActions },
    arch: spec.arch,
    created: new Date().toISOString(),
    parent: options.parent ?? null,
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Loads a model folder, checking its manifest, that its env still has the dims it was
 * saved with, and (when given) that it is for `options.env` / `options.params`.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<PolicyModel> {
  const manifest = readManifest(dir);
  const spec = specFromManifest(manifest);
  if (options.env !== undefined && options.env !== manifest.env) {
    throw new RuntimeError('model-mismatch', `model ${dir} is for ${manifest.env}, not ${options.env}`, `use a model trained for ${options.env}`);
  }
  const env = getEnv(manifest.env);
  checkModelFits(spec, env, trainedParams(spec, env, `model ${dir}`), `model ${dir}`); // the env changed since saving?
  if (options.params !== undefined) checkModelFits(spec, env, options.params, `model ${dir}`);
  await selectBackend();
  const network = await tf.loadLayersModel(tf.io.fromMemory(readArtifacts(dir))).catch((error: unknown) => {
    throw badModel(dir, error);
  });
  try {
    return new PolicyModel(spec, network);
  } catch (error) {
    network.dispose();
    throw error;
  }
}

function readArtifacts(dir: string): tf.io.ModelArtifacts {
  try {
    const modelJson = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
    const groups = modelJson.weightsManifest ?? [];
    const buffers = groups.flatMap((group) =>
      group.paths.map((path) => {
        const bytes = readFileSync(join(dir, path));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      }),
    );
    return {
      modelTopology: modelJson.modelTopology,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      weightSpecs: groups.flatMap((group) => group.weights),
      weightData: tf.io.CompositeArrayBuffer.join(buffers),
    };
  } catch (error) {
    throw badModel(dir, error);
  }
}

function badModel(dir: string, error: unknown): LudusError {
  if (error instanceof LudusError) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new RuntimeError(
    'bad-model',
    `cannot load the network in model folder ${dir}: ${message}`,
    `the folder needs ${MODEL_FILE} and ${WEIGHTS_FILE} as written by saveModel; save the model again`,
  );
}
