/** External agent accounts: registration (admin; the token is shown once) and the list. */
import { LudusError } from '../../envs/index.ts';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import { HttpErrorBodySchema, PageQuerySchema, RegisteredAgentSchema, RegisterAgentInputSchema } from '../../protocol/http-api.ts';
import { newSecret, type AdminGuard } from './admin-auth.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

export function registerAgentRoutes(app: ZodApp, store: LeagueStore, admin: AdminGuard): void {
  app.post('/api/agents', {
    onRequest: admin, // before body parsing and validation: no schema details for strangers
    schema: {
      summary: 'Register an external agent (admin). The token is returned once; only its hash is kept.',
      tags: ['agents'],
      security: [{ admin: [] }],
      body: RegisterAgentInputSchema,
      response: { 201: RegisteredAgentSchema, 400: HttpErrorBodySchema, 401: HttpErrorBodySchema, 409: HttpErrorBodySchema },
    },
  }, async (request, reply) => {
    const token = newSecret('lat');
    try {
      const row = store.registerAgent(request.body.agentId, token);
      return reply.code(201).send({ ...row, token });
    } catch (error) {
      if (error instanceof LudusError && error.code === 'agent-exists') {
        throw new HttpError(409, 'conflict', `agent "${request.body.agentId}" is already registered`, 'pick another agentId');
      }
      throw error;
    }
  });

  app.get('/api/agents', {
    schema: { summary: 'Registered external agents (paged)', tags: ['agents'], querystring: PageQuerySchema },
  }, async (request) => {
    const { limit, offset } = request.query;
    const agents = store.listAgents();
    return { agents: agents.slice(offset, offset + limit), total: agents.length, offset, limit };
  });
}
