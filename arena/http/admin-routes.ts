/**
 * The admin page's routes (admin token): an overview of what runs (live matches, Colyseus
 * rooms with their process, agents online, registered agents) and aborting a match (stored
 * as aborted, like a shutdown would).
 */
import { HttpErrorBodySchema, IdParamsSchema } from '../../protocol/http-api.ts';
import { AbortedSchema, AdminOverviewSchema, type AdminOverview } from '../../protocol/viewer-api.ts';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import type { AgentHub } from '../lobby/assignment-hub.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import type { AdminGuard } from './admin-auth.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';
import { MAX_MATCH_PAGE } from '../../protocol/http-api.ts';

export type RoomLister = () => Promise<AdminOverview['rooms']>;

export interface AdminRouteDeps {
  readonly store: LeagueStore;
  readonly matches: MatchManager;
  readonly hub?: AgentHub | undefined;
  readonly rooms?: RoomLister | undefined;
  /** In a cluster: the URL of the other process that runs a match, which the abort is passed on to. */
  readonly elsewhere?: ((matchId: string) => Promise<string | undefined>) | undefined;
}

export function registerAdminRoutes(app: ZodApp, deps: AdminRouteDeps, admin: AdminGuard): void {
  app.get(
    '/api/admin/overview',
    {
      onRequest: admin,
      schema: {
        summary: 'Admin: live matches, Colyseus rooms, agents online, registered agents',
        tags: ['admin'],
        security: [{ admin: [] }],
        response: { 200: AdminOverviewSchema, 401: HttpErrorBodySchema },
      },
    },
    async () => {
      const hub = deps.hub;
      return {
        live: [
          ...(await deps.matches.list({ status: 'live', limit: MAX_MATCH_PAGE })).matches,
          ...(await deps.matches.list({ status: 'waiting', limit: MAX_MATCH_PAGE })).matches,
        ],
        agentsOnline: hub ? hub.onlineAgents().map((agentId) => ({ agentId, connections: hub.connectionCount(agentId) })) : [],
        registered: (await deps.store.listAgents()).map(({ agentId, createdAt }) => ({ agentId, createdAt })),
        rooms: deps.rooms ? await deps.rooms() : [],
      };
    },
  );

  app.post(
    '/api/admin/matches/:id/abort',
    {
      onRequest: admin,
      schema: {
        summary: 'Admin: abort a running match (stored as aborted; players get match:end with reason "aborted")',
        tags: ['admin'],
        security: [{ admin: [] }],
        params: IdParamsSchema,
        response: { 200: AbortedSchema, 401: HttpErrorBodySchema, 404: HttpErrorBodySchema, 409: HttpErrorBodySchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const runner = deps.matches.get(id);
      const owner = runner === undefined ? await deps.elsewhere?.(id) : undefined;
      if (owner !== undefined) {
        // Another process of the cluster runs it: it aborts it (the cluster shares the admin token).
        const answer = await fetch(`${owner}/api/admin/matches/${encodeURIComponent(id)}/abort`, {
          method: 'POST',
          headers: { authorization: request.headers.authorization ?? '' },
          signal: AbortSignal.timeout(10_000),
        });
        // The owner's answer (its abort, or its typed error) is passed on as it is.
        const body = (await answer.json()) as { matchId: string; status: string };
        return reply.code(answer.status as 200 | 401 | 404 | 409).send(body);
      }
      if (runner === undefined)
        throw new HttpError(404, 'unknown-match', `no running match "${id.slice(0, 40)}"`, 'list live matches with GET /api/matches?status=live');
      if (runner.isOver) throw new HttpError(409, 'conflict', `match "${id}" has already ended`, 'nothing to abort');
      runner.abort();
      await runner.whenIdle();
      return { matchId: id, status: (await deps.matches.summary(id))?.status ?? 'aborted' };
    },
  );
}
