/**
 * zod schemas of the HTTP routes the web viewer needs beyond the core API: standings and
 * history bodies, the payoff matrix with its Nash mixture, training-run metrics, human play,
 * and the admin overview. The server validates/serializes with them and documents them in
 * the OpenAPI document; the viewer parses the answers with the same schemas. Zod only.
 */
import { z } from 'zod';
import { MatchSummaryViewSchema } from './http-api.ts';

// ---- league

export const StandingSchema = z.object({
  agentId: z.string(),
  elo: z.number(),
  rating: z.number().describe('Bradley–Terry rating on the Elo scale (mean 1000)'),
  ci: z.tuple([z.number(), z.number()]).readonly().describe('95% bootstrap confidence interval of rating'),
  rankUpper: z.number().int(),
  games: z.number().int(),
  openskill: z.object({ mu: z.number(), sigma: z.number(), ordinal: z.number() }).optional(),
});
export const StandingsResponseSchema = z.object({
  league: z.string(),
  env: z.string(),
  matches: z.number().int(),
  standings: z.array(StandingSchema),
  /** Paging (GET /api/league/standings?limit=&offset=): all standings, and this page's place. */
  total: z.number().int().optional(),
  offset: z.number().int().optional(),
  limit: z.number().int().optional(),
});
export type StandingsResponse = z.infer<typeof StandingsResponseSchema>;

export const PayoffCellSchema = z.object({
  games: z.number().int(),
  wins: z.number(),
  draws: z.number(),
  losses: z.number(),
  /** Row member's score against the column member: (wins + draws / 2) / games; null without games. */
  score: z.number().nullable(),
});
export const PayoffResponseSchema = z.object({
  league: z.string(),
  env: z.string(),
  utility: z.string(),
  /** 'payoff' for zero-sum/general-sum envs; 'cross-play' for cooperative ones (cells hold the mean team return). */
  kind: z.enum(['payoff', 'cross-play']),
  agentIds: z.array(z.string()),
  cells: z.array(z.array(PayoffCellSchema)),
  /** Mean return of row member with column member (cross-play only). */
  crossPlay: z.array(z.array(z.number().nullable())).optional(),
  /** The Nash mixture over the members of the two-player zero-sum meta-game. */
  nash: z.object({ weights: z.record(z.string(), z.number()), value: z.number(), gap: z.number() }).nullable(),
});
export type PayoffResponse = z.infer<typeof PayoffResponseSchema>;

export const PayoffQuerySchema = z.object({ league: z.string().min(1).max(128).optional() });

// ---- training runs

export const RunNameParamsSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a run name: letters, digits, ".", "_" and "-"'),
});
export const RunSummarySchema = z.object({
  name: z.string(),
  env: z.string().nullable(),
  updates: z.number().int(),
  seconds: z.number(),
  modifiedAt: z.string(),
});
export const RunListSchema = z.object({ runs: z.array(RunSummarySchema) });
/** One metrics.jsonl line (update, eval or snapshot); fields as the trainer writes them. */
export const MetricsLineSchema = z.looseObject({ type: z.string(), update: z.number(), seconds: z.number() });
export const RunMetricsSchema = z.object({ name: z.string(), lines: z.array(MetricsLineSchema), truncated: z.boolean() });
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

// ---- human play

/** A player's name: the human's league identity is `human:<name>`. */
export const PlayerNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');

export const PlayOpponentSchema = z.object({
  /** What to send as `opponent`. */
  id: z.string(),
  label: z.string(),
  /** 'member': a league member played in-process with its own spec and rating; 'agent': a built-in agent spec. */
  source: z.enum(['member', 'agent']),
});
export const PlayOpponentsSchema = z.object({ env: z.string(), opponents: z.array(PlayOpponentSchema) });
export const PlayOpponentsQuerySchema = z.object({ env: z.string().min(1).max(128) });

export const PlayInputSchema = z.strictObject({
  env: z.string().min(1).max(128),
  /** An id from GET /api/play/opponents. */
  opponent: z.string().min(1).max(256),
  seat: z.union([z.number().int().min(0).max(63), z.literal('random')]).default('random'),
  name: PlayerNameSchema,
});
export const PlayStartedSchema = z.object({
  matchId: z.string(),
  env: z.string(),
  seat: z.number().int(),
  /** Secret: this seat's token only (join the Colyseus `match` room with { matchId, seatToken }). */
  seatToken: z.string(),
  agentId: z.string(),
  opponent: z.string(),
  league: z.string(),
});
export type PlayStarted = z.infer<typeof PlayStartedSchema>;

// ---- admin

export const AdminOverviewSchema = z.object({
  live: z.array(MatchSummaryViewSchema),
  agentsOnline: z.array(z.object({ agentId: z.string(), connections: z.number().int() })),
  registered: z.array(z.object({ agentId: z.string(), createdAt: z.string() })),
  rooms: z.array(z.object({ roomId: z.string(), name: z.string(), clients: z.number().int(), processId: z.string(), matchId: z.string().nullable() })),
});
export type AdminOverview = z.infer<typeof AdminOverviewSchema>;
export const AbortedSchema = z.object({ matchId: z.string(), status: z.string() });
