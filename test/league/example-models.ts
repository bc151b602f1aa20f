/**
 * Example configs that name trained models by relative path (`neural:model=data/models/...`,
 * the FCP population) only load once those runs exist. To check such a config in a fresh
 * checkout, `withExampleModels` writes an untrained model of the config's env and params at
 * every such path under a temporary folder and loads the config from there, as a user in a
 * checkout with the runs done would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { saveModel } from '../../agents/runtime/model-io.ts';
import { createPolicyModel } from '../../agents/runtime/policy-model.ts';
import { getEnv } from '../../envs/index.ts';
import { readConfigFile } from '../../league/config/config-file.ts';
import { useBackend } from '../agents/runtime/fixtures.ts';

/** The relative model folders named by `neural:model=` specs in a config file. */
export function relativeModelPaths(file: string): string[] {
  const text = JSON.stringify(readConfigFile(file, 'config'));
  const paths = [...text.matchAll(/neural:model=([^,"]+)/g)].map((m) => m[1]!);
  return [...new Set(paths.filter((p) => !isAbsolute(p)))];
}

/**
 * Runs `load` (synchronous: the working directory is changed around it) in a folder holding an
 * untrained model at each of the config's relative model paths; returns its result.
 */
export async function withExampleModels<T>(file: string, load: () => T): Promise<T> {
  const paths = relativeModelPaths(file);
  if (paths.length === 0) return load();
  const config = readConfigFile(file, 'config') as { env: string; params?: unknown };
  const env = getEnv(config.env);
  await useBackend();
  const root = mkdtempSync(join(tmpdir(), 'ludus-example-models-'));
  const cwd = process.cwd();
  try {
    const model = createPolicyModel(env, config.params ?? {}, { arch: { kind: 'mlp', hidden: [8] } });
    for (const path of paths) await saveModel(model, join(root, path));
    model.dispose();
    process.chdir(root);
    return load();
  } finally {
    process.chdir(cwd);
    rmSync(root, { recursive: true, force: true });
  }
}
