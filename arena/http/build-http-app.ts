/**
 * The arena's HTTP API: fastify with zod schemas (validation and the OpenAPI document at
 * `GET /docs/json`), `/healthz`, and the `/api/*` routes. Bodies are capped at 64 KiB; every
 * error answer is `{error: {code, message, hint}}` (http-errors.ts).
 */
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';
import { adminGuard } from './admin-auth.ts';
import { registerAgentRoutes } from './agent-routes.ts';
import { registerEnvRoutes } from './env-routes.ts';
import { errorBody, installErrorHandlers } from './http-errors.ts';
import { registerLeagueRoutes } from './league-routes.ts';
import { registerMatchRoutes } from './match-routes.ts';
import { registerAdminRoutes, type RoomLister } from './admin-routes.ts';
import { registerPayoffRoutes } from './payoff-routes.ts';
import { DEFAULT_PLAY_LIMITS, registerPlayRoutes, type PlayLimits } from './play-routes.ts';
import { registerRunRoutes } from './run-routes.ts';
import { DEFAULT_VIEWER_DIR, registerViewerRoutes, wantsViewerPage, type ViewerRoutes } from './viewer-routes.ts';
import type { AssignmentHub } from '../lobby/assignment-hub.ts';
import type { ZodApp } from './zod-app.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  readonly store: LeagueStore;
  readonly matches: MatchManager;
  readonly adminToken: string;
  /** fastify's logger option; default off. */
  readonly logger?: FastifyServerOptions['logger'];
  /** An agent's token was rotated or revoked: end its open connections. */
  readonly onAgentTokenChange?: (agentId: string) => void;
  /** False while shutting down: /healthz answers 503. */
  readonly isReady?: () => boolean;
  /** Connected agents (the admin overview). */
  readonly hub?: AssignmentHub;
  /** Colyseus rooms (the admin overview). */
  readonly rooms?: RoomLister;
  /** Training runs (`<store>/models`); none without it. */
  readonly runsDir?: string;
  /** The built web viewer to serve at / (default web-viewer/dist); false: no viewer. */
  readonly viewerDir?: string | false;
  /** Limits of POST /api/play. */
  readonly playLimits?: PlayLimits;
}

const DOCS_PAGE = `<!doctype html><meta charset="utf-8"><title>Ludus arena API</title>
<h1>Ludus arena API</h1><p>The OpenAPI 3 document is at <a href="/docs/json">/docs/json</a>.
Load it into any OpenAPI viewer.</p>`;

/** Builds the app with every route registered (call `ready()` or `listen()` on it). */
export async function buildHttpApp(options: HttpAppOptions): Promise<ZodApp> {
  const app = Fastify({ bodyLimit: BODY_LIMIT_BYTES, logger: options.logger ?? false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  let viewer: ViewerRoutes | undefined;
  installErrorHandlers(app, (request, reply) => (viewer !== undefined && wantsViewerPage(request) ? viewer.sendIndex(reply) : undefined));
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Ludus arena', version: String(PROTOCOL_VERSION), description: 'Envs, matches, replays, league standings and payoffs, training runs, human play, agent registration, admin.' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'the admin token (LUDUS_ADMIN_TOKEN)' } } },
    },
    transform: jsonSchemaTransform,
  });

  const isReady = options.isReady ?? (() => true);
  app.get('/healthz', { schema: { summary: 'Liveness: 200 while the server takes requests', tags: ['meta'] } }, async (_request, reply) =>
    (isReady() ? { ok: true } : reply.code(503).send(errorBody('internal', 'the server is shutting down', 'retry on another instance'))));
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(DOCS_PAGE));

  const admin = adminGuard(options.adminToken);
  registerEnvRoutes(app);
  registerMatchRoutes(app, options.matches, admin);
  registerLeagueRoutes(app, options.store);
  registerAgentRoutes(app, options.store, admin, options.onAgentTokenChange);
  registerPayoffRoutes(app, options.store);
  registerRunRoutes(app, options.runsDir);
  registerPlayRoutes(app, options.store, options.matches, options.playLimits ?? DEFAULT_PLAY_LIMITS);
  registerAdminRoutes(app, { store: options.store, matches: options.matches, hub: options.hub, rooms: options.rooms }, admin);
  if (options.viewerDir !== false) viewer = await registerViewerRoutes(app, options.viewerDir ?? DEFAULT_VIEWER_DIR);
  return app;
}
