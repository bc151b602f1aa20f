/**
 * A small client for external agents playing on a Ludus arena over socket.io (namespace
 * `/agents`, protocol in docs/agent-protocol.md). It joins matches with seat tokens, answers
 * each decision request once with `act` (echoing its stepIndex and seat), and resolves each
 * match's returns at `match:end`. It re-joins its matches after a reconnection.
 * In a cluster of arena processes a match runs on one of them, named by its assignment's
 * `server`: the client opens one connection per server (with the same token) and plays each
 * match on its server's connection.
 * Message shapes are the wire schemas' types from `protocol/`.
 */
import { io, type Socket } from 'socket.io-client';
import { errorClass } from '../../envs/index.ts';
import type {
  Ack,
  ActionPayload,
  DecisionMessage,
  DecisionOptions,
  MatchAssignedMessage,
  MatchEndMessage,
  MatchStartMessage,
  TickMessage,
  WireError,
} from '../../protocol/index.ts';
import { FULL_DECISIONS } from '../../protocol/index.ts';
import { TickResponder } from './tick-responder.ts';

/** An action id, or one of the wire forms: `{ id }`, `{ struct }` (the env's action object), `{ text }`. */
export type RemoteAction = number | ActionPayload;

export type DecisionHandler = (request: DecisionMessage) => RemoteAction | Promise<RemoteAction>;

export interface ConnectOptions {
  /** A registered agent token or a seat token (sent as socket.io `auth.token`). */
  readonly token?: string;
  /** socket.io path; default '/socket.io'. */
  readonly path?: string;
  /** Give up connecting after this long; default 10 s. */
  readonly timeoutMs?: number;
  /**
   * The optional parts of every decision this connection gets (observation tensor, text,
   * action texts; protocol `DecisionOptions`). Default: all of them; an agent that reads only
   * the legal ids asks for `{}` and spares the server building them.
   */
  readonly decision?: DecisionOptions;
}

/** A wire error from the server, or a client-side failure ('client-timeout', 'client-closed', 'client-handler'). */
export type ReportedError = Omit<WireError, 'code'> & { readonly code: string; readonly matchId?: string };

/** A rejection from the server (its wire code) or a client-side failure ('client-timeout', 'client-closed'). */
export class RemoteAgentError extends errorClass<string>('RemoteAgentError') {}

const toWire = (action: RemoteAction): object => (typeof action === 'number' ? { id: action } : action);

interface Pending {
  readonly resolve: (end: MatchEndMessage) => void;
  readonly reject: (error: Error) => void;
}

/** A server URL as a key: no trailing slash. */
const baseOf = (url: string): string => url.replace(/\/+$/, '');

function openSocket(url: string, options: ConnectOptions): Promise<Socket> {
  const socket = io(`${baseOf(url)}/agents`, {
    path: options.path ?? '/socket.io',
    transports: ['websocket'],
    auth: options.token === undefined ? {} : { token: options.token },
    timeout: options.timeoutMs ?? 10_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error: Error & { data?: WireError }) => {
      socket.close();
      const data = error.data;
      reject(
        data
          ? new RemoteAgentError(data.code, data.message, data.hint)
          : new RemoteAgentError('client-connect', `${url}: ${error.message}`, 'check the url and that the server is up'),
      );
    });
  });
}

export class LudusAgentClient {
  /** The connection to the server this client was opened on. */
  readonly socket: Socket;
  private readonly options: ConnectOptions;
  /** One connection per server (the first one included), by base URL; pending ones as promises. */
  private readonly sockets = new Map<string, Promise<Socket>>();
  /** The connection each joined match is played on. */
  private readonly matchSockets = new Map<string, Socket>();
  private handler: DecisionHandler | undefined;
  private readonly answered = new Set<string>();
  private readonly seatTokens = new Map<string, string>();
  private readonly ends = new Map<string, MatchEndMessage>();
  private readonly waiting = new Map<string, Pending[]>();
  private readonly errorListeners: ((error: ReportedError) => void)[] = [];
  private readonly assignedListeners: ((assignment: MatchAssignedMessage) => void)[] = [];
  /** Real-time matches: their ticks, answered by the decision handler as inputs. */
  private readonly responders = new Map<string, TickResponder>();
  private isClosed = false;

  /** What this connection's decisions carry (sent with every join). */
  private readonly decisionParts: DecisionOptions;

  private constructor(url: string, socket: Socket, options: ConnectOptions) {
    this.socket = socket;
    this.options = options;
    this.decisionParts = options.decision ?? FULL_DECISIONS;
    this.sockets.set(baseOf(url), Promise.resolve(socket));
    this.wire(socket);
  }

  /** Connects to `url` (e.g. http://localhost:2567); rejects with the server's error code on a refused token. */
  static async connect(url: string, options: ConnectOptions = {}): Promise<LudusAgentClient> {
    return new LudusAgentClient(url, await openSocket(url, options), options);
  }

  /** Answers every decision request of every joined seat; one answer per (match, seat, step). */
  onDecision(handler: DecisionHandler): this {
    this.handler = handler;
    return this;
  }

  /** Errors the server pushes (timeouts, kicks, rejected answers of the decision loop). */
  onError(listener: (error: ReportedError) => void): this {
    this.errorListeners.push(listener);
    return this;
  }

  /**
   * `match:assigned` pushes (a league's assignments, `queue` pairings; agent tokens only), from
   * any of the client's connections. With `autoJoin` each assigned seat is joined at once (on
   * its `server`) and played by the decision handler.
   */
  onAssigned(handler: (assignment: MatchAssignedMessage) => void, options: { readonly autoJoin?: boolean } = {}): this {
    this.assignedListeners.push((assignment) => {
      handler(assignment);
      if (options.autoJoin) {
        this.join(assignment.matchId, assignment.seatToken, assignment.server).catch((error: RemoteAgentError) =>
          this.reportError({ code: error.code, message: error.message, hint: error.hint, matchId: assignment.matchId }),
        );
      }
    });
    return this;
  }

  /** Waits in the env's queue for opponents (`moveTimeMs`: the time per move it needs); the pairing arrives as `match:assigned`. */
  async queue(env: string, params?: Readonly<Record<string, unknown>>, moveTimeMs?: number): Promise<{ readonly env: string; readonly position: number }> {
    const result = await this.request(this.socket, 'queue', {
      env,
      ...(params === undefined ? {} : { params }),
      ...(moveTimeMs === undefined ? {} : { moveTimeMs }),
    });
    return { env: result.env as string, position: result.position as number };
  }

  /** Leaves the queue of `env`, or of every env; resolves with the envs left. */
  async unqueue(env?: string): Promise<readonly string[]> {
    const result = await this.request(this.socket, 'unqueue', env === undefined ? {} : { env });
    return result.envs as string[];
  }

  /**
   * Takes a seat, on the connection to `server` (an assignment's `server`; default the first
   * connection); resolves with the seats this connection now holds in the match.
   */
  async join(matchId: string, seatToken: string, server?: string): Promise<readonly number[]> {
    const socket = await this.socketFor(server);
    const result = await this.request(socket, 'join', { matchId, seatToken, decision: this.decisionParts });
    this.seatTokens.set(matchId, seatToken);
    this.matchSockets.set(matchId, socket);
    return (result as { seats?: number[] }).seats ?? [];
  }

  async spectate(matchId: string, server?: string): Promise<void> {
    const socket = await this.socketFor(server);
    await this.request(socket, 'spectate', { matchId });
    this.matchSockets.set(matchId, socket);
  }

  /** Sends one action by hand (the decision loop does this itself); resolves with the accepted result. */
  act(matchId: string, stepIndex: number, action: RemoteAction, seat?: number): Promise<Record<string, unknown>> {
    return this.request(this.socketOf(matchId), 'act', { matchId, stepIndex, action: toWire(action), ...(seat === undefined ? {} : { seat }) });
  }

  /** Round trip; resolves with the server time. */
  async ping(): Promise<number> {
    const result = await this.request(this.socket, 'ping', { t: Date.now() });
    return result.serverTime as number;
  }

  /** Emits any event on the first connection and resolves with the raw Ack (for tests and protocol experiments). */
  emitWithAck(event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack>;
  }

  /** The `match:end` of a match this client is in. */
  result(matchId: string): Promise<MatchEndMessage> {
    const end = this.ends.get(matchId);
    if (end) return Promise.resolve(end);
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(matchId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(matchId, list);
    });
  }

  /** The servers this client holds a connection to (base URLs). */
  servers(): string[] {
    return [...this.sockets.keys()];
  }

  close(): void {
    this.isClosed = true;
    for (const pending of this.sockets.values())
      pending.then(
        (socket) => socket.close(),
        () => undefined,
      );
    this.socket.close();
    this.failWaiting(new RemoteAgentError('client-closed', 'the client was closed'));
  }

  /** The connection to `server`, opened with the client's token the first time. */
  private socketFor(server: string | undefined): Promise<Socket> {
    if (server === undefined) return Promise.resolve(this.socket);
    const key = baseOf(server);
    let pending = this.sockets.get(key);
    if (pending === undefined) {
      if (this.isClosed) return Promise.reject(new RemoteAgentError('client-closed', 'the client was closed'));
      pending = openSocket(key, this.options).then((socket) => {
        if (this.isClosed) socket.close();
        else this.wire(socket);
        return socket;
      });
      // A failed connection is not kept: the next assignment for that server tries again.
      pending.catch(() => this.sockets.delete(key));
      this.sockets.set(key, pending);
    }
    return pending;
  }

  private socketOf(matchId: string): Socket {
    return this.matchSockets.get(matchId) ?? this.socket;
  }

  private wire(socket: Socket): void {
    socket.on('decision', (request: DecisionMessage) => void this.answer(request));
    socket.on('match:start', (start: MatchStartMessage) => this.onStart(start));
    socket.on('tick', (tick: TickMessage) => this.responders.get(tick.matchId)?.onTick(tick));
    socket.on('match:end', (end: MatchEndMessage) => this.onEnd(end));
    socket.on('match:assigned', (assignment: MatchAssignedMessage) => {
      for (const listener of this.assignedListeners) listener(assignment);
    });
    socket.on('error', (error: ReportedError) => this.reportError(error));
    // socket.io gives a new session on reconnection: take this connection's seats back. Answers
    // sent while away may have been refused, so the repeated decision requests are answered afresh.
    socket.on('connect', () => {
      for (const [matchId, seatToken] of this.seatTokens) {
        if (this.ends.has(matchId) || this.socketOf(matchId) !== socket) continue;
        for (const key of [...this.answered]) if (key.startsWith(`${matchId}:`)) this.answered.delete(key);
        void this.rejoin(socket, matchId, seatToken);
      }
    });
    socket.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect' && reason !== 'io client disconnect') return;
      const error = new RemoteAgentError('client-closed', `disconnected (${reason})`);
      if (socket === this.socket) this.failWaiting(error);
      else this.failWaiting(error, (matchId) => this.socketOf(matchId) === socket);
    });
  }

  private async request(socket: Socket, event: string, payload: object): Promise<Record<string, unknown>> {
    let ack: Ack;
    try {
      ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack;
    } catch {
      throw new RemoteAgentError('client-timeout', `no answer to "${event}"`, 'check the connection');
    }
    if (!ack.ok) throw new RemoteAgentError(ack.error.code, ack.error.message, ack.error.hint);
    return ack.result;
  }

  private async rejoin(socket: Socket, matchId: string, seatToken: string): Promise<void> {
    try {
      await this.request(socket, 'join', { matchId, seatToken, decision: this.decisionParts });
    } catch (error) {
      const wire = error as RemoteAgentError;
      this.reportError({ code: wire.code, message: wire.message, hint: wire.hint, matchId });
    }
  }

  private async answer(request: DecisionMessage): Promise<void> {
    const key = `${request.matchId}:${request.seat}:${request.stepIndex}`;
    if (this.handler === undefined || this.answered.has(key)) return;
    this.answered.add(key);
    try {
      const action = await this.handler(request);
      await this.act(request.matchId, request.stepIndex, action, request.seat);
    } catch (error) {
      const wire = error instanceof RemoteAgentError ? error : new RemoteAgentError('client-handler', String(error), 'fix the decision handler');
      this.reportError({ code: wire.code, message: wire.message, hint: wire.hint, matchId: request.matchId });
    }
  }

  private reportError(error: ReportedError): void {
    for (const listener of this.errorListeners) listener(error);
  }

  private onStart(start: MatchStartMessage): void {
    if (start.realtime === undefined || this.responders.has(start.matchId) || this.ends.has(start.matchId)) return;
    this.responders.set(
      start.matchId,
      new TickResponder({
        realtime: start.realtime,
        decide: (request) => {
          if (this.handler === undefined) throw new RemoteAgentError('client-handler', 'no decision handler', 'call onDecision before joining');
          return this.handler(request);
        },
        send: (input) => {
          this.socketOf(input.matchId).emit('input', input);
        },
        onError: (error, matchId) => {
          const wire = error instanceof RemoteAgentError ? error : new RemoteAgentError('client-handler', String(error), 'fix the decision handler');
          this.reportError({ code: wire.code, message: wire.message, hint: wire.hint, matchId });
        },
      }),
    );
  }

  /** Sends one real-time input by hand (the decision loop does this itself); no answer comes back on success. */
  input(matchId: string, action: number, seq: number, seat?: number): void {
    this.socketOf(matchId).emit('input', { matchId, action, seq, ...(seat === undefined ? {} : { seat }) });
  }

  private onEnd(end: MatchEndMessage): void {
    this.ends.set(end.matchId, end);
    this.responders.delete(end.matchId);
    this.matchSockets.delete(end.matchId);
    for (const key of [...this.answered]) if (key.startsWith(`${end.matchId}:`)) this.answered.delete(key);
    for (const pending of this.waiting.get(end.matchId) ?? []) pending.resolve(end);
    this.waiting.delete(end.matchId);
  }

  /** Rejects the waits for every match's end, or only for the matches `which` selects. */
  private failWaiting(error: Error, which?: (matchId: string) => boolean): void {
    for (const [matchId, list] of [...this.waiting]) {
      if (which !== undefined && !which(matchId)) continue;
      for (const pending of list) pending.reject(error);
      this.waiting.delete(matchId);
    }
  }
}
