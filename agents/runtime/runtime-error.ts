/**
 * Errors of the policy runtime: backends that cannot load, model folders that do not parse
 * or do not fit the env, and misuse of the inference server. Codes are stable, kebab-case.
 */
import { errorClass } from '../../envs/index.ts';

export const RUNTIME_ERROR_CODES = {
  'backend-unavailable': 'the requested tfjs backend cannot be loaded in this process',
  'model-mismatch': 'a policy model was built for another env, other params or other dims',
  'bad-model': 'a model folder is missing, unreadable, or its manifest or weights do not parse',
  'bad-arch': 'a network architecture does not fit the observation (e.g. conv on a flat tensor)',
  // Failures of the process, not of the caller's input: exit 1.
  'unknown-policy': { description: 'no model is registered with the inference server under that policy id', status: 500, exit: 1 },
  'bad-inference-input': 'an observation or mask does not have the size the model expects',
  'inference-closed': { description: 'the inference server was closed before the request was answered', status: 503, exit: 1 },
  'inference-options-conflict': 'the shared inference server already runs with other options',
} as const;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERROR_CODES;

export class RuntimeError extends errorClass<RuntimeErrorCode>('RuntimeError', RUNTIME_ERROR_CODES) {}
