/**
 * The arena's throwable error, carrying a code of the wire catalog (`protocol/errors.ts`), and
 * the one translation of any thrown value into its wire form.
 */
import { LudusError, registerErrorCatalog, type CatalogEntry } from '../envs/core/errors.ts';
import { ARENA_ERROR_CATALOG, isArenaErrorCode, wireError, type ArenaErrorCode, type WireError } from '../protocol/errors.ts';

/**
 * The arena's catalog: the wire codes (protocol/errors.ts, with their HTTP statuses; a 5xx is a
 * failure, exit 1, anything else the caller's input, exit 2) and the match setup's own code.
 */
export const ARENA_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  ...Object.fromEntries(
    Object.entries(ARENA_ERROR_CATALOG).map(([code, info]) => [code, { description: info.description, status: info.status, exit: info.status >= 500 ? 1 : 2 }]),
  ),
  'bad-match-config': 'match settings, seats or ids do not pass their schema (README: Match settings)',
};
registerErrorCatalog('arena', ARENA_CATALOG);

export class ArenaError extends LudusError<ArenaErrorCode> {
  constructor(code: ArenaErrorCode, message: string, hint = '') {
    super(code, message, hint);
    this.name = 'ArenaError';
  }
}

/**
 * Any thrown value as a wire error. Arena errors keep their code; the envs' typed errors map
 * onto theirs; anything else is 'internal' with no internals leaked. Errors are recognised by
 * name and shape as well as class: the transports are loaded with import(), and a CommonJS
 * caller (mocha's require of a .ts test) then holds a second copy of the envs and arena modules.
 */
export function toWireError(error: unknown): WireError {
  if (!isTypedError(error)) return wireError('internal', 'the server failed to handle this message', 'retry later; if it persists, report it');
  const message = bareMessage(error);
  if (isArenaErrorCode(error.code)) return wireError(error.code, message, error.hint);
  switch (error.name) {
    case 'ActionParseError': // ambiguous-action kept its own code above; the rest name no action
      return wireError('bad-action', message, error.hint);
    case 'UnknownEnvError':
      return wireError('unknown-env', message, error.hint);
    case 'IllegalActionError':
      return wireError(error.code === 'terminal' ? 'game-over' : error.code === 'illegal' ? 'illegal-action' : 'not-your-turn', message, error.hint);
    default:
      return wireError('internal', 'the server failed to handle this message', 'retry later; if it persists, report it');
  }
}

function isTypedError(error: unknown): error is LudusError {
  if (error instanceof LudusError) return true;
  const e = error as Partial<LudusError> | null;
  return error instanceof Error && typeof e!.code === 'string' && typeof e!.hint === 'string';
}

/** LudusError appends the hint to `message`; the wire carries them apart. */
export function bareMessage(error: LudusError): string {
  const suffix = error.hint ? ` (${error.hint})` : '';
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}
