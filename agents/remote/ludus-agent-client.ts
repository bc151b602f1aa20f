/**
 * A small client for external agents playing on a Ludus arena over socket.io (namespace
 * `/agents`, protocol in docs/agent-protocol.md). It joins matches with seat tokens, answers
 * each decision request once with `act` (echoing its stepIndex and seat), and resolves each
 * match's returns at `match:end`. It re-joins its matches after a reconnection.
 *
 * The message shapes are restated here as plain types: agents/ sits below arena/ and may not
 * import its zod schemas (the gateway tests check that both agree).
 */
import { io, type Socket } from 'socket.io-client';
import { errorClass } from '../../envs/index.ts';
import type { RemoteAssignment } from './colyseus-agent-client.ts';

export interface RemoteWireError { readonly code: string; readonly message: string; readonly hint: string }

export type RemoteAck =
  | { readonly ok: true; readonly result: { readonly type: string; readonly [key: string]: unknown } }
  | { readonly ok: false; readonly error: RemoteWireError };

export interface RemoteDecision {
  readonly type: 'decision';
  readonly matchId: string;
  readonly seat: number;
  readonly stepIndex: number;
  /** ms since the epoch, server clock. */
  readonly deadline: number;
  readonly observation: { readonly tensor: readonly number[]; readonly shape: readonly number[]; readonly text: string };
  readonly legalActions: readonly { readonly id: number; readonly text: string }[];
}

export interface RemoteMatchEnd {
  readonly type: 'match:end';
  readonly matchId: string;
  readonly returns: readonly number[];
  readonly reason: 'terminal' | 'forfeit' | 'aborted';
  readonly forfeitedBy?: number;
  readonly ratingChange?: readonly { readonly seat: number; readonly agentId?: string; readonly before: number; readonly after: number }[];
}

/** An action id, or one of the wire forms: `{ id }`, `{ struct }` (the env's action object), `{ text }`. */
export type RemoteAction = number | { readonly id: number } | { readonly struct: unknown } | { readonly text: string };

export type DecisionHandler = (request: RemoteDecision) => RemoteAction | Promise<RemoteAction>;

export interface ConnectOptions {
  /** A registered agent token or a seat token (sent as socket.io `auth.token`). */
  readonly token?: string;
  /** socket.io path; default '/socket.io'. */
  readonly path?: string;
  /** Give up connecting after this long; default 10 s. */
  readonly timeoutMs?: number;
}

/** A rejection from the server (its wire code) or a client-side failure ('client-timeout', 'client-closed'). */
export class RemoteAgentError extends errorClass<string>('RemoteAgentError') {}

const toWire = (action: RemoteAction): object => (typeof action === 'number' ? { id: action } : action);

interface Pending {
  readonly resolve: (end: RemoteMatchEnd) => void;
  readonly reject: (error: Error) => void;
}

export class LudusAgentClient {
  readonly socket: Socket;
  private handler: DecisionHandler | undefined;
  private readonly answered = new Set<string>();
  private readonly seatTokens = new Map<string, string>();
  private readonly ends = new Map<string, RemoteMatchEnd>();
  private readonly waiting = new Map<string, Pending[]>();
  private readonly errorListeners: ((error: RemoteWireError & { matchId?: string }) => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('decision', (request: RemoteDecision) => void this.answer(request));
    socket.on('match:end', (end: RemoteMatchEnd) => this.onEnd(end));
    socket.on('error', (error: RemoteWireError & { matchId?: string }) => this.reportError(error));
    // socket.io gives a new session on reconnection: take the seats back. Answers sent while
    // away may have been refused, so the repeated decision requests are answered afresh.
    socket.on('connect', () => {
      this.answered.clear();
      for (const [matchId, seatToken] of this.seatTokens) if (!this.ends.has(matchId)) void this.rejoin(matchId, seatToken);
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' || reason === 'io client disconnect') this.failWaiting(new RemoteAgentError('client-closed', `disconnected (${reason})`));
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
        resolve(new LudusAgentClient(socket));
      });
      socket.once('connect_error', (error: Error & { data?: RemoteWireError }) => {
        socket.close();
        const data = error.data;
        reject(data ? new RemoteAgentError(data.code, data.message, data.hint) : new RemoteAgentError('client-connect', error.message, 'check the url and that the server is up'));
      });
    });
  }

  /** Answers every decision request of every joined seat; one answer per (match, seat, step). */
  onDecision(handler: DecisionHandler): this {
    this.handler = handler;
    return this;
  }

  /** Errors the server pushes (timeouts, kicks, rejected answers of the decision loop). */
  onError(listener: (error: RemoteWireError & { matchId?: string }) => void): this {
    this.errorListeners.push(listener);
    return this;
  }

  /**
   * `match:assigned` pushes (a league's assignments, `queue` pairings; agent tokens only).
   * With `autoJoin` each assigned seat is joined at once and played by the decision handler.
   */
  onAssigned(handler: (assignment: RemoteAssignment) => void, options: { readonly autoJoin?: boolean } = {}): this {
    this.socket.on('match:assigned', (assignment: RemoteAssignment) => {
      handler(assignment);
      if (options.autoJoin) {
        this.join(assignment.matchId, assignment.seatToken).catch((error: RemoteAgentError) =>
          this.reportError({ code: error.code, message: error.message, hint: error.hint, matchId: assignment.matchId }));
      }
    });
    return this;
  }

  /** Waits in the env's queue for opponents; the pairing arrives as `match:assigned`. */
  async queue(env: string, params?: Readonly<Record<string, unknown>>): Promise<{ readonly env: string; readonly position: number }> {
    const result = await this.request('queue', { env, ...(params === undefined ? {} : { params }) });
    return { env: result.env as string, position: result.position as number };
  }

  /** Leaves the queue of `env`, or of every env; resolves with the envs left. */
  async unqueue(env?: string): Promise<readonly string[]> {
    const result = await this.request('unqueue', env === undefined ? {} : { env });
    return result.envs as string[];
  }

  /** Takes a seat; resolves with the seats this connection now holds in the match. */
  async join(matchId: string, seatToken: string): Promise<readonly number[]> {
    const result = await this.request('join', { matchId, seatToken });
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
  emitWithAck(event: string, payload: unknown, timeoutMs = 10_000): Promise<RemoteAck> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<RemoteAck>;
  }

  /** The `match:end` of a match this connection is in. */
  result(matchId: string): Promise<RemoteMatchEnd> {
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
    let ack: RemoteAck;
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
      await this.request('join', { matchId, seatToken });
    } catch (error) {
      const wire = error as RemoteAgentError;
      this.reportError({ code: wire.code, message: wire.message, hint: wire.hint, matchId });
    }
  }

  private async answer(request: RemoteDecision): Promise<void> {
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

  private reportError(error: RemoteWireError & { matchId?: string }): void {
    for (const listener of this.errorListeners) listener(error);
  }

  private onEnd(end: RemoteMatchEnd): void {
    this.ends.set(end.matchId, end);
    for (const key of [...this.answered]) if (key.startsWith(`${end.matchId}:`)) this.answered.delete(key);
    for (const pending of this.waiting.get(end.matchId) ?? []) pending.resolve(end);
    this.waiting.delete(end.matchId);
  }

  private failWaiting(error: Error): void {
    for (const list of this.waiting.values()) for (const pending of list) pending.reject(error);
    this.waiting.clear();
  }
}
