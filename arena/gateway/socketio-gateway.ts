/**
 * The external-agent protocol over socket.io (namespace `/agents`): a thin adapter over
 * MatchRunner, like the Colyseus room. Each client event is turned into a protocol message
 * (`toClientMessage`), checked once here (rate, size, envelope) so that even unroutable junk
 * gets a typed answer, then handed to the runner of its `matchId`; the runner's Ack is the
 * socket.io ack. Runner events reach their socket by sessionId (= socket.id). The protocol
 * is documented in docs/agent-protocol.md.
 */
import type { Server as HttpServer } from 'node:http';
import { Server as IoServer, type Namespace, type Socket } from 'socket.io';
import { AgentControlMessageSchema, type MatchAssignedMessage } from '../../protocol/assignment.ts';
import { toWireError } from '../arena-error.ts';
import { wireError, type WireError } from '../../protocol/errors.ts';
import { MAX_ID_CHARS, MAX_MESSAGE_BYTES, toClientMessage, type Ack, type ClientMessage } from '../../protocol/messages.ts';
import { systemClock, type Clock } from '../match/clocks.ts';
import type { AssignmentHub } from '../lobby/assignment-hub.ts';
import type { MatchManagerApi } from '../lobby/match-manager-api.ts';
import type { MatchQueue } from '../lobby/match-queue.ts';
import type { MatchEvent, MatchRunner } from '../match/match-runner.ts';
import { DEFAULT_RATE_POLICY, identityKey, RateLimiter, type RateLimit } from '../match/rate-limiter.ts';
import { parseEnvelope } from '../match/validate-move.ts';

export const AGENTS_NAMESPACE = '/agents';

export interface SocketGatewayOptions {
  /** socket.io path; default '/socket.io'. */
  readonly path?: string;
  /** Largest message answered with a typed 'payload-too-large'; default 16 KiB. */
  readonly maxPayloadBytes?: number;
  /** Transport cap (engine.io maxHttpBufferSize): a bigger frame closes the connection. Default 4 x maxPayloadBytes. */
  readonly maxFrameBytes?: number;
  /** Registered agents: the agentId of a connection token, or undefined if unknown. */
  readonly verifyAgentToken?: (token: string) => Promise<string | undefined>;
  /** Connections without `auth.token` may spectate, and join with a seat token. Default true. */
  readonly allowAnonymous?: boolean;
  /** Budget per identity (agent token, else seat token, else IP) over all its connections; default DEFAULT_RATE_POLICY.gateway. */
  readonly rateLimit?: RateLimit;
  readonly clock?: Clock;
  /** Registered agents (agent token) go online in `hub` and may use the env `queue`. */
  readonly agents?: { readonly hub: AssignmentHub; readonly queue: MatchQueue };
}

export interface SocketGateway {
  readonly io: IoServer;
  readonly namespace: Namespace;
  /** Disconnects every agent and stops listening to the runners; leaves the http.Server open. */
  close(): Promise<void>;
}

interface SocketData {
  agentId?: string;
  /** The rate-limit key: shared by every connection of the same agent, seat token or address. */
  identity: string;
  matchIds: Set<string>;
}

type AckFn = (ack: Ack) => void;
const fail = (error: WireError): Ack => ({ ok: false, error });

/** A connect_error carrying the wire error in `data`, as socket.io clients receive it. */
function connectError(error: WireError): Error {
  return Object.assign(new Error(`${error.code}: ${error.message}`), { data: error });
}

export function attachSocketGateway(httpServer: HttpServer, matches: MatchManagerApi, options: SocketGatewayOptions = {}): SocketGateway {
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_MESSAGE_BYTES;
  const io = new IoServer(httpServer, {
    path: options.path ?? '/socket.io',
    serveClient: false,
    destroyUpgrade: false, // fastify and Colyseus share the server's upgrades (docs/ARCHITECTURE.md, Two ways to play)
    maxHttpBufferSize: options.maxFrameBytes ?? 4 * maxPayloadBytes,
  });
  const namespace = io.of(AGENTS_NAMESPACE);
  const clock = options.clock ?? systemClock;
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_POLICY.gateway, clock);
  const subscriptions = new Map<string, () => void>();

  const deliver = (event: MatchEvent, matchId: string): void => {
    if (event.kind === 'finished') {
      subscriptions.get(matchId)?.();
      subscriptions.delete(matchId);
      return;
    }
    if (event.kind === 'tick') return; // Colyseus rooms sync state on ticks; here the runner's messages suffice
    const socket = namespace.sockets.get(event.sessionId);
    if (socket === undefined) return;
    if (event.kind === 'send') {
      socket.emit(event.message.type, event.message);
      return;
    }
    kick(socket, event.reason, matchId);
  };

  const runnerFor = (matchId: string): MatchRunner | undefined => {
    const runner = matches.get(matchId);
    if (runner !== undefined && !subscriptions.has(matchId) && !runner.isOver) {
      subscriptions.set(
        matchId,
        runner.subscribe((event) => deliver(event, matchId)),
      );
    }
    return runner;
  };

  namespace.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const data: SocketData = { matchIds: new Set(), identity: identityKey({ ip: socket.handshake.address }) };
    socket.data = data;
    if (token === undefined) {
      if (options.allowAnonymous === false) return next(connectError(wireError('unauthorized', 'a token is required', 'connect with auth: { token }')));
      return next();
    }
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_ID_CHARS) {
      return next(connectError(wireError('bad-envelope', 'auth.token must be a string of 1 to 128 characters', 'connect with auth: { token }')));
    }
    const verified = options.verifyAgentToken?.(token) ?? Promise.resolve(undefined);
    verified.then(
      (agentId) => {
        if (agentId !== undefined) data.agentId = agentId;
        else if (matches.byToken(token) === undefined)
          return next(connectError(wireError('unauthorized', 'unknown token', 'use your agent token or a seat token')));
        data.identity = identityKey(agentId !== undefined ? { agentId } : { seatToken: token });
        return next();
      },
      () => next(connectError(wireError('internal', 'the token could not be checked', 'retry later'))),
    );
  });

  namespace.on('connection', (socket: Socket) => {
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const last = args[args.length - 1];
      const ackFn = typeof last === 'function' ? (last as AckFn) : undefined;
      const payloads = ackFn ? args.slice(0, -1) : args;
      let ack: Ack;
      try {
        ack = handle(socket, event, payloads);
      } catch {
        ack = fail(wireError('internal', 'the server failed to handle this message', 'retry later; if it persists, report it'));
      }
      if (ackFn) ackFn(ack);
      else if (!ack.ok) socket.emit('error', { type: 'error', ...ack.error });
      else if (ack.result.type === 'pong') socket.emit('pong', ack.result);
    });
    const data = socket.data as SocketData;
    const offline =
      data.agentId !== undefined && options.agents !== undefined
        ? options.agents.hub.connect({
            sessionId: socket.id,
            agentId: data.agentId,
            send: (message) => socket.emit('match:assigned', message),
            close: () => {
              socket.emit('error', { type: 'error', ...wireError('unauthorized', 'the agent token was revoked or replaced', 'reconnect with the new token') });
              socket.disconnect(true);
            },
          })
        : undefined;
    socket.on('disconnect', () => {
      offline?.();
      options.agents?.queue.unqueue(socket.id);
      for (const matchId of (socket.data as SocketData).matchIds) matches.get(matchId)?.disconnect(socket.id);
    });
  });

  function handle(socket: Socket, event: unknown, payloads: readonly unknown[]): Ack {
    // Real-time inputs to a match this connection plays are budgeted by that match (from its
    // tick rate); everything else by the identity's bucket.
    const verdict = isOwnInput(socket, event, payloads[0]) ? 'ok' : limiter.take(budgetKey(socket, payloads[0]));
    if (verdict !== 'ok') {
      if (verdict === 'kick') kick(socket, 'rate-limited');
      return fail(wireError('rate-limited', 'too many messages', 'slow down'));
    }
    if (payloads.length > 1) return fail(wireError('bad-envelope', 'send one JSON object per event', 'emit(event, payload, ack)'));
    const raw = toClientMessage(event, payloads[0] ?? {});
    if (byteLength(raw) > maxPayloadBytes) {
      return fail(wireError('payload-too-large', `message over ${maxPayloadBytes} bytes`, 'send smaller messages'));
    }
    if (event === 'queue' || event === 'unqueue') return control(socket, raw);
    const envelope = parseEnvelope(raw);
    if (!envelope.ok) return fail(envelope.error);
    return route(socket, envelope.value);
  }

  /**
   * Whose budget a message spends: the agent's (agent token); for a message to a match where
   * this connection holds a seat, that seat's (a seat is held by one connection at a time);
   * else the connection's identity (its seat token, or its address).
   */
  function budgetKey(socket: Socket, payload: unknown): string {
    const data = socket.data as SocketData;
    if (data.agentId !== undefined) return data.identity;
    const matchId = (payload as { matchId?: unknown } | null | undefined)?.matchId;
    if (typeof matchId !== 'string' || !data.matchIds.has(matchId)) return data.identity;
    const seats = matches.get(matchId)?.seats.seatsOf(socket.id) ?? [];
    return seats.length > 0 ? `seat:${matchId}:${seats.join(',')}` : data.identity;
  }

  function isOwnInput(socket: Socket, event: unknown, payload: unknown): boolean {
    if (event !== 'input' || typeof payload !== 'object' || payload === null) return false;
    const matchId = (payload as { matchId?: unknown }).matchId;
    return typeof matchId === 'string' && (socket.data as SocketData).matchIds.has(matchId);
  }

  /** The assignment protocol's queue / unqueue, for connections with an agent token. */
  function control(socket: Socket, raw: unknown): Ack {
    const agentId = (socket.data as SocketData).agentId;
    if (agentId === undefined || options.agents === undefined) {
      return fail(wireError('unauthorized', 'only registered agents may queue', 'connect with auth: { token: <agent token> }'));
    }
    const parsed = AgentControlMessageSchema.safeParse(raw);
    if (!parsed.success) return fail(wireError('bad-envelope', 'bad queue message', 'queue: { env, params?, moveTimeMs? }; unqueue: { env? }'));
    const msg = parsed.data;
    const { queue } = options.agents;
    try {
      if (msg.type === 'unqueue') return { ok: true, result: { type: 'unqueued', envs: queue.unqueue(socket.id, msg.env) } };
      const send = (message: MatchAssignedMessage): void => {
        socket.emit('match:assigned', message);
      };
      return {
        ok: true,
        result: queue.queue({
          agentId,
          sessionId: socket.id,
          env: msg.env,
          send,
          ...(msg.params === undefined ? {} : { params: msg.params }),
          ...(msg.moveTimeMs === undefined ? {} : { moveTimeMs: msg.moveTimeMs }),
        }),
      };
    } catch (error) {
      return fail(toWireError(error));
    }
  }

  function route(socket: Socket, msg: ClientMessage): Ack {
    if (msg.type === 'ping') return { ok: true, result: { type: 'pong', ...(msg.t === undefined ? {} : { t: msg.t }), serverTime: clock.now() } };
    const runner = runnerFor(msg.matchId);
    if (runner === undefined) {
      return fail(wireError('unknown-match', `no match "${msg.matchId.slice(0, 40)}" here`, 'check the matchId you were given'));
    }
    const ack = runner.submitParsed(socket.id, msg); // handle() parsed it already
    // The runner starts the match itself once its last seat joined (MatchRunner.startIfSeated).
    if (ack.ok && (ack.result.type === 'joined' || ack.result.type === 'spectating')) (socket.data as SocketData).matchIds.add(runner.matchId);
    return ack;
  }

  return {
    io,
    namespace,
    async close() {
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
      namespace.disconnectSockets(true);
      // io.close() would also close the shared http.Server; only the engine goes.
      io.engine.close();
    },
  };
}

/** The error event saying why, then the disconnection (runner kicks, gateway floods). */
function kick(socket: Socket, reason: 'rate-limited' | 'seat-taken', matchId?: string): void {
  const error =
    reason === 'seat-taken'
      ? wireError('not-your-seat', 'another connection joined with your seat token', 'only one connection may hold a seat')
      : wireError('rate-limited', 'too many messages: disconnected', 'slow down and reconnect');
  socket.emit('error', { type: 'error', ...(matchId === undefined ? {} : { matchId }), ...error });
  socket.disconnect(true);
}

function byteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
