/**
 * Puts Colyseus on fastify's own http.Server (one port for HTTP, socket.io and Colyseus),
 * (docs/ARCHITECTURE.md): no Colyseus `Server` (it would answer every HTTP request
 * and take every upgrade); instead the matchmaker, a WebSocket transport attached with a filter
 * that takes only room sockets under the prefix, and the matchmake route as a fastify route.
 * The SDK endpoint is `http://host:port<prefix>`. The matchmaker is a process singleton:
 * attach once per process, and close before attaching again.
 */
import './pm2-off.ts';
import './node20-shim.ts';
import type { IncomingMessage } from 'node:http';
import { createAuthContext, ErrorCode, matchMaker, type MatchMakerDriver, type Presence } from '@colyseus/core';
import { setLogger } from '@colyseus/core/Logger';
import { setTransport } from '@colyseus/core/Transport';
import { WebSocketTransport } from '@colyseus/ws-transport';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { httpStatusOf, isArenaErrorCode, wireError, type WireError } from '../../protocol/errors.ts';
import { MAX_MESSAGE_BYTES } from '../../protocol/messages.ts';
import { systemClock } from '../match/clocks.ts';
import { DEFAULT_RATE_POLICY, identityKey, RateLimiter, type RatePolicy } from '../match/rate-limiter.ts';
import type { MatchManagerApi } from '../lobby/match-manager-api.ts';
import { AGENT_LOBBY_ROOM_NAME } from '../../protocol/assignment.ts';
import { agentLobbyRoomType, type AgentLobbyDeps } from './agent-lobby-room.ts';
import { IndexedRoomDriver } from './indexed-room-driver.ts';
import { MATCH_ROOM_NAME, matchRoomType, type MatchRoomSettings } from './match-room.ts';

export const COLYSEUS_PREFIX = '/colyseus';

export interface AttachColyseusOptions {
  /** Path prefix of the matchmake route and the room sockets. Default '/colyseus'. */
  readonly prefix?: string;
  /**
   * Largest client frame the socket accepts; bigger frames close it (code 1009). Kept above
   * MAX_MESSAGE_BYTES so a message between the two gets the runner's typed
   * 'payload-too-large' Ack instead of a dropped connection. Default 4 x MAX_MESSAGE_BYTES.
   */
  readonly maxPayloadBytes?: number;
  /** The `agents` lobby room (assignments and the env queue for registered agents); none without it. */
  readonly lobby?: Omit<AgentLobbyDeps, 'limiter'>;
  /** The server's rate policy (its `rooms` and `matchmake` buckets); default DEFAULT_RATE_POLICY. */
  readonly rates?: RatePolicy;
  /** One process of a cluster: matchmaking shared through Redis (arena/cluster/); default: this process alone. */
  readonly cluster?: ColyseusCluster;
}

/** What Colyseus needs to share rooms between the processes of a cluster. */
export interface ColyseusCluster {
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** `host:port<prefix>`, no scheme: where clients dial this process's room sockets. */
  readonly publicAddress: string;
  /** This process's node id: agents joining the lobby through it get its own lobby. */
  readonly nodeId: string;
  /** The Colyseus process id of the process that runs the match (its MatchRunner), if known. */
  readonly ownerOf: (matchId: string) => Promise<string | undefined>;
}

type MatchmakeCall = { ok: true; method: string; target: string } | { ok: false; error: WireError };

/**
 * Which matchmake calls a client may make. Rooms are created by the server's rules only: `join`
 * and `joinOrCreate` reach the one room of a match the manager holds (its onCreate refuses any
 * other matchId) or the one agents lobby; `joinById` and `reconnect` reach rooms that exist.
 * `create` (a fresh room on every call: the room flood) is refused.
 */
export function matchmakeCall(method: string, roomName: string, roomNames: ReadonlySet<string>): MatchmakeCall {
  if (method === 'joinById' || method === 'reconnect') return { ok: true, method, target: roomName };
  if (method === 'create') {
    return { ok: false, error: wireError('forbidden', 'rooms are created by the server', 'join a match room with join or joinOrCreate and its matchId') };
  }
  if (method !== 'join' && method !== 'joinOrCreate') {
    return { ok: false, error: wireError('not-found', `no matchmake method "${method.slice(0, 40)}"`, 'use join, joinOrCreate, joinById or reconnect') };
  }
  if (!roomNames.has(roomName)) {
    return { ok: false, error: wireError('not-found', `no room type "${roomName.slice(0, 40)}"`, `rooms: ${[...roomNames].join(', ')}`) };
  }
  return { ok: true, method: 'joinOrCreate', target: roomName };
}

/** A matchmaking failure as a typed wire error (our rooms refuse with "<code>: <message> (<hint>)"). */
export function matchmakeError(error: unknown, roomName: string): WireError {
  const message = error instanceof Error ? error.message : '';
  const typed = /^([a-z][a-z-]*): (.*?)(?: \((.*)\))?$/s.exec(message);
  if (typed !== null && isArenaErrorCode(typed[1])) return wireError(typed[1], typed[2]!, typed[3] ?? '');
  const code = (error as { code?: unknown }).code;
  if (code === ErrorCode.MATCHMAKE_INVALID_ROOM_ID) return wireError('not-found', 'no such room (it may have ended)', 'join the match by its matchId');
  if (code === ErrorCode.MATCHMAKE_INVALID_CRITERIA) {
    return roomName === MATCH_ROOM_NAME
      ? wireError('unknown-match', 'no match with that matchId here', 'check the matchId you were given')
      : wireError('not-found', 'no such room', 'join by room name');
  }
  if (code === ErrorCode.MATCHMAKE_EXPIRED || code === ErrorCode.AUTH_FAILED)
    return wireError('unauthorized', 'the reconnection token is invalid or expired', 'join again');
  if (/already full|not available/.test(message)) return wireError('too-many-connections', 'the room is full', 'retry later');
  return wireError('internal', 'matchmaking failed', 'retry later; if it persists, report it');
}

/**
 * One log line without what a client sent: msgpackr's decode errors end with the frame's
 * content ("Data read, but end of buffer not reached {...}"), and stacks add nothing here.
 */
export function logLine(args: readonly unknown[]): string {
  const text = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : String(a))).join(' ');
  const firstLine = text.split('\n', 1)[0]!;
  const payloadAt = firstLine.search(/[{[]/);
  return (payloadAt >= 0 ? `${firstLine.slice(0, payloadAt).trimEnd()} [payload omitted]` : firstLine).slice(0, 300);
}

function colyseusLogger(log: FastifyBaseLogger) {
  return {
    debug: (...args: unknown[]) => log.debug({ colyseus: true }, logLine(args)),
    trace: (...args: unknown[]) => log.trace({ colyseus: true }, logLine(args)),
    info: (...args: unknown[]) => log.info({ colyseus: true }, logLine(args)),
    warn: (...args: unknown[]) => log.warn({ colyseus: true }, logLine(args)),
    error: (...args: unknown[]) => log.error({ colyseus: true }, logLine(args)),
  };
}

/** The documented error body, plus `message` as "<code>: <message> (<hint>)" for the Colyseus SDK (it reads `message`). */
function matchmakeErrorBody(error: WireError): { error: WireError; message: string } {
  return { error, message: `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}` };
}

export interface ColyseusAttachment {
  /** Disposes every room (the matches themselves live on in the manager) and stops the transport. */
  close(): Promise<void>;
  /** Every room of the matchmaker (all processes), for the admin overview. */
  listRooms(): Promise<{ roomId: string; name: string; clients: number; processId: string; matchId: string | null }[]>;
}

interface MatchmakeRoute {
  Params: { method: string; roomName: string };
  Body: Record<string, unknown> | undefined;
}

const pathOf = (req: IncomingMessage): string => new URL(req.url ?? '/', 'http://x').pathname;

/** Room sockets are `<prefix>/<processId>/<roomId>` (query: sessionId, reconnection token). */
export function isColyseusUpgrade(prefix: string): (req: IncomingMessage) => boolean {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/?$`);
  return (req) => pattern.test(pathOf(req));
}

/**
 * Where a new room goes in a cluster: a match room to the process that runs its match (its
 * onCreate needs the runner), an agents lobby to the process the agent asked (this one).
 */
function selectProcess(cluster: ColyseusCluster): (roomName: string, options: Record<string, unknown>) => Promise<string> {
  return async (roomName, options) => {
    const matchId = options?.['matchId'];
    if (roomName === MATCH_ROOM_NAME && typeof matchId === 'string') return (await cluster.ownerOf(matchId)) ?? matchMaker.processId;
    return matchMaker.processId;
  };
}

/** Must be called before `app.listen()` / `app.ready()` (it adds a route). */
export async function attachColyseus(app: FastifyInstance, matches: MatchManagerApi, options: AttachColyseusOptions = {}): Promise<ColyseusAttachment> {
  const prefix = options.prefix ?? COLYSEUS_PREFIX;
  // Colyseus logs to the console, a malformed frame with its raw payload; ours go to the app's logger, one line, no payload.
  setLogger(colyseusLogger(app.log));
  const cluster = options.cluster;
  // One process: rooms found by id or matchId, not by a scan of every live room (indexed-room-driver.ts).
  if (cluster === undefined) await matchMaker.setup(undefined, new IndexedRoomDriver());
  else await matchMaker.setup(cluster.presence, cluster.driver, cluster.publicAddress, selectProcess(cluster));
  const transport = new WebSocketTransport({ noServer: true, maxPayload: options.maxPayloadBytes ?? 4 * MAX_MESSAGE_BYTES });
  transport.attachToServer(app.server, { filter: isColyseusUpgrade(prefix) });
  setTransport(transport);

  // One bucket per identity (seat token, agent, else IP) over every room: more connections buy no more messages.
  const limiter = new RateLimiter((options.rates ?? DEFAULT_RATE_POLICY).rooms, systemClock);
  const settings: MatchRoomSettings = { limiter };
  // One room per match: joinOrCreate with the same matchId lands in the same room.
  matchMaker.defineRoomType(MATCH_ROOM_NAME, matchRoomType(matches, settings)).filterBy(['matchId']);
  // One lobby room for every agent: joinOrCreate always lands in it. In a cluster, one per
  // process (filtered by node id): a single one would draw every agent's socket to one process.
  if (options.lobby !== undefined) {
    const lobby = matchMaker.defineRoomType(AGENT_LOBBY_ROOM_NAME, agentLobbyRoomType({ ...options.lobby, limiter }));
    if (cluster !== undefined) lobby.filterBy(['nodeId']);
  }

  const perIp = new RateLimiter((options.rates ?? DEFAULT_RATE_POLICY).matchmake, systemClock);
  const roomNames = new Set([MATCH_ROOM_NAME, ...(options.lobby === undefined ? [] : [AGENT_LOBBY_ROOM_NAME])]);
  // The route answers its own body errors (bad JSON, too large) in the documented format, whatever app it is on.
  const errorHandler = (error: { statusCode?: number; code?: string }, _req: unknown, reply: FastifyReply) => {
    const wire =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? wireError('payload-too-large', 'the join options are too large', 'send a small JSON object')
        : (error.statusCode ?? 500) < 500
          ? wireError('bad-request', 'the matchmake body is not valid JSON', 'send a JSON object of join options')
          : wireError('internal', 'matchmaking failed', 'retry later');
    return reply.code(httpStatusOf(wire.code)).send(matchmakeErrorBody(wire));
  };
  app.post<MatchmakeRoute>(`${prefix}/matchmake/:method/:roomName`, { errorHandler }, async (req, reply) => {
    const refuse = (error: WireError) => reply.code(httpStatusOf(error.code)).send(matchmakeErrorBody(error));
    const { method, roomName } = req.params;
    const body: unknown = req.body ?? {};
    if (perIp.take(matchmakeIdentity(body, req.ip)) !== 'ok')
      return refuse(wireError('rate-limited', 'too many matchmaking calls from your address', 'slow down'));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return refuse(wireError('bad-request', 'the matchmake body must be a JSON object of join options', 'send e.g. { "matchId": "...", "spectate": true }'));
    }
    const call = matchmakeCall(method, roomName, roomNames);
    if (!call.ok) return refuse(call.error);
    // The lobby of the process the agent asked: never another process's (whatever the client sent).
    const options = cluster !== undefined && call.target === AGENT_LOBBY_ROOM_NAME ? { ...(body as object), nodeId: cluster.nodeId } : body;
    try {
      // Colyseus reads the client IP from X-Forwarded-For and kin; nothing proxies here, so they are dropped (unspoofable per-IP limits).
      const { 'x-real-ip': _a, 'x-forwarded-for': _b, 'x-client-ip': _c, ...headers } = req.headers;
      const auth = createAuthContext({ headers: headers as Record<string, string>, remoteAddress: req.ip, req: req.raw });
      return await matchMaker.controller.invokeMethod(call.method, call.target, options, auth);
    } catch (error) {
      const wire = matchmakeError(error, roomName);
      if (wire.code === 'internal') req.log.error(error);
      return refuse(wire);
    }
  });

  /**
   * Whose matchmake budget a call spends: a seat token of a match here has its own (an agent
   * process joins every match it plays through this route: its address must not cap how many
   * it plays); anything else spends its address's.
   */
  function matchmakeIdentity(body: unknown, ip: string): string {
    const seatToken = (body as { seatToken?: unknown } | null)?.seatToken;
    return typeof seatToken === 'string' && matches.byToken(seatToken) !== undefined ? identityKey({ seatToken }) : identityKey({ ip });
  }

  await matchMaker.accept();
  let closed = false;
  return {
    async listRooms() {
      const rooms = await matchMaker.query({});
      return rooms.map((room) => {
        const matchId = (room as unknown as { matchId?: unknown }).matchId;
        return {
          roomId: room.roomId,
          name: room.name,
          clients: room.clients,
          processId: room.processId,
          matchId: typeof matchId === 'string' ? matchId : null,
        };
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Rejects only when a shutdown is already under way (someone else closed the matchmaker).
      await matchMaker.gracefullyShutdown().catch(() => {});
      transport.shutdown(); // attached: leaves fastify's server to fastify
    },
  };
}
