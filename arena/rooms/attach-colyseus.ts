/**
 * Puts Colyseus on fastify's own http.Server (one port for HTTP, socket.io and Colyseus),
 * (docs/ARCHITECTURE.md): no Colyseus `Server` (it would answer every HTTP request
 * and take every upgrade); instead the matchmaker, a WebSocket transport attached with a filter
 * that takes only room sockets under the prefix, and the matchmake route as a fastify route.
 * The SDK endpoint is `http://host:port<prefix>`. The matchmaker is a process singleton:
 * attach once per process, and close before attaching again.
 */
import './node20-shim.ts';
import type { IncomingMessage } from 'node:http';
import { createAuthContext, matchMaker } from '@colyseus/core';
import { setTransport } from '@colyseus/core/Transport';
import { WebSocketTransport } from '@colyseus/ws-transport';
import type { FastifyInstance } from 'fastify';
import { MAX_MESSAGE_BYTES } from '../../protocol/messages.ts';
import type { MatchManagerApi } from '../lobby/match-manager-api.ts';
import { AGENT_LOBBY_ROOM_NAME } from '../../protocol/assignment.ts';
import { agentLobbyRoomType, type AgentLobbyDeps } from './agent-lobby-room.ts';
import { MATCH_ROOM_NAME, matchRoomType } from './match-room.ts';

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
  readonly lobby?: AgentLobbyDeps;
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
 * A match's room exists only once some Colyseus client asked for it; matches played over
 * socket.io or by in-process agents never get one. So the documented `join('match', ...)`
 * becomes a joinOrCreate: the room's onCreate refuses a matchId the manager does not hold,
 * so no client can make a room for a match that does not exist.
 */
export function matchmakeMethod(method: string, roomName: string): string {
  return method === 'join' && roomName === MATCH_ROOM_NAME ? 'joinOrCreate' : method;
}

/** Must be called before `app.listen()` / `app.ready()` (it adds a route). */
export async function attachColyseus(
  app: FastifyInstance, matches: MatchManagerApi, options: AttachColyseusOptions = {},
): Promise<ColyseusAttachment> {
  const prefix = options.prefix ?? COLYSEUS_PREFIX;
  await matchMaker.setup();
  const transport = new WebSocketTransport({ noServer: true, maxPayload: options.maxPayloadBytes ?? 4 * MAX_MESSAGE_BYTES });
  transport.attachToServer(app.server, { filter: isColyseusUpgrade(prefix) });
  setTransport(transport);

  // One room per match: joinOrCreate with the same matchId lands in the same room.
  matchMaker.defineRoomType(MATCH_ROOM_NAME, matchRoomType(matches)).filterBy(['matchId']);
  // One lobby room for every agent: joinOrCreate always lands in it.
  if (options.lobby !== undefined) matchMaker.defineRoomType(AGENT_LOBBY_ROOM_NAME, agentLobbyRoomType(options.lobby));

  app.post<MatchmakeRoute>(`${prefix}/matchmake/:method/:roomName`, async (req, reply) => {
    try {
      const auth = createAuthContext({ headers: req.headers as Record<string, string>, remoteAddress: req.ip, req: req.raw });
      const method = matchmakeMethod(req.params.method, req.params.roomName);
      return await matchMaker.controller.invokeMethod(method, req.params.roomName, req.body ?? {}, auth);
    } catch (error) {
      // Mirrors Colyseus' own route: the HTTP status is the matchmake ErrorCode (520-526) when it has one.
      const code = (error as { code?: unknown }).code;
      const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 500;
      const message = error instanceof Error ? error.message : 'matchmaking failed';
      return reply.code(status).send({ code: typeof code === 'number' ? code : status, error: message });
    }
  });

  await matchMaker.accept();
  let closed = false;
  return {
    async listRooms() {
      const rooms = await matchMaker.query({});
      return rooms.map((room) => {
        const matchId = (room as unknown as { matchId?: unknown }).matchId;
        return { roomId: room.roomId, name: room.name, clients: room.clients, processId: room.processId, matchId: typeof matchId === 'string' ? matchId : null };
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
