/**
 * The CLI's own catalog (usage mistakes, talking to a server), and the one mapping from any
 * error to an exit code: each code's catalog says it (2 for bad input, 1 for a failure; see
 * `registerErrorCatalog` in envs/core/errors.ts). Untyped errors exit 1; a store in use by another
 * process exits 3 (not bad input, not a failure of this run: retry later).
 */
import { errorClass, exitCodeOf, LudusError } from '../envs/core/errors.ts'; // not envs/index.ts: `--help` loads no env and no zod

export const CLI_ERROR_CODES = {
  usage: 'a command, flag or argument is missing or malformed',
  'server-unreachable': { description: 'the arena server cannot be reached', status: 503, exit: 1 },
  'server-refused': 'the arena server refused the request (its error code and hint follow)',
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

export class CliError extends errorClass<CliErrorCode>('CliError', CLI_ERROR_CODES) {}

export class UsageError extends CliError {
  constructor(message: string, hint = 'run `ludus help` for the commands and their flags') {
    super('usage', message, hint);
    this.name = 'UsageError';
  }
}

/** Exit code when the store is in use by another server or league run (it is not bad input: retry later). */
export const STORE_LOCKED_EXIT_CODE = 3;

/** Exit code for an error, from its code's catalog: 2 for bad input, 1 otherwise; 3 for a store in use. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof LudusError)) return 1;
  return error.code === 'store-locked' ? STORE_LOCKED_EXIT_CODE : exitCodeOf(error);
}
