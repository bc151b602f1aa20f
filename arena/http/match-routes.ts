/** Matches over HTTP: create (admin), list, look up, and the replay of an ended match. */
import type { MatchManager } from '../lobby/match-manager.ts';
import {
  CreatedMatchSchema, CreateMatchInputSchema, HttpErrorBodySchema, IdParamsSchema, ListMatchesQuerySchema, MatchPageSchema, MatchSummaryViewSchema,
} from '../../protocol/http-api.ts';
import type { AdminGuard } from './admin-auth.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

const unknownMatch = (id: string): HttpError =>
  new HttpError(404, 'unknown-match', `no match "${id.slice(0, 40)}"`, 'list matches with GET /api/matches');

export function registerMatchRoutes(app: ZodApp, matches: MatchManager, admin: AdminGuard): void {
  app.post('/api/matches', {
    onRequest: admin, // before body parsing and validation: no schema details for strangers
    schema: {
      summary: 'Create a match (admin). Remote seats get seat tokens: give each to its player only.',
      tags: ['matches'],
      security: [{ admin: [] }],
      body: CreateMatchInputSchema,
      response: { 201: CreatedMatchSchema, 400: HttpErrorBodySchema, 401: HttpErrorBodySchema, 404: HttpErrorBodySchema },
    },
  }, async (request, reply) => reply.code(201).send(matches.create(request.body)));

  app.get('/api/matches', {
    schema: {
      summary: 'Matches, newest first, one page at a time; filter by status, env, agentId and league',
      tags: ['matches'],
      querystring: ListMatchesQuerySchema,
      response: { 200: MatchPageSchema, 400: HttpErrorBodySchema },
    },
  }, async (request) => {
    const { status, env, agentId, league, limit, offset } = request.query;
    return matches.list({ limit, offset, ...(status && { status }), ...(env && { env }), ...(agentId && { agentId }), ...(league && { league }) });
  });

  app.get('/api/matches/:id', {
    schema: { summary: 'One match', tags: ['matches'], params: IdParamsSchema, response: { 200: MatchSummaryViewSchema, 404: HttpErrorBodySchema } },
  }, async (request) => {
    const view = matches.summary(request.params.id);
    if (view === undefined) throw unknownMatch(request.params.id);
    return view;
  });

  app.get('/api/replays/:id', {
    schema: { summary: 'The replay record (EpisodeRecord) of an ended match', tags: ['matches'], params: IdParamsSchema },
  }, async (request) => {
    const { id } = request.params;
    const record = matches.replay(id);
    if (record !== undefined) return record;
    const view = matches.summary(id);
    if (view === undefined) throw unknownMatch(id);
    throw new HttpError(409, 'conflict', `match "${id}" has no replay yet (it is ${view.status})`, 'fetch the replay after the match has ended');
  });
}
