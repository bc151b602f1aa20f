/**
 * The wire protocol version. Bump it on any breaking change to `messages.ts` (a renamed or
 * removed field, a new required field, a changed meaning); clients compare it with the
 * `protocolVersion` of `match:start`.
 */
// 2: decisions carry the observation and the action texts only when asked for at join (`decision` options).
export const PROTOCOL_VERSION = 2;
