/**
 * Agent kind `neural`: plays a saved policy model (`neural:model=models/c4,greedy=true`).
 * Creating one reads only the model's manifest (a wrong env fails at once, before play);
 * tfjs and the weights load at the first reset (shared-runtime.ts imports them lazily, so
 * registering this kind costs no tfjs import), once per folder for the whole process,
 * and every neural agent of the process shares one batching InferenceServer.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineAgentKind } from '../agent-kind.ts';
import { BadAgentOptionsError } from '../errors.ts';
import { agentKinds, registerAgentKind } from '../registry.ts';
import { checkModelFits, readManifest, specFromManifest } from './model-manifest.ts';
import { NeuralAgent } from './neural-agent.ts';
import { sharedPolicy } from './shared-runtime.ts';

export const NeuralAgentOptionsSchema = z
  .object({
    // Optional in the schema only so `{}` parses like every kind's; create() requires it.
    model: z.string().min(1).optional().describe('model folder written by saveModel (required)'),
    greedy: z.boolean().default(false).describe('argmax instead of sampling'),
  })
  .strict();
export type NeuralAgentKindOptions = z.infer<typeof NeuralAgentOptionsSchema>;

export const neuralAgentKind = defineAgentKind({
  kind: 'neural',
  description: 'a saved neural policy (tfjs), batched through the process-wide inference server',
  optionsSchema: NeuralAgentOptionsSchema,
  create(options, { env, params, name }) {
    if (options.model === undefined) {
      throw new BadAgentOptionsError('agent neural needs a model folder', 'write neural:model=PATH, a folder written by saveModel');
    }
    const dir = resolve(options.model);
    checkModelFits(specFromManifest(readManifest(dir)), env, params, `model ${options.model}`);
    return new NeuralAgent({
      name,
      greedy: options.greedy,
      policy: () => sharedPolicy(dir),
    });
  },
});

// Registered on import; registry.ts lists only the built-in scripted kinds.
if (!agentKinds().some((def) => def.kind === neuralAgentKind.kind)) registerAgentKind(neuralAgentKind);
