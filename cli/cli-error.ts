/**
 * Errors the CLI turns into a message and an exit code instead of a stack trace:
 * usage mistakes exit 2, a store in use exits 3, any other typed Ludus error exits 1.
 */
import { LudusError } from '../envs/core/errors.ts'; // not envs/index.ts: `--help` loads no env and no zod

export class UsageError extends LudusError<'usage'> {
  constructor(message: string, hint = 'run `ludus help` for the commands and their flags') {
    super('usage', message, hint);
    this.name = 'UsageError';
  }
}

/** Exit code when the store is in use by another server or league run (it is not bad input: retry later). */
export const STORE_LOCKED_EXIT_CODE = 3;

/** Exit code for an error: 2 for bad input (flags, configs, unknown names), 3 for a store in use, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof LudusError)) return 1;
  if (error.code === 'store-locked') return STORE_LOCKED_EXIT_CODE;
  return BAD_INPUT_CODES.has(error.code) ? 2 : 1;
}

const BAD_INPUT_CODES = new Set([
  'usage', 'unknown-env', 'bad-params', 'bad-record', 'unknown-agent', 'bad-agent-options',
  'agent-unsupported-env', 'bad-config', 'league-config-changed', 'unknown-league', 'bad-agents', 'store-missing', 'store-outdated', 'store-too-new', 'model-mismatch', 'bad-model', 'bad-arch', 'backend-unavailable', 'run-exists', 'bad-train-config', 'agent-exists', 'bad-admin-token',
]);
