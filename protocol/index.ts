/**
 * The wire: zod schemas of every message and HTTP body, and the error catalog. Zod only, so
 * agents, the arena and the web viewer share one definition of each message.
 */
export * from './assignment.ts';
export * from './closed-object.ts';
export * from './errors.ts';
export * from './http-api.ts';
export * from './messages.ts';
export * from './version.ts';
export * from './view-leaves.ts';
