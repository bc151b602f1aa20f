/** Matches over HTTP: create (admin), list, look up, and the replay of an ended match. */
import type { MatchManager } from '../lobby/match-manager.ts';
import {
  CreatedMatchSchema,
  CreateMatchInputSchema,
  HttpErrorBodySchema,
  IdParamsSchema,
  ListMatchesQuerySchema,
  MatchPageSchema,
  MatchSummaryViewSchema,
  type PublicReplay,
} from '../../protocol/http-api.ts';
import { getEnv, type EpisodeRecord } from '../../envs/index.ts';
import { publicReplay } from '../match/public-replay.ts';
import type { AdminAuth } from './admin-auth.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

const unknownMatch = (id: string): HttpError => new HttpError(404, 'unknown-match', `no match "${id.slice(0, 40)}"`, 'list matches with GET /api/matches');

export interface MatchRouteOptions {
  /** Everyone gets full replay records (the seed and every hidden card). */
  readonly fullReplays: boolean;
}

/** Public replays are built once per match (up to ~0.2 s for a 100-hand Kuhn match) and kept for the latest few. */
class PublicReplayCache {
  private readonly entries = new Map<string, EpisodeRecord | PublicReplay>();
  private readonly size: number;
  constructor(size: number) {
    this.size = size;
  }

  get(matchId: string, record: EpisodeRecord): EpisodeRecord | PublicReplay {
    let replay = this.entries.get(matchId);
    if (replay === undefined) replay = publicReplay(getEnv(`${record.env}-v${record.version}`), record);
    this.entries.delete(matchId);
    this.entries.set(matchId, replay);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return replay;
  }
}

export function registerMatchRoutes(app: ZodApp, matches: MatchManager, admin: AdminAuth, options: MatchRouteOptions): void {
  const publicReplays = new PublicReplayCache(16);

  app.post(
    '/api/matches',
    {
      onRequest: admin.guard, // before body parsing and validation: no schema details for strangers
      schema: {
        summary: 'Create a match (admin). Remote seats get seat tokens: give each to its player only.',
        tags: ['matches'],
        security: [{ admin: [] }],
        body: CreateMatchInputSchema,
        response: { 201: CreatedMatchSchema, 400: HttpErrorBodySchema, 401: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await matches.create(request.body)),
  );

  app.get(
    '/api/matches',
    {
      schema: {
        summary: 'Matches, newest first, one page at a time; filter by status, env, agentId and league',
        tags: ['matches'],
        querystring: ListMatchesQuerySchema,
        response: { 200: MatchPageSchema, 400: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const { status, env, agentId, league, limit, offset } = request.query;
      return await matches.list({ limit, offset, ...(status && { status }), ...(env && { env }), ...(agentId && { agentId }), ...(league && { league }) });
    },
  );

  app.get(
    '/api/matches/:id',
    {
      schema: { summary: 'One match', tags: ['matches'], params: IdParamsSchema, response: { 200: MatchSummaryViewSchema, 404: HttpErrorBodySchema } },
    },
    async (request) => {
      const view = await matches.summary(request.params.id);
      if (view === undefined) throw unknownMatch(request.params.id);
      return view;
    },
  );

  app.get(
    '/api/replays/:id',
    {
      schema: {
        summary:
          'The replay of an ended match: the full EpisodeRecord for perfect-information games and for the admin token; ' +
          'otherwise the public replay (no seed, unseen cards blanked, the spectator view of every step)',
        tags: ['matches'],
        params: IdParamsSchema,
      },
    },
    async (request) => {
      const { id } = request.params;
      const record = await matches.replay(id);
      if (record !== undefined) return options.fullReplays || admin.isAdmin(request) ? record : publicReplays.get(id, record);
      const view = await matches.summary(id);
      if (view === undefined) throw unknownMatch(id);
      throw new HttpError(409, 'conflict', `match "${id}" has no replay yet (it is ${view.status})`, 'fetch the replay after the match has ended');
    },
  );
}
