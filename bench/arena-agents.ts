/**
 * The external agents of `bench/arena.ts`: a socket.io agent (one connection, many matches)
 * and a Colyseus agent (one room per match), both answering every decision at once with a
 * seeded-random legal action, and the counters they share (LoadStats).
 *
 * Round trip (`roundTrips`): client time from sending `act` to receiving its Ack (socket.io
 * ack callback / Colyseus 'ack' message). A rate-limited act is resent after RETRY_MS and
 * its round trip runs from the first send. Handoff (`handoffs`): from one seat sending its
 * `act` to the other seat (on the other transport) receiving the next `decision`.
 */
import '../arena/rooms/node20-shim.ts';
import { Client as ColyseusClient, type Room } from '@colyseus/sdk';
import { io, type Socket } from 'socket.io-client';
import type { Rng } from '../envs/index.ts';

export type TransportName = 'socketio' | 'colyseus';
export const TRANSPORTS: readonly TransportName[] = ['socketio', 'colyseus'];

const RETRY_MS = 50;

interface WireDecision {
  readonly matchId: string;
  readonly stepIndex: number;
  readonly legalActions: readonly { readonly id: number }[];
}
interface WireAck {
  readonly ok: boolean;
  readonly result?: { readonly type: string; readonly stepIndex?: number };
  readonly error?: { readonly code: string };
}

/** Counters of one bench run; latencies are kept only for acts sent inside the window. */
export class LoadStats {
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;
  readonly roundTrips: Record<TransportName, number[]> = { socketio: [], colyseus: [] };
  /** Commits acked inside the window, per transport of the acting seat. */
  readonly windowDecisions: Record<TransportName, number> = { socketio: 0, colyseus: 0 };
  readonly handoffs: number[] = [];
  totalDecisions = 0;
  duplicated = 0;
  /** Acts without an Ack when their match was given up. */
  lostActs = 0;
  /** Decisions answered with a refusal that cannot be retried, or that reached no seat. */
  lostDecisions = 0;
  readonly errors: Record<string, number> = {};

  inWindow(t: number): boolean {
    return t >= this.windowStart && t < this.windowEnd;
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}

/** What both seats of one match share: the steps committed so far. */
export class MatchPlay {
  readonly matchId: string;
  readonly committed = new Set<number>();
  lastActAt: number | undefined;

  constructor(matchId: string) {
    this.matchId = matchId;
  }
}

type SendAct = (stepIndex: number, actionId: number, onAck: (ack: WireAck) => void) => void;

/** One seat in one match, whatever its transport. */
export class SeatPlay {
  readonly transport: TransportName;
  ended = false;
  private readonly match: MatchPlay;
  private readonly stats: LoadStats;
  private readonly rng: Rng;
  private readonly answered = new Set<number>();
  private pending: { readonly stepIndex: number; readonly firstSentAt: number } | undefined;
  private sendAct: SendAct | undefined;
  private onSettled: (() => void) | undefined;
  readonly settled: Promise<void>;

  constructor(match: MatchPlay, transport: TransportName, rng: Rng, stats: LoadStats) {
    this.match = match;
    this.transport = transport;
    this.rng = rng;
    this.stats = stats;
    this.settled = new Promise((resolve) => {
      this.onSettled = resolve;
    });
  }

  /** The transport's way to send `act` (set once joined). */
  bind(sendAct: SendAct): void {
    this.sendAct = sendAct;
  }

  /** An act still waiting for its Ack. */
  get hasPendingAct(): boolean {
    return this.pending !== undefined;
  }

  onDecision(decision: WireDecision): void {
    const now = performance.now();
    if (this.answered.has(decision.stepIndex)) {
      this.stats.duplicated++; // the same step asked again after it was answered
      return;
    }
    this.answered.add(decision.stepIndex);
    if (this.match.lastActAt !== undefined && this.stats.inWindow(this.match.lastActAt)) this.stats.handoffs.push(now - this.match.lastActAt);
    const legal = decision.legalActions;
    if (legal.length === 0 || this.sendAct === undefined) {
      this.stats.lostDecisions++;
      return;
    }
    const actionId = legal[this.rng.int(legal.length)]!.id;
    this.pending = { stepIndex: decision.stepIndex, firstSentAt: now };
    this.send(decision.stepIndex, actionId);
  }

  onEnd(): void {
    this.ended = true;
    this.settle();
  }

  private send(stepIndex: number, actionId: number): void {
    this.match.lastActAt = performance.now();
    this.sendAct!(stepIndex, actionId, (ack) => this.onAck(ack, stepIndex, actionId));
  }

  private onAck(ack: WireAck, stepIndex: number, actionId: number): void {
    const now = performance.now();
    const pending = this.pending;
    if (pending === undefined || pending.stepIndex !== stepIndex) {
      this.stats.error('bench-unexpected-ack');
      return;
    }
    if (!ack.ok) {
      const code = ack.error?.code ?? 'bench-bad-ack';
      this.stats.error(code);
      if (code === 'rate-limited' && !this.ended) {
        setTimeout(() => this.send(stepIndex, actionId), RETRY_MS);
        return;
      }
      this.stats.lostDecisions++;
    } else if (ack.result?.type === 'committed') {
      if (this.match.committed.has(stepIndex)) this.stats.duplicated++;
      this.match.committed.add(stepIndex);
      this.stats.totalDecisions++;
      if (this.stats.inWindow(now)) this.stats.windowDecisions[this.transport]++;
      if (this.stats.inWindow(pending.firstSentAt)) this.stats.roundTrips[this.transport].push(now - pending.firstSentAt);
    } else {
      this.stats.error(`bench-ack-${ack.result?.type ?? 'unknown'}`);
    }
    this.pending = undefined;
    this.settle();
  }

  private settle(): void {
    if (this.ended && this.pending === undefined) this.onSettled?.();
  }
}

/** One socket.io connection to `/agents`, holding a seat in each match it joined. */
export class SocketIoAgent {
  private readonly socket: Socket;
  private readonly seats = new Map<string, SeatPlay>();
  private readonly stats: LoadStats;
  private readonly states: boolean;

  private constructor(socket: Socket, stats: LoadStats, states: boolean) {
    this.socket = socket;
    this.stats = stats;
    this.states = states;
    socket.on('decision', (decision: WireDecision) => {
      const seat = this.seats.get(decision.matchId);
      if (seat === undefined) stats.lostDecisions++;
      else seat.onDecision(decision);
    });
    socket.on('match:end', (end: { matchId: string }) => this.seats.get(end.matchId)?.onEnd());
    socket.on('error', (error: { code?: string }) => stats.error(error.code ?? 'bench-socket-error'));
    socket.on('disconnect', () => stats.error('bench-disconnect'));
  }

  /** `states`: also receive the per-step state messages (a viewer's load; agents need only decisions). */
  static connect(url: string, stats: LoadStats, states = false): Promise<SocketIoAgent> {
    const socket = io(`${url}/agents`, { transports: ['websocket'], reconnection: false, timeout: 20_000 });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new SocketIoAgent(socket, stats, states)));
      socket.once('connect_error', (error: Error) => reject(error));
    });
  }

  /** Registers the seat before joining: the decision may arrive before the join's Ack. */
  join(matchId: string, seatToken: string, seat: SeatPlay): Promise<void> {
    this.seats.set(matchId, seat);
    seat.bind((stepIndex, actionId, onAck) => {
      this.socket.emit('act', { matchId, stepIndex, action: { id: actionId } }, onAck);
    });
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        this.socket.timeout(30_000).emit('join', { matchId, seatToken, states: this.states }, (error: Error | null, ack: WireAck) => {
          if (error !== null) return reject(new Error('bench: socket.io join timed out'));
          if (ack.ok) return resolve();
          this.stats.error(ack.error?.code ?? 'bench-bad-ack');
          if (ack.error?.code === 'rate-limited') setTimeout(attempt, RETRY_MS);
          else reject(new Error(`bench: socket.io join refused: ${ack.error?.code}`));
        });
      };
      attempt();
    });
  }

  forget(matchId: string): void {
    this.seats.delete(matchId);
  }

  close(): void {
    this.socket.removeAllListeners('disconnect');
    this.socket.close();
  }
}

/** A Colyseus SDK client: one room (one WebSocket) per match. */
export class ColyseusAgent {
  private readonly client: ColyseusClient;
  private readonly stats: LoadStats;
  private readonly states: boolean;

  constructor(url: string, stats: LoadStats, states = false) {
    this.client = new ColyseusClient(`${url}/colyseus`);
    this.stats = stats;
    this.states = states;
  }

  async join(matchId: string, seatToken: string, seat: SeatPlay): Promise<Room> {
    const room = await this.client.joinOrCreate('match', { matchId, seatToken, states: this.states });
    // One act at a time per seat, so each 'ack' answers the pending one.
    let onAck: ((ack: WireAck) => void) | undefined;
    seat.bind((stepIndex, actionId, callback) => {
      onAck = callback;
      room.send('act', { matchId, stepIndex, action: { id: actionId } });
    });
    room.onMessage('*', (type: string | number, payload: unknown) => {
      if (type === 'decision') seat.onDecision(payload as WireDecision);
      else if (type === 'ack') {
        const callback = onAck;
        onAck = undefined;
        if (callback === undefined) this.stats.error('bench-unexpected-ack');
        else callback(payload as WireAck);
      } else if (type === 'match:end') seat.onEnd();
      else if (type === 'error') this.stats.error((payload as { code?: string }).code ?? 'bench-room-error');
    });
    return room;
  }
}
