/** External agent accounts: registration (admin; the token is shown once) and the list. */
import { LudusError } from '../../envs/index.ts';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import {
  AgentIdParamsSchema,
  HttpErrorBodySchema,
  PageQuerySchema,
  RegisteredAgentSchema,
  RegisterAgentInputSchema,
  RevokedAgentSchema,
} from '../../protocol/http-api.ts';
import { newSecret, type AdminGuard } from './admin-auth.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

const unknownAgent = (agentId: string): HttpError =>
  new HttpError(404, 'not-found', `no registered agent "${agentId.slice(0, 40)}"`, 'list agents with GET /api/agents');

/**
 * `onTokenChange` runs after a rotation or revocation: the arena ends the agent's open
 * connections there, so the old token stops working at once, not at the next connect.
 */
export function registerAgentRoutes(app: ZodApp, store: LeagueStore, admin: AdminGuard, onTokenChange: (agentId: string) => void = () => {}): void {
  app.post(
    '/api/agents',
    {
      onRequest: admin, // before body parsing and validation: no schema details for strangers
      schema: {
        summary: 'Register an external agent (admin). The token is returned once; only its hash is kept.',
        tags: ['agents'],
        security: [{ admin: [] }],
        body: RegisterAgentInputSchema,
        response: { 201: RegisteredAgentSchema, 400: HttpErrorBodySchema, 401: HttpErrorBodySchema, 409: HttpErrorBodySchema },
      },
    },
    async (request, reply) => {
      const token = newSecret('lat');
      try {
        const row = await store.registerAgent(request.body.agentId, token);
        return reply.code(201).send({ ...row, token });
      } catch (error) {
        if (error instanceof LudusError && error.code === 'agent-exists') {
          throw new HttpError(409, 'conflict', `agent "${request.body.agentId}" is already registered`, 'pick another agentId');
        }
        throw error;
      }
    },
  );

  app.post(
    '/api/agents/:agentId/token',
    {
      onRequest: admin,
      schema: {
        summary: "Rotate an agent's token (admin): a new token, returned once; the old one and its open connections are refused at once",
        tags: ['agents'],
        security: [{ admin: [] }],
        params: AgentIdParamsSchema,
        response: { 200: RegisteredAgentSchema, 401: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const token = newSecret('lat');
      const row = await store.rotateAgentToken(request.params.agentId, token);
      if (row === undefined) throw unknownAgent(request.params.agentId);
      onTokenChange(row.agentId);
      return { ...row, token };
    },
  );

  app.delete(
    '/api/agents/:agentId/token',
    {
      onRequest: admin,
      schema: {
        summary: "Revoke an agent's token (admin): refused at once, open connections closed; rotate to issue a new one",
        tags: ['agents'],
        security: [{ admin: [] }],
        params: AgentIdParamsSchema,
        response: { 200: RevokedAgentSchema, 401: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const { agentId } = request.params;
      if (!(await store.revokeAgentToken(agentId))) throw unknownAgent(agentId);
      onTokenChange(agentId);
      return { agentId, revoked: true as const };
    },
  );

  app.get(
    '/api/agents',
    {
      schema: { summary: 'Registered external agents (paged)', tags: ['agents'], querystring: PageQuerySchema },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const agents = await store.listAgents();
      return { agents: agents.slice(offset, offset + limit), total: agents.length, offset, limit };
    },
  );
}
