/**
 * The arena's composition root: the match registry, the HTTP API, and (optionally) the two
 * realtime transports on fastify's own http.Server (docs/ARCHITECTURE.md): Colyseus
 * room sockets under /colyseus, socket.io under /socket.io (namespace /agents), any other
 * upgrade destroyed. It never listens; `arena/main.ts` does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';
import type { LeagueConfig } from '../league/config/league-config.ts';
import type { LeagueStore } from '../league/storage/league-store.ts';
import type { SocketGatewayOptions } from './gateway/socketio-gateway.ts';
import type { RoomLister } from './http/admin-routes.ts';
import { buildHttpApp, connectionGuardOf, type ServerTimeouts } from './http/build-http-app.ts';
import type { PlayLimits } from './http/play-routes.ts';
import { checkAdminToken } from './http/admin-auth.ts';
import { refuseUpgrade, sendRefusal, type ConnectionGuard, type ConnectionLimits, type OriginPolicy } from './http/connection-guard.ts';
import { ratePolicy, type RatePolicy } from './match/rate-limiter.ts';
import type { ZodApp } from './http/zod-app.ts';
import { LiveLeague } from './league/live-league.ts';
import { AssignmentHub } from './lobby/assignment-hub.ts';
import type { Clock } from './match/clocks.ts';
import type { MatchSettingsInput } from './match/match-config.ts';
import { MatchManager } from './lobby/match-manager.ts';
import { MatchQueue, type MatchQueueOptions } from './lobby/match-queue.ts';
import type { AttachColyseusOptions } from './rooms/attach-colyseus.ts';

export interface BuildArenaOptions {
  readonly store: LeagueStore;
  readonly adminToken: string;
  readonly clock?: Clock;
  /** Settings every match starts from (clocks, timeout policy, ...). */
  readonly defaultSettings?: MatchSettingsInput;
  /** This process's id in a store several processes share (see MatchManagerOptions.nodeId). */
  readonly nodeId?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** The socket.io agent gateway; default on. Registered agents authenticate with their store token. */
  readonly socketio?: boolean | SocketGatewayOptions;
  /** Colyseus rooms; default on. Its matchmaker is a process singleton: one such arena per process at a time. */
  readonly colyseus?: boolean | AttachColyseusOptions;
  /** The env queue's move times (default 30 s; entries may ask for up to 10 minutes). */
  readonly queue?: MatchQueueOptions;
  /** Training runs to list in the viewer (`<store>/models`). */
  readonly runsDir?: string;
  /** The built web viewer to serve at / (default web-viewer/dist); false: none. */
  readonly viewerDir?: string | false;
  /** Limits of human play (POST /api/play). */
  readonly playLimits?: PlayLimits;
  /** A league to serve live (arena/league/live-league.ts); it starts with `arena.league.start()` (startArenaServer does, once listening). */
  readonly league?: LeagueConfig;
  /** Serve full replay records (seed, folded hands) to everyone; default false: only with the admin token. */
  readonly fullReplays?: boolean;
  /** Connection caps (global, per IP) and the WebSocket Origin allow-list (default: same origin). */
  readonly connections?: ConnectionLimits & OriginPolicy;
  /** Header and idle timeouts of the http.Server. */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Rate limits, per identity across connections (agent, seat token, IP); defaults DEFAULT_RATE_POLICY. */
  readonly rates?: Partial<RatePolicy>;
  /** Pending or live matches one agent may hold from the env queue. Default 4. */
  readonly maxMatchesPerAgent?: number;
  /** A queue pairing whose seats have not all joined by then is aborted (freeing the agents' quota). Default 20 s. */
  readonly queueStartTimeoutMs?: number;
}

export interface Arena {
  readonly app: ZodApp;
  readonly matches: MatchManager;
  /** Connected agents by agentId: schedulers assign them matches here. */
  readonly hub: AssignmentHub;
  /** The live league, when built with one. */
  readonly league: LiveLeague | undefined;
  /** Connection counts and the caps and Origin rules every transport is checked against. */
  readonly connections: ConnectionGuard;
  /** Stops taking requests, aborts running matches (stored as aborted), closes transports and the app. Idempotent. */
  close(): Promise<void>;
}

const SOCKET_IO_PATH = '/socket.io';
const pathOf = (req: IncomingMessage): string => new URL(req.url ?? '/', 'http://x').pathname;

export async function buildArena(options: BuildArenaOptions): Promise<Arena> {
  const { store } = options;
  checkAdminToken(options.adminToken);
  const rates = ratePolicy(options.rates);
  const matches = await MatchManager.open({
    store,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.defaultSettings === undefined ? {} : { defaultSettings: options.defaultSettings }),
    ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
  });
  const hub = new AssignmentHub();
  const queue = new MatchQueue(matches, {
    ...options.queue,
    ...(options.maxMatchesPerAgent === undefined ? {} : { maxMatchesPerAgent: options.maxMatchesPerAgent }),
    ...(options.queueStartTimeoutMs === undefined ? {} : { startTimeoutMs: options.queueStartTimeoutMs }),
  });
  // Built before anything listens: a bad or changed league config fails the start.
  const league = options.league === undefined ? undefined : await LiveLeague.open({ config: options.league, store, matches, hub });
  let isClosing = false;
  let listRooms: RoomLister | undefined;
  const app = await buildHttpApp({
    store,
    matches,
    hub,
    adminToken: options.adminToken,
    isReady: () => !isClosing,
    rates,
    rooms: async () => (listRooms ? listRooms() : []),
    onAgentTokenChange: (agentId) => {
      hub.disconnectAgent(agentId);
    },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.runsDir === undefined ? {} : { runsDir: options.runsDir }),
    ...(options.viewerDir === undefined ? {} : { viewerDir: options.viewerDir }),
    ...(options.playLimits === undefined ? {} : { playLimits: options.playLimits }),
    ...(options.fullReplays === undefined ? {} : { fullReplays: options.fullReplays }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
  });
  const guard = connectionGuardOf(app);
  const closers: (() => Promise<void>)[] = [];
  const claims: ((req: IncomingMessage) => boolean)[] = [];

  if (options.colyseus !== false) {
    // Loaded only when used: Colyseus is heavy and holds process-wide state.
    const { attachColyseus, isColyseusUpgrade, COLYSEUS_PREFIX } = await import('./rooms/attach-colyseus.ts');
    const colyseusOptions = {
      lobby: { hub, queue, verifyAgentToken: (token: string) => store.verifyAgentToken(token) },
      rates,
      ...(typeof options.colyseus === 'object' ? options.colyseus : {}),
    };
    const attachment = await attachColyseus(app, matches, colyseusOptions);
    listRooms = () => attachment.listRooms();
    closers.push(() => attachment.close());
    claims.push(isColyseusUpgrade(colyseusOptions.prefix ?? COLYSEUS_PREFIX));
  }
  if (options.socketio !== false) {
    const { attachSocketGateway } = await import('./gateway/socketio-gateway.ts');
    const gatewayOptions: SocketGatewayOptions = {
      verifyAgentToken: (token) => store.verifyAgentToken(token),
      agents: { hub, queue },
      rateLimit: rates.gateway,
      ...(typeof options.socketio === 'object' ? options.socketio : {}),
    };
    const gateway = attachSocketGateway(app.server, matches, gatewayOptions);
    closers.push(() => gateway.close());
    const ioPath = `${(gatewayOptions.path ?? SOCKET_IO_PATH).replace(/\/$/, '')}/`;
    claims.push((req) => pathOf(req).startsWith(ioPath));
    // socket.io's long-polling handshakes are plain requests (engine.io took over 'request'): the same gate.
    const handlers = app.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    app.server.removeAllListeners('request');
    app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const refused = pathOf(req).startsWith(ioPath) ? guard.refusal(req) : undefined;
      if (refused !== undefined) {
        sendRefusal(res, refused);
        return;
      }
      for (const handler of handlers) handler.call(app.server, req, res);
    });
  }
  // One gate before every transport's upgrade handler: caps and Origin first, then an upgrade
  // no transport claims is closed (it would hang open).
  const transports = app.server.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  app.server.removeAllListeners('upgrade');
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!claims.some((claim) => claim(req))) {
      socket.destroy();
      return;
    }
    const refused = guard.refusal(req);
    if (refused !== undefined) {
      refuseUpgrade(socket, refused);
      return;
    }
    for (const transport of transports) transport.call(app.server, req, socket, head);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      isClosing = true;
      await league?.stop({ abort: true });
      await matches.close();
      for (const closer of closers.reverse()) await closer().catch(() => undefined);
      await app.close();
    })());
  return { app, matches, hub, league, connections: guard, close };
}
