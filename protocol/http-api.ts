/**
 * zod schemas of the HTTP API's bodies (fastify validates with them and the OpenAPI document
 * at `/docs/json` is generated from them). Importable by clients: zod only.
 */
import { z } from 'zod';
import { closedObject } from './closed-object.ts';

/** League agentIds: lower-case letters, digits, ".", "_" and "-" (the league's slug rule); people are `human:<slug>`. */
export const HttpAgentIdSchema = z.string().max(128)
  .regex(/^(?:human:)?[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit (people: "human:<name>")');

export const SeatInputSchema = z.discriminatedUnion('kind', [
  closedObject({ kind: z.literal('remote'), agentId: HttpAgentIdSchema.optional() }),
  closedObject({ kind: z.literal('agent'), agent: z.string().min(1).max(256), agentId: HttpAgentIdSchema.optional() }),
]);
export type SeatInput = z.infer<typeof SeatInputSchema>;

export const CreateMatchInputSchema = closedObject({
  env: z.string().min(1).max(128).describe('env key, e.g. "tic-tac-toe-v1" (GET /api/envs)'),
  params: z.record(z.string(), z.unknown()).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  seats: z.array(SeatInputSchema).min(1).max(64).describe('one entry per seat: a remote player or an in-process agent spec'),
  settings: z.record(z.string(), z.unknown()).optional().describe('clocks, timeout policy, reconnect window, rate limit'),
  league: HttpAgentIdSchema.optional().describe('league the match counts for; default arena-<env key>'),
});

export const CreatedMatchSchema = z.object({
  matchId: z.string(),
  seatTokens: z.array(z.string().nullable()).readonly(),
});

export const MatchStatusSchema = z.enum(['waiting', 'live', 'finished', 'aborted']);

export const MatchSummaryViewSchema = z.object({
  matchId: z.string(),
  env: z.string(),
  status: MatchStatusSchema,
  seats: z.array(z.object({ seat: z.number().int(), agentId: z.string().nullable(), connected: z.boolean() }).readonly()).readonly(),
  stepIndex: z.number().int(),
  returns: z.array(z.number()).readonly().nullable(),
  createdAt: z.string(),
  /** The league the match counts for (its players' kinds are that league's members'). */
  league: z.string().optional(),
});

/** Largest page `GET /api/matches` returns. */
export const MAX_MATCH_PAGE = 200;

export const ListMatchesQuerySchema = closedObject({
  status: MatchStatusSchema.optional(),
  env: z.string().min(1).max(128).optional().describe('env key, e.g. "tic-tac-toe-v1"'),
  agentId: z.string().min(1).max(128).optional().describe('matches with this agentId in a seat'),
  league: z.string().min(1).max(128).optional().describe('only matches of this league'),
  limit: z.coerce.number().int().min(1).max(MAX_MATCH_PAGE).default(50).describe(`page size, at most ${MAX_MATCH_PAGE}`),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('skip this many (the previous page\'s nextOffset)'),
});

export const MatchPageSchema = z.object({
  matches: z.array(MatchSummaryViewSchema),
  /** Pass as `offset` for the next page; null on the last page. */
  nextOffset: z.number().int().nullable(),
});
export const IdParamsSchema = z.object({ id: z.string().min(1).max(128) });
export const EnvKeyParamsSchema = z.object({ key: z.string().min(1).max(128) });
export const LeagueQuerySchema = z.object({ league: z.string().min(1).max(128).optional() });
export const HistoryQuerySchema = LeagueQuerySchema.extend({ agentId: z.string().min(1).max(128).optional() });

export const AgentIdParamsSchema = z.object({ agentId: z.string().min(1).max(128) });
export const RevokedAgentSchema = z.object({ agentId: z.string(), revoked: z.literal(true) });

export const RegisterAgentInputSchema = closedObject({ agentId: HttpAgentIdSchema });
export const RegisteredAgentSchema = z.object({
  agentId: z.string(),
  /** Shown once: only its hash is stored. */
  token: z.string(),
  createdAt: z.string(),
});

/** Every 4xx/5xx body. `code` comes from the arena or envs error catalogs. */
export const HttpErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string() }),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBodySchema>;
