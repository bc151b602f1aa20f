/**
 * A small client for external agents playing on a Ludus arena over socket.io (namespace
 * `/agents`, protocol in docs/agent-protocol.md). It joins matches with seat tokens, answers
 * each decision request once with `act` (echoing its stepIndex and seat), and resolves each
 * match's returns at `match:end`. It re-joins its matches after a reconnection.
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

export class LudusAgentClient {
  readonly socket: Socket;
  private handler: DecisionHandler | undefined;
  private readonly answered = new Set<string>();
  private readonly seatTokens = new Map<string, string>();
  private readonly ends = new Map<string, MatchEndMessage>();
  private readonly waiting = new Map<string, Pending[]>();
  private readonly errorListeners: ((error: ReportedError) => void)[] = [];
  /** Real-time matches: their ticks, answered by the decision handler as inputs. */
  private readonly responders = new Map<string, TickResponder>();

  /** What this connection's decisions carry (sent with every join). */
  private readonly decisionParts: DecisionOptions;

  private constructor(socket: Socket, decision: DecisionOptions) {
    this.socket = socket;
    this.decisionParts = decision;
    socket.on('decision', (request: DecisionMessage) => void this.answer(request));
    socket.on('match:start', (start: MatchStartMessage) => this.onStart(start));
    socket.on('tick', (tick: TickMessage) => this.responders.get(tick.matchId)?.onTick(tick));
    socket.on('match:end', (end: MatchEndMessage) => this.onEnd(end));
    socket.on('error', (error: ReportedError) => this.reportError(error));
    // socket.io gives a new session on reconnection: take the seats back. Answers sent while
    // away may have been refused, so the repeated decision requests are answered afresh.
    socket.on('connect', () => {
      this.answered.clear();
      for (const [matchId, seatToken] of this.seatTokens) if (!this.ends.has(matchId)) void this.rejoin(matchId, seatToken);
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' || reason === 'io client disconnect')
        this.failWaiting(new RemoteAgentError('client-closed', `disconnected (${reason})`));
    });
  }

  /** Connects to `url` (e.g. http://localhost:2567); rejects with the server's error code on a refused token. */
  static connect(url: string, options: ConnectOptions = {}): Promise<LudusAgentClient> {
    const socket = io(`${url.replace(/\/+$/, '')}/agents`, {
      path: options.path ?? '/socket.io',
      transports: ['websocket'],
      auth: options.token === undefined ? {} : { token: options.token },
      timeout: options.timeoutMs ?? 10_000,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error');
        resolve(new LudusAgentClient(socket, options.decision ?? FULL_DECISIONS));
      });
      socket.once('connect_error', (error: Error & { data?: WireError }) => {
        socket.close();
        const data = error.data;
        reject(
          data
            ? new RemoteAgentError(data.code, data.message, data.hint)
            : new RemoteAgentError('client-connect', error.message, 'check the url and that the server is up'),
        );
      });
    });
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
   * `match:assigned` pushes (a league's assignments, `queue` pairings; agent tokens only).
   * With `autoJoin` each assigned seat is joined at once and played by the decision handler.
   */
  onAssigned(handler: (assignment: MatchAssignedMessage) => void, options: { readonly autoJoin?: boolean } = {}): this {
    this.socket.on('match:assigned', (assignment: MatchAssignedMessage) => {
      handler(assignment);
      if (options.autoJoin) {
        this.join(assignment.matchId, assignment.seatToken).catch((error: RemoteAgentError) =>
          this.reportError({ code: error.code, message: error.message, hint: error.hint, matchId: assignment.matchId }),
        );
      }
    });
    return this;
  }

  /** Waits in the env's queue for opponents (`moveTimeMs`: the time per move it needs); the pairing arrives as `match:assigned`. */
  async queue(env: string, params?: Readonly<Record<string, unknown>>, moveTimeMs?: number): Promise<{ readonly env: string; readonly position: number }> {
    const result = await this.request('queue', { env, ...(params === undefined ? {} : { params }), ...(moveTimeMs === undefined ? {} : { moveTimeMs }) });
    return { env: result.env as string, position: result.position as number };
  }

  /** Leaves the queue of `env`, or of every env; resolves with the envs left. */
  async unqueue(env?: string): Promise<readonly string[]> {
    const result = await this.request('unqueue', env === undefined ? {} : { env });
    return result.envs as string[];
  }

  /** Takes a seat; resolves with the seats this connection now holds in the match. */
  async join(matchId: string, seatToken: string): Promise<readonly number[]> {
    const result = await this.request('join', { matchId, seatToken, decision: this.decisionParts });
    this.seatTokens.set(matchId, seatToken);
    return (result as { seats?: number[] }).seats ?? [];
  }

  async spectate(matchId: string): Promise<void> {
    await this.request('spectate', { matchId });
  }

  /** Sends one action by hand (the decision loop does this itself); resolves with the accepted result. */
  act(matchId: string, stepIndex: number, action: RemoteAction, seat?: number): Promise<Record<string, unknown>> {
    return this.request('act', { matchId, stepIndex, action: toWire(action), ...(seat === undefined ? {} : { seat }) });
  }

  /** Round trip; resolves with the server time. */
  async ping(): Promise<number> {
    const result = await this.request('ping', { t: Date.now() });
    return result.serverTime as number;
  }

  /** Emits any event and resolves with the raw Ack (for tests and protocol experiments). */
  emitWithAck(event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack>;
  }

  /** The `match:end` of a match this connection is in. */
  result(matchId: string): Promise<MatchEndMessage> {
    const end = this.ends.get(matchId);
    if (end) return Promise.resolve(end);
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(matchId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(matchId, list);
    });
  }

  close(): void {
    this.socket.close();
    this.failWaiting(new RemoteAgentError('client-closed', 'the client was closed'));
  }

  private async request(event: string, payload: object): Promise<Record<string, unknown>> {
    let ack: Ack;
    try {
      ack = await this.emitWithAck(event, payload);
    } catch {
      throw new RemoteAgentError('client-timeout', `no answer to "${event}"`, 'check the connection');
    }
    if (!ack.ok) throw new RemoteAgentError(ack.error.code, ack.error.message, ack.error.hint);
    return ack.result;
  }

  private async rejoin(matchId: string, seatToken: string): Promise<void> {
    try {
      await this.request('join', { matchId, seatToken, decision: this.decisionParts });
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
          this.socket.emit('input', input);
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
    this.socket.emit('input', { matchId, action, seq, ...(seat === undefined ? {} : { seat }) });
  }

  private onEnd(end: MatchEndMessage): void {
    this.ends.set(end.matchId, end);
    this.responders.delete(end.matchId);
    for (const key of [...this.answered]) if (key.startsWith(`${end.matchId}:`)) this.answered.delete(key);
    for (const pending of this.waiting.get(end.matchId) ?? []) pending.resolve(end);
    this.waiting.delete(end.matchId);
  }

  private failWaiting(error: Error): void {
    for (const list of this.waiting.values()) for (const pending of list) pending.reject(error);
    this.waiting.clear();
  }
}
