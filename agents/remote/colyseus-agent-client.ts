/**
 * A Colyseus SDK client for agent processes on a Ludus arena. `connectLobby` joins the
 * `agents` lobby room with a registered agent token and hands out the server's
 * `match:assigned` messages; `playMatch` takes one seat in a `match` room with its seat token,
 * answers each decision request once with `act` (echoing stepIndex and seat) and resolves
 * with the `match:end` message. Endpoint: `http://host:port/colyseus`. In a cluster of arena
 * processes an assignment names the process that runs its match (`server`): the seat is
 * reserved there (one SDK client per server), which spares the entry process a hop.
 *
 * The SDK needs no global WebSocket on Node 20: its transport falls back to the `ws`
 * package (sdk/src/transport/WebSocketTransport.ts), so unlike the server there is no shim.
 * Message shapes are the wire schemas' types from `protocol/`.
 */
import { Client, type Room } from '@colyseus/sdk';
import {
  FULL_DECISIONS,
  type Ack,
  type DecisionMessage,
  type DecisionOptions,
  type MatchAssignedMessage,
  type MatchEndMessage,
  type MatchStartMessage,
  type TickMessage,
  type WireError,
} from '../../protocol/index.ts';
import { TickResponder } from './tick-responder.ts';
import { RemoteAgentError, type RemoteAction, type ReportedError } from './ludus-agent-client.ts';

/** The Colyseus lobby room agent processes join (options `{ token }`). */
export const AGENT_LOBBY_ROOM = 'agents';
/** The Colyseus room of one match (options `{ matchId, seatToken }`). */
export const MATCH_ROOM = 'match';
export const COLYSEUS_PATH = '/colyseus';

export type PushedError = ReportedError;

export type ColyseusDecisionHandler = (request: DecisionMessage) => RemoteAction | Promise<RemoteAction>;

export interface PlayMatchOptions {
  /** Server-pushed errors (timeouts) and rejected answers of this match. */
  readonly onError?: (error: PushedError) => void;
  /** Longest wait for an `act` reply; default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Leaves the match (consented): the seat's reconnect window and timeout policy take over. */
  readonly signal?: AbortSignal;
  /** Real-time matches: answer every N-th tick (the server sends only those). Default 1. */
  readonly tickEvery?: number;
  /** The optional parts of this seat's decisions (protocol `DecisionOptions`); default all of them. */
  readonly decision?: DecisionOptions;
}

export interface AgentLobby {
  readonly sessionId: string;
  /** Every assignment, in arrival order (those received before the listener was added first). */
  onAssignment(listener: (assignment: MatchAssignedMessage) => void): void;
  /** The lobby connection ended for good (server gone, failed reconnection, or `close`). */
  onClose(listener: (code: number, reason: string) => void): void;
  /** Waits in the env's queue (see protocol/assignment.ts); the pairing arrives as an assignment. Rejects with the server's refusal. */
  queue(request: QueueRequest): Promise<{ readonly env: string; readonly position: number }>;
  /** Leaves the lobby: the server stops assigning matches to this connection. */
  close(): Promise<void>;
}

/** A queue entry: the env, its params, and the time per move this agent needs. */
export interface QueueRequest {
  readonly env: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly moveTimeMs?: number;
}

const toWire = (action: RemoteAction): object => (typeof action === 'number' ? { id: action } : action);

/**
 * A refused join or an unreachable server as a RemoteAgentError. The arena's rooms refuse with
 * `"<wire code>: <message> (<hint>)"`; network failures carry a string code such as ECONNREFUSED.
 */
export function toRemoteError(error: unknown, what: string): RemoteAgentError {
  if (error instanceof RemoteAgentError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' || /fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|socket hang up/.test(message)) {
    return new RemoteAgentError(
      'client-connect',
      `cannot reach ${what} (${typeof code === 'string' ? code : message})`,
      'check the url and that the server is up',
    );
  }
  const wire = /^([a-z][a-z-]*): (.*?)(?: \((.*)\))?$/s.exec(message);
  if (wire) return new RemoteAgentError(wire[1]!, wire[2]!, wire[3] ?? '');
  return new RemoteAgentError(
    'client-refused',
    `${what} was refused: ${message}${typeof code === 'number' ? ` (${code})` : ''}`,
    'check that the server runs a Ludus arena of this version',
  );
}

/** The Colyseus endpoint of an arena address (http://host:port): the Colyseus path added once. */
export function colyseusEndpoint(serverUrl: string): string {
  const base = serverUrl.replace(/\/+$/, '');
  return base.endsWith(COLYSEUS_PATH) ? base : `${base}${COLYSEUS_PATH}`;
}

export class ColyseusAgentClient {
  readonly endpoint: string;
  readonly sdk: Client;
  /** SDK clients of the other servers matches were assigned on, by endpoint. */
  private readonly others = new Map<string, Client>();

  /** `serverUrl` is the arena's address (http://host:port); the Colyseus path is added. */
  constructor(serverUrl: string) {
    this.endpoint = colyseusEndpoint(serverUrl);
    this.sdk = new Client(this.endpoint);
  }

  /** The SDK client for `server` (an assignment's), or this client's own. */
  sdkFor(server: string | undefined): Client {
    if (server === undefined) return this.sdk;
    const endpoint = colyseusEndpoint(server);
    if (endpoint === this.endpoint) return this.sdk;
    let sdk = this.others.get(endpoint);
    if (sdk === undefined) {
      sdk = new Client(endpoint);
      this.others.set(endpoint, sdk);
    }
    return sdk;
  }

  /** Joins the lobby; rejects with the server's code ('unauthorized' for a refused token) or 'client-connect'. */
  async connectLobby(token: string): Promise<AgentLobby> {
    let room: Room;
    try {
      room = await this.sdk.joinOrCreate(AGENT_LOBBY_ROOM, { token });
    } catch (error) {
      throw toRemoteError(error, `the agent lobby at ${this.endpoint}`);
    }
    return lobbyOf(room);
  }

  /** Plays one seat to the end; resolves with `match:end`, rejects when the seat is lost before it. */
  async playMatch(
    assignment: Pick<MatchAssignedMessage, 'matchId' | 'seatToken' | 'server'>,
    decide: ColyseusDecisionHandler,
    options: PlayMatchOptions = {},
  ): Promise<MatchEndMessage> {
    let room: Room;
    try {
      // states: false: an agent reads its decisions and match:end, not the per-step state messages.
      room = await this.sdkFor(assignment.server).joinOrCreate(MATCH_ROOM, {
        matchId: assignment.matchId,
        seatToken: assignment.seatToken,
        states: false,
        decision: options.decision ?? FULL_DECISIONS,
        ...(options.tickEvery === undefined ? {} : { tickEvery: options.tickEvery }),
      });
    } catch (error) {
      throw toRemoteError(error, `match ${assignment.matchId}`);
    }
    return new SeatPlayer(room, assignment.matchId, decide, options).result;
  }
}

function lobbyOf(room: Room): AgentLobby {
  const received: MatchAssignedMessage[] = [];
  const listeners: ((assignment: MatchAssignedMessage) => void)[] = [];
  const closeListeners: ((code: number, reason: string) => void)[] = [];
  let closed: { code: number; reason: string } | undefined;
  room.onMessage('match:assigned', (message: MatchAssignedMessage) => {
    received.push(message);
    for (const listener of listeners) listener(message);
  });
  room.onMessage('*', () => {}); // acks and future lobby messages: not needed here
  room.onLeave((code, reason) => {
    closed = { code, reason: reason ?? '' };
    for (const listener of closeListeners) listener(code, reason ?? '');
  });
  return {
    sessionId: room.sessionId,
    onAssignment(listener) {
      listeners.push(listener);
      for (const message of received) listener(message);
    },
    onClose(listener) {
      if (closed) listener(closed.code, closed.reason);
      else closeListeners.push(listener);
    },
    async queue(request) {
      const ack = (await room.request('queue', { ...request }, { timeout: 10_000 })) as {
        ok: boolean;
        result?: { env: string; position: number };
        error?: WireError;
      };
      if (!ack.ok || ack.result === undefined) {
        const error = ack.error ?? { code: 'internal', message: 'no answer to queue', hint: '' };
        throw new RemoteAgentError(error.code, `queue for ${request.env}: ${error.message}`, error.hint);
      }
      return { env: ack.result.env, position: ack.result.position };
    },
    async close() {
      if (closed) return;
      await room.leave(true);
    },
  };
}

/** One seat of one match: the decision loop and the wait for `match:end`. */
class SeatPlayer {
  readonly result: Promise<MatchEndMessage>;
  private readonly room: Room;
  private readonly matchId: string;
  private readonly decide: ColyseusDecisionHandler;
  private readonly options: PlayMatchOptions;
  /** `seat:stepIndex` already answered: a repeated request (after a reconnection) is not answered twice. */
  private readonly answered = new Set<string>();
  private ended = false;
  private ticks: TickResponder | undefined;

  constructor(room: Room, matchId: string, decide: ColyseusDecisionHandler, options: PlayMatchOptions) {
    this.room = room;
    this.matchId = matchId;
    this.decide = decide;
    this.options = options;
    this.result = new Promise((resolve, reject) => {
      room.onMessage('decision', (request: DecisionMessage) => void this.answer(request));
      // Real-time matches: ticks answered by the same decision handler, as inputs.
      room.onMessage('match:start', (start: MatchStartMessage) => {
        if (start.realtime === undefined || this.ticks !== undefined) return;
        this.ticks = new TickResponder({
          realtime: start.realtime,
          decide: this.decide,
          send: (input) => {
            if (!this.ended) room.send('input', input);
          },
          onError: (error) => this.report(asReported(error)),
        });
      });
      room.onMessage('tick', (tick: TickMessage) => {
        if (!this.ended) this.ticks?.onTick(tick);
      });
      room.onMessage('error', (error: PushedError) => this.report(error));
      room.onMessage('match:end', (end: MatchEndMessage) => {
        this.ended = true;
        resolve(end);
        room.leave(true).catch(() => undefined);
      });
      room.onMessage('*', () => {}); // match:start, state, ack: the seat needs none of them
      // The server re-sends the pending decision after a reconnection; our earlier answer may be lost.
      room.onReconnect(() => this.answered.clear());
      const leave = (): void => {
        room.leave(true).catch(() => undefined);
      };
      if (options.signal?.aborted) leave();
      else options.signal?.addEventListener('abort', leave, { once: true });
      room.onLeave((code, reason) => {
        options.signal?.removeEventListener('abort', leave);
        if (!this.ended)
          reject(
            new RemoteAgentError(
              'client-closed',
              `left match ${matchId} before its end (${code}${reason ? `: ${reason}` : ''})`,
              'the server stopped or the seat was taken over',
            ),
          );
      });
    });
  }

  private async answer(request: DecisionMessage): Promise<void> {
    const key = `${request.seat}:${request.stepIndex}`;
    if (this.ended || this.answered.has(key)) return;
    this.answered.add(key);
    try {
      const action = await this.decide(request);
      if (this.ended) return;
      const ack = (await this.room.request(
        'act',
        {
          matchId: request.matchId,
          stepIndex: request.stepIndex,
          seat: request.seat,
          action: toWire(action),
        },
        { timeout: this.options.requestTimeoutMs ?? 10_000 },
      )) as Ack;
      if (!ack.ok) this.report(ack.error);
    } catch (error) {
      if (this.ended) return;
      this.report(asReported(error));
    }
  }

  private report(error: ReportedError): void {
    this.options.onError?.({ ...error, matchId: this.matchId });
  }
}

/** A failed decision as the error report of its match. */
function asReported(error: unknown): ReportedError {
  const wire =
    error instanceof RemoteAgentError
      ? error
      : new RemoteAgentError(
          'client-handler',
          error instanceof Error ? error.message : String(error),
          'the decision failed; the server plays the timeout policy',
        );
  return { code: wire.code, message: wire.message, hint: wire.hint };
}
