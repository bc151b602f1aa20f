/**
 * Serves the built web viewer (web-viewer/dist, built by `ludus serve`/`ludus start` or
 * `npm run build:viewer`) on the arena's own port: hashed assets under /assets/ (cached for a
 * year), and index.html for every page route (/, /match/:id, /replay/:id, ...) so each is a
 * real, deep-linkable path. The fallback for other unknown GETs that want HTML never takes
 * /api, /docs, /colyseus, /socket.io or /healthz: those keep their JSON 404s.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodApp } from './zod-app.ts';
import { packagePath } from '../package-path.ts';

/** web-viewer/dist of this checkout. */
export const DEFAULT_VIEWER_DIR = `${packagePath('web-viewer', 'dist')}/`;

/** The viewer's page routes (web-viewer/src/main.tsx). */
export const VIEWER_PAGES = [
  '/',
  '/match/:id',
  '/replay/:id',
  '/play',
  '/league',
  '/league/:name',
  '/runs',
  '/runs/:name',
  '/envs',
  '/envs/:key',
  '/admin',
] as const;

const RESERVED = /^\/(api|docs|colyseus|socket\.io|healthz|assets)(\/|$)/;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Ludus</title>
<h1>The web viewer is not built</h1><p>Run <code>npm run build:viewer</code> (or start the server with
<code>npx ludus serve</code>, which builds it), then reload. The API is at <a href="/docs">/docs</a>.</p>`;

/** True for a request the viewer's index.html should answer when no route matched. */
export function wantsViewerPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (RESERVED.test(path)) return false;
  return String(request.headers.accept ?? '').includes('text/html');
}

export interface ViewerRoutes {
  /** Sends index.html (the not-found fallback calls it for page-like requests). */
  sendIndex(reply: FastifyReply): FastifyReply;
}

export async function registerViewerRoutes(app: ZodApp, dir: string = DEFAULT_VIEWER_DIR): Promise<ViewerRoutes> {
  const assets = join(dir, 'assets');
  // Loaded here, not at the top: CLI commands that never serve pages do not pay for it.
  const { default: fastifyStatic } = await import('@fastify/static');
  // Registered whether or not the build exists yet: a build made after start is picked up.
  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/assets/',
    decorateReply: true,
    index: false,
    immutable: true,
    maxAge: '365d',
  });
  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!existsSync(join(dir, 'index.html'))) return reply.code(503).type('text/html').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', dir, { cacheControl: false });
  };
  for (const page of VIEWER_PAGES) {
    app.get(page, { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  }
  return { sendIndex };
}
