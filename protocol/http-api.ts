/**
 * zod schemas of the HTTP API's bodies (fastify validates with them and the OpenAPI document
 * at `/docs/json` is generated from them). Importable by clients: zod only.
 */
import { z } from 'zod';
import { closedObject } from './closed-object.ts';

/** League agentIds: lower-case letters, digits, ".", "_" and "-" (the league's slug rule); people are `human:<slug>`. */
export const HttpAgentIdSchema = z
  .string()
  .max(128)
  .regex(/^(?:human:)?[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit (people: "human:<name>")');

export const SeatInputSchema = z.discriminatedUnion('kind', [
  closedObject({ kind: z.literal('remote'), agentId: HttpAgentIdSchema.optional() }),
  closedObject({ kind: z.literal('agent'), agent: z.string().min(1).max(256), agentId: HttpAgentIdSchema.optional() }),
]);
export type SeatInput = z.infer<typeof SeatInputSchema>;

export const CreateMatchInputSchema = closedObject({
  env: z.string().min(1).max(128).describe('env key, e.g. "tic-tac-toe-v1" (GET /api/envs)'),
  params: z.record(z.string(), z.unknown()).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
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
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe("skip this many (the previous page's nextOffset)"),
});

export const MatchPageSchema = z.object({
  matches: z.array(MatchSummaryViewSchema),
  /** Pass as `offset` for the next page; null on the last page. */
  nextOffset: z.number().int().nullable(),
});
export const IdParamsSchema = z.object({ id: z.string().min(1).max(128) });
export const EnvKeyParamsSchema = z.object({ key: z.string().min(1).max(128) });
/** Most rows any list route returns in one answer; `limit` above it is a 400. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
const LimitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`rows per page, at most ${MAX_PAGE_SIZE}`);
/** Offset paging, for short lists (leagues, members, standings, agents). */
export const PageQuerySchema = z.object({
  limit: LimitSchema,
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(0)
    .describe('rows to skip'),
});

export const LeagueQuerySchema = z.object({ league: z.string().min(1).max(128).optional() });
export const LeaguePageQuerySchema = LeagueQuerySchema.extend(PageQuerySchema.shape);
/** History pages go back in time: `before` is the `next` of the previous page (match indexes below it). */
export const HistoryQuerySchema = LeagueQuerySchema.extend({
  agentId: z.string().min(1).max(128).optional(),
  limit: LimitSchema,
  before: z.coerce.number().int().min(0).optional().describe("only matches with an index below this (the previous page's `next`)"),
});

/** A replay entry as the public sees it: `action: null` (and `hidden` seats of a joint entry) for what no spectator saw. */
export const PublicHistoryEntrySchema = z.union([
  z.object({ kind: z.literal('chance'), action: z.number().int().min(0).nullable() }),
  z.object({ kind: z.literal('decision'), seat: z.number().int().min(0), action: z.number().int().min(0).nullable() }),
  z.object({ kind: z.literal('text'), seat: z.number().int().min(0), text: z.string().nullable() }),
  z.object({ kind: z.literal('joint'), actions: z.array(z.number().int().min(0).nullable()), hidden: z.array(z.number().int().min(0)).optional() }),
]);
export type PublicHistoryEntry = z.infer<typeof PublicHistoryEntrySchema>;

/**
 * The public replay of an imperfect-information match (`GET /api/replays/:id` without the admin
 * token): no seed, hidden entries blanked, and the spectator's view before the first and after
 * every step (`views`, length history + 1) to step through. Perfect-information matches are
 * served as their full EpisodeRecord.
 */
export const PublicReplaySchema = z.object({
  format: z.literal(1),
  env: z.string(),
  version: z.number().int().positive(),
  params: z.unknown(),
  redacted: z.literal(true),
  history: z.array(PublicHistoryEntrySchema),
  /** The env's spectator view (JSON) at each step. */
  views: z.array(z.unknown()),
  /** The move list: one line per history entry (hidden ones say so). */
  moves: z.array(z.string()),
  /** The final returns, per seat. */
  returns: z.array(z.number()),
});
export type PublicReplay = z.infer<typeof PublicReplaySchema>;

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
