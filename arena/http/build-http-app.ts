/**
 * The arena's HTTP API: fastify with zod schemas (validation and the OpenAPI document at
 * `GET /docs/json`), `/healthz`, and the `/api/*` routes. Bodies are capped at 64 KiB; every
 * error answer is `{error: {code, message, hint}}` (http-errors.ts). The server drops slow
 * header senders and idle sockets (SERVER_TIMEOUTS), caps connections (connection-guard.ts),
 * rate-limits requests per IP, and sends security headers (helmet, with a CSP that allows
 * the server's own scripts only).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import helmet from 'helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyReply, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LeagueStore } from '../../league/storage/league-store.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import { systemClock } from '../match/clocks.ts';
import { DEFAULT_RATE_POLICY, RateLimiter, type RatePolicy } from '../match/rate-limiter.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';
import { adminAuth } from './admin-auth.ts';
import { registerAgentRoutes } from './agent-routes.ts';
import { ConnectionGuard, type ConnectionLimits, type OriginPolicy } from './connection-guard.ts';
import { registerEnvRoutes } from './env-routes.ts';
import { errorBody, installErrorHandlers } from './http-errors.ts';
import { registerLeagueRoutes } from './league-routes.ts';
import { registerMatchRoutes } from './match-routes.ts';
import { registerAdminRoutes, type RoomLister } from './admin-routes.ts';
import { registerPayoffRoutes } from './payoff-routes.ts';
import { DEFAULT_PLAY_LIMITS, registerPlayRoutes, type PlayLimits } from './play-routes.ts';
import { registerRunRoutes } from './run-routes.ts';
import { DEFAULT_VIEWER_DIR, registerViewerRoutes, wantsViewerPage, type ViewerRoutes } from './viewer-routes.ts';
import type { AgentHub } from '../lobby/assignment-hub.ts';
import type { ZodApp } from './zod-app.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * CSP hashes of the inline scripts of the built viewer's index.html, re-read when the build
 * changes. Every response carries the header, so the file is looked at (one stat) at most once
 * a second, not once per request.
 */
let hashCache: { readonly key: string; readonly value: string; readonly file: string; readonly checkedAt: number } | undefined;
const HASH_RECHECK_MS = 1000;
function inlineScriptHashes(viewerDir: string | undefined): string {
  if (viewerDir === undefined) return '';
  const file = join(viewerDir, 'index.html');
  const now = performance.now();
  if (hashCache?.file === file && now - hashCache.checkedAt < HASH_RECHECK_MS) return hashCache.value;
  try {
    const key = `${file}:${statSync(file).mtimeMs}`;
    if (hashCache?.key === key) {
      hashCache = { ...hashCache, checkedAt: now };
      return hashCache.value;
    }
    const html = readFileSync(file, 'utf8');
    const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
    );
    hashCache = { key, value: hashes.join(' '), file, checkedAt: now };
    return hashCache.value;
  } catch {
    hashCache = { key: '', value: '', file, checkedAt: now };
    return ''; // no build yet
  }
}

export interface ServerTimeouts {
  /** A client must finish sending request headers within this. Default 10 s. */
  readonly headersTimeoutMs: number;
  /** A whole request (headers and body) within this; above socket.io's 25 s long-poll. Default 60 s. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive socket closes after this. Default 5 s. */
  readonly keepAliveTimeoutMs: number;
  /** A socket with no traffic at all closes after this (WebSockets are exempt: their pings keep them). Default 120 s. */
  readonly idleTimeoutMs: number;
  /** How often Node checks the header and request deadlines. Default 1 s. */
  readonly checkIntervalMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 120_000,
  checkIntervalMs: 1_000,
};

/** The guard of each app's http.Server (the realtime transports check upgrades with it). */
const guards = new WeakMap<object, ConnectionGuard>();
export const connectionGuardOf = (app: ZodApp): ConnectionGuard => guards.get(app.server)!;

export interface HttpAppOptions {
  readonly store: LeagueStore;
  readonly matches: MatchManager;
  readonly adminToken: string;
  /** fastify's logger option; default off. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Serve full replay records (seed, every hidden card) to everyone, not only with the admin token. Default false. */
  readonly fullReplays?: boolean;
  /** Header and idle timeouts; defaults SERVER_TIMEOUTS. */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Connection caps and the WebSocket Origin allow-list. */
  readonly connections?: ConnectionLimits & OriginPolicy;
  /** The rate policy (its `http` bucket limits requests per IP). */
  readonly rates?: RatePolicy;
  /** An agent's token was rotated or revoked: end its open connections. */
  readonly onAgentTokenChange?: (agentId: string) => void;
  /** False while shutting down: /healthz answers 503. */
  readonly isReady?: () => boolean;
  /** Connected agents (the admin overview). */
  readonly hub?: AgentHub;
  /** Colyseus rooms (the admin overview). */
  readonly rooms?: RoomLister;
  /** In a cluster: the URL of the other process that runs a match (an admin abort is passed on to it). */
  readonly matchElsewhere?: (matchId: string) => Promise<string | undefined>;
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
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  let guard: ConnectionGuard | undefined;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: options.logger ?? false,
    // Malformed ids in URLs up to the documented 128 characters reach the routes (and their typed errors).
    routerOptions: { maxParamLength: 512 },
    connectionTimeout: timeouts.idleTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // Errors before routing (a malformed URL) and below HTTP (unparsable requests, header timeouts) in the one format too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.code(400).send(errorBody('bad-request', `the request URL is malformed (${error.code})`, 'percent-encode the path and query'));
    },
    clientErrorHandler: (error, socket) => {
      const timedOut = (error as NodeJS.ErrnoException).code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const body = JSON.stringify(
        timedOut
          ? errorBody('timeout', 'the request was not received in time', 'send the whole request promptly')
          : errorBody('bad-request', 'the request is not valid HTTP', 'send a well-formed HTTP/1.1 request'),
      );
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\n` +
            `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy();
    },
    serverFactory: (handler) => {
      const server: Server = createServer(
        {
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          connectionsCheckingInterval: timeouts.checkIntervalMs,
        },
        handler,
      );
      guard = new ConnectionGuard(server, options.connections);
      return server;
    },
  }).withTypeProvider<ZodTypeProvider>();
  guards.set(app.server, guard!);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  let viewer: ViewerRoutes | undefined;
  installErrorHandlers(app, (request, reply) => (viewer !== undefined && wantsViewerPage(request) ? viewer.sendIndex(reply) : undefined));

  // Before anything else: an over-cap connection or a flooding address gets its typed refusal and costs nothing more.
  const perIp = new RateLimiter((options.rates ?? DEFAULT_RATE_POLICY).http, systemClock);
  app.addHook('onRequest', async (request, reply) => {
    const refused = guard!.capRefusal(request.raw.socket);
    if (refused !== undefined)
      return reply
        .code(503)
        .header('connection', 'close')
        .send(errorBody(refused.code, refused.message, refused.hint));
    if (perIp.take(request.ip) !== 'ok') {
      return reply
        .code(429)
        .header('retry-after', '1')
        .send(errorBody('rate-limited', 'too many requests from your address', 'slow down'));
    }
    return undefined;
  });
  // Helmet's middleware is built once (@fastify/helmet built it again on every request).
  const securityHeaders = helmet({
    // The arena usually runs on plain http (a LAN, localhost): no upgrade-insecure-requests, no HSTS.
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The viewer's index.html sets the theme before first paint with one inline script: allowed by its hash only.
        scriptSrc: [
          "'self'",
          "'wasm-unsafe-eval'",
          () => inlineScriptHashes(options.viewerDir === false ? undefined : (options.viewerDir ?? DEFAULT_VIEWER_DIR)),
        ],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Ludus arena',
        version: String(PROTOCOL_VERSION),
        description: 'Envs, matches, replays, league standings and payoffs, training runs, human play, agent registration, admin.',
      },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer', description: 'the admin token (LUDUS_ADMIN_TOKEN)' } } },
    },
    transform: jsonSchemaTransform,
  });

  const isReady = options.isReady ?? (() => true);
  app.get('/healthz', { schema: { summary: 'Liveness: 200 while the server takes requests', tags: ['meta'] } }, async (_request, reply) =>
    isReady() ? { ok: true } : reply.code(503).send(errorBody('internal', 'the server is shutting down', 'retry on another instance')),
  );
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(DOCS_PAGE));

  const admin = adminAuth(options.adminToken);
  registerEnvRoutes(app);
  registerMatchRoutes(app, options.matches, admin, { fullReplays: options.fullReplays === true });
  registerLeagueRoutes(app, options.store);
  registerAgentRoutes(app, options.store, admin.guard, options.onAgentTokenChange);
  registerPayoffRoutes(app, options.store);
  registerRunRoutes(app, options.runsDir);
  registerPlayRoutes(app, options.store, options.matches, options.playLimits ?? DEFAULT_PLAY_LIMITS);
  registerAdminRoutes(
    app,
    { store: options.store, matches: options.matches, hub: options.hub, rooms: options.rooms, elsewhere: options.matchElsewhere },
    admin.guard,
  );
  if (options.viewerDir !== false) viewer = await registerViewerRoutes(app, options.viewerDir ?? DEFAULT_VIEWER_DIR);
  return app;
}
