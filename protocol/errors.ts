/**
 * The one catalog of wire error codes. Every rejection the arena sends a client carries one of
 * these codes (stable, machine-readable) with a message for people and a hint saying what to
 * do, kept apart. Each code also says which HTTP status it answers with. Zod only: agents, the
 * arena and the web viewer import this module; the arena's throwable `ArenaError` lives in
 * `arena/arena-error.ts`. The pipeline that produces most codes: `arena/match/validate-move.ts`.
 */
import { z } from 'zod';

interface CodeInfo {
  readonly status: number;
  readonly description: string;
}

const code = (status: number, description: string): CodeInfo => ({ status, description });

export const ARENA_ERROR_CATALOG = {
  'rate-limited': code(429, 'the connection sent more messages than its budget allows; slow down'),
  'bad-envelope': code(400, 'the message is not valid JSON or does not match the protocol schema'),
  'unknown-message': code(400, 'the message type is not one the server knows'),
  'payload-too-large': code(413, 'the message (or its text reply) is over the size limit'),
  unauthorized: code(401, 'the seat, agent or admin token is missing or wrong'),
  forbidden: code(403, 'the request is not allowed from here (origin, role or server-only operation)'),
  'not-your-seat': code(403, 'this connection does not hold the seat it tries to act for'),
  'spectator-cannot-act': code(403, 'spectators watch; they cannot act'),
  'unknown-match': code(404, 'no match with that id is hosted here'),
  'unknown-env': code(404, 'no env with that key is registered on this server (GET /api/envs lists them)'),
  'unknown-league': code(404, 'no league with that name is in the store'),
  'game-over': code(409, 'the match has ended'),
  stale: code(409, 'the message is for another step than the current one'),
  'not-your-turn': code(409, 'the seat is not to act at this step'),
  'bad-action': code(400, 'the action does not fit the action schema or names no action'),
  'ambiguous-action': code(400, 'the text reply names several distinct legal actions; name exactly one'),
  'illegal-action': code(400, 'the action is not legal at this step'),
  timeout: code(408, 'the seat did not answer before its deadline'),
  'too-many-matches': code(429, 'the agent holds as many pending or live matches as allowed'),
  'too-many-connections': code(503, 'the server or this address holds as many connections as allowed'),
  'not-found': code(404, 'no such route or resource (HTTP API)'),
  'bad-request': code(400, 'the request does not fit the API schema; the message names the field (HTTP API)'),
  conflict: code(409, 'the resource already exists (HTTP API)'),
  'agent-exists': code(409, 'an agent with that agentId is already registered (HTTP API)'),
  internal: code(500, 'the server failed to handle the message; a match that cannot go on is aborted'),
} as const satisfies Record<string, CodeInfo>;

export type ArenaErrorCode = keyof typeof ARENA_ERROR_CATALOG;

/** Code -> description, for documentation and clients. */
export const ARENA_ERROR_CODES: Readonly<Record<ArenaErrorCode, string>> = Object.fromEntries(
  Object.entries(ARENA_ERROR_CATALOG).map(([name, info]) => [name, info.description]),
) as Record<ArenaErrorCode, string>;

export const ARENA_ERROR_CODE_LIST = Object.keys(ARENA_ERROR_CATALOG) as [ArenaErrorCode, ...ArenaErrorCode[]];

export const ArenaErrorCodeSchema = z.enum(ARENA_ERROR_CODE_LIST);

export const isArenaErrorCode = (value: unknown): value is ArenaErrorCode => typeof value === 'string' && Object.hasOwn(ARENA_ERROR_CATALOG, value);

/** The HTTP status of a code (400 for codes of other catalogs: the caller's input). */
export const httpStatusOf = (code: string): number => (isArenaErrorCode(code) ? ARENA_ERROR_CATALOG[code].status : 400);

/** What a client receives for a rejected message. */
export const WireErrorSchema = z.object({
  code: ArenaErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
});
export type WireError = z.infer<typeof WireErrorSchema>;

/** Builds the wire form directly (the pipeline's rejections never need a stack). */
export const wireError = (code: ArenaErrorCode, message: string, hint = ''): WireError => ({ code, message, hint });
