/**
 * The one catalog of wire error codes. Every rejection the arena sends a client carries one
 * of these codes (stable, machine-readable), a message for people and a hint saying what to
 * do. The order of the pipeline that produces them is in `arena/match/validate-move.ts`.
 */
import { z } from 'zod';
// The envs error classes only (not envs/index.ts), so browser clients stay light.
import { ActionParseError, IllegalActionError, LudusError } from '../../envs/core/errors.ts';

export const ARENA_ERROR_CODES = {
  'rate-limited': 'the connection sent more messages than its budget allows; slow down',
  'bad-envelope': 'the message is not valid JSON or does not match the protocol schema',
  'unknown-message': 'the message type is not one the server knows',
  'payload-too-large': 'the message (or its text reply) is over the size limit',
  'unauthorized': 'the seat, agent or admin token is missing or wrong',
  'not-your-seat': 'this connection does not hold the seat it tries to act for',
  'spectator-cannot-act': 'spectators watch; they cannot act',
  'unknown-match': 'no match with that id is hosted here',
  'unknown-env': 'no env with that key is registered on this server (GET /api/envs lists them)',
  'game-over': 'the match has ended',
  'stale': 'the message is for another step than the current one',
  'not-your-turn': 'the seat is not to act at this step',
  'bad-action': 'the action does not fit the action schema or names no action',
  'illegal-action': 'the action is not legal at this step',
  'timeout': 'the seat did not answer before its deadline',
  'not-found': 'no such route or resource (HTTP API)',
  'bad-request': 'the request does not fit the API schema; the message names the field (HTTP API)',
  'conflict': 'the resource already exists (HTTP API)',
  'internal': 'the server failed to handle the message; a match that cannot go on is aborted',
} as const;

export type ArenaErrorCode = keyof typeof ARENA_ERROR_CODES;

export const ARENA_ERROR_CODE_LIST = Object.keys(ARENA_ERROR_CODES) as [ArenaErrorCode, ...ArenaErrorCode[]];

export const ArenaErrorCodeSchema = z.enum(ARENA_ERROR_CODE_LIST);

/** What a client receives for a rejected message. */
export const WireErrorSchema = z.object({
  code: ArenaErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
});
export type WireError = z.infer<typeof WireErrorSchema>;

export class ArenaError extends LudusError<ArenaErrorCode> {
  constructor(code: ArenaErrorCode, message: string, hint = '') {
    super(code, message, hint);
    this.name = 'ArenaError';
  }
}

/** Builds the wire form directly (the pipeline's rejections never need a stack). */
export const wireError = (code: ArenaErrorCode, message: string, hint = ''): WireError => ({ code, message, hint });

/**
 * Any thrown value as a wire error. Arena errors keep their code; the envs' typed action
 * errors map onto theirs; anything else is 'internal' with no internals leaked.
 */
export function toWireError(error: unknown): WireError {
  if (isArenaError(error)) return wireError(error.code, messageOf(error), error.hint);
  if (error instanceof ActionParseError) return wireError('bad-action', messageOf(error), error.hint);
  if (error instanceof IllegalActionError) {
    const code = error.code === 'terminal' ? 'game-over' : error.code === 'illegal' ? 'illegal-action' : 'not-your-turn';
    return wireError(code, messageOf(error), error.hint);
  }
  return wireError('internal', 'the server failed to handle this message', 'retry later; if it persists, report it');
}

/**
 * By name as well as class: the transports are loaded with import() (they are optional), and a
 * CommonJS caller (mocha's require of a .ts test) then holds a second copy of this module.
 */
function isArenaError(error: unknown): error is ArenaError {
  if (error instanceof ArenaError) return true;
  const e = error as Partial<ArenaError> | null;
  return error instanceof Error && e!.name === 'ArenaError' && typeof e!.code === 'string' && e!.code in ARENA_ERROR_CODES && typeof e!.hint === 'string';
}

/** LudusError appends the hint to `message`; the wire carries them apart. */
function messageOf(error: LudusError): string {
  const suffix = error.hint ? ` (${error.hint})` : '';
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}
