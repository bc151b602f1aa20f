/**
 * MatchRoom: the Colyseus transport for one match, a thin adapter over its MatchRunner.
 * Players join with `{ matchId, seatToken }` (and optionally `states`, `decision`, `tickEvery`
 * as in the `join` message), spectators with `{ matchId, spectate: true }`.
 * Every client message goes to `runner.submit` and its Ack comes back as an 'ack' message
 * (or as the reply of `room.request`); runner events reach their session by `client.send`.
 * The synced room state holds only spectator-safe data; a seat's private data (decisions,
 * its own view) travels only in messages to that seat's client.
 */
import './node20-shim.ts';
import { CloseCode, ErrorCode, Room, ServerError, type AuthContext, type Client, type MessageContext } from '@colyseus/core';
import { schema, t, type SchemaType } from '@colyseus/schema';
import { z } from 'zod';
import { wireError, type WireError } from '../../protocol/errors.ts';
import { DecisionOptionsSchema, MAX_ID_CHARS, toClientMessage, type Ack } from '../../protocol/messages.ts';
import { flattenView } from '../../protocol/view-leaves.ts';
import { stateMessage } from '../match/fan-out.ts';
import type { MatchManagerApi, MatchSummaryView } from '../lobby/match-manager-api.ts';
import type { MatchEvent, MatchRunner } from '../match/match-runner.ts';
import { identityKey, type RateLimiter } from '../match/rate-limiter.ts';
import { corkForTurn, tcpSocketOf } from '../socket-cork.ts';

/** The connecting socket's own address (Colyseus' `context.ip` believes X-Forwarded-For, which anyone can send). */
export function socketAddress(context: AuthContext | undefined): string | undefined {
  const req = context?.req as { socket?: { remoteAddress?: string } } | undefined;
  return req?.socket?.remoteAddress ?? context?.ip;
}

export const MATCH_ROOM_NAME = 'match';

/** What every client of the room sees (spectator-safe only). JSON strings avoid array churn. */
export const MatchRoomState = schema(
  {
    matchId: t.string().default(''),
    env: t.string().default(''),
    status: t.string<MatchSummaryView['status']>().default('waiting'),
    stepIndex: t.uint32().default(0),
    /** 'decision' | 'simultaneous' | 'chance' | 'terminal'. */
    turnKind: t.string().default(''),
    /** JSON array of the seats that still owe an answer. */
    toAct: t.string().default('[]'),
    /** JSON of the env's spectator view. */
    view: t.string().default('null'),
    /** Set once, when the match ends. */
    returns: t.array('number'),
    /** Real-time matches: ticks applied so far. */
    tick: t.uint32().default(0),
    /**
     * Real-time matches: the spectator view as leaves (protocol/view-leaves.ts), numbers here and
     * other values JSON-encoded in `labels`, so each patch carries only what changed since the last.
     */
    leaves: t.map('float64'),
    labels: t.map('string'),
  },
  'MatchRoomState',
);
export type MatchRoomState = SchemaType<typeof MatchRoomState>;

const IdSchema = z.string().min(1).max(MAX_ID_CHARS);
export const MatchRoomJoinOptionsSchema = z.union([
  z.object({
    matchId: IdSchema,
    seatToken: IdSchema,
    spectate: z.literal(false).optional(),
    states: z.boolean().optional(),
    decision: DecisionOptionsSchema.optional(),
    tickEvery: z.number().int().min(1).max(1000).optional(),
  }),
  z.object({ matchId: IdSchema, spectate: z.literal(true) }),
]);
export type MatchRoomJoinOptions = z.infer<typeof MatchRoomJoinOptionsSchema>;

export interface MatchRoomSettings {
  /** The rooms' shared bucket per identity (seat token, else IP); none: only the runner's per-seat budget. */
  readonly limiter?: RateLimiter;
}

interface SessionData {
  /** Kept server-side so a dropped player can be re-bound on Colyseus reconnection. */
  seatToken?: string;
  /** The rate-limit key (seat token, else the socket's address). */
  identity?: string;
  /** A spectator, or a player that wants state: someone who reads the synced room state. */
  watches?: boolean;
  /** The step of the last decision whose answer was credited (a repeated request earns nothing). */
  creditedStep?: number;
}
type RoomClient = Client<{ userData: SessionData }>;

/** The room's refusal of a join, carrying the wire code first: `"<code>: <message>"`. */
export function joinRefusal(error: WireError): ServerError {
  const status =
    error.code === 'unauthorized' ? ErrorCode.AUTH_FAILED : error.code === 'unknown-match' ? ErrorCode.MATCHMAKE_INVALID_CRITERIA : ErrorCode.APPLICATION_ERROR;
  return new ServerError(status, `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
}

/** Message types a client may send on this transport; binding happens at join time. */
const FORWARDED_TYPES = ['act', 'ping', 'input'] as const;
const BOUND_AT_JOIN = ['join', 'spectate'] as const;

export class MatchRoom extends Room<{ state: MatchRoomState; client: RoomClient }> {
  /** Set by `matchRoomType`. */
  protected matches: MatchManagerApi | undefined = undefined;
  protected roomSettings: MatchRoomSettings = {};
  private runner: MatchRunner | undefined = undefined;
  private unsubscribe: (() => void) | undefined = undefined;
  private lastSynced = '';

  override state = new MatchRoomState();
  // Turn-based: one patch per change (refresh), none while idle.
  override patchRate: number | null = null;

  override onCreate(options: unknown): void {
    const matchId = (options as { matchId?: unknown } | undefined)?.matchId;
    const runner = typeof matchId === 'string' ? this.matches?.get(matchId) : undefined;
    if (runner === undefined) {
      throw joinRefusal(wireError('unknown-match', `no match "${String(matchId).slice(0, 40)}" here`, 'create the match first, then join with its matchId'));
    }
    this.runner = runner;
    this.state.matchId = runner.matchId;
    this.state.env = runner.env.key;
    for (const type of FORWARDED_TYPES) {
      this.onMessage(type, (client: RoomClient, payload: unknown, ctx: MessageContext) => this.forward(client, type, payload, ctx));
    }
    for (const type of BOUND_AT_JOIN) {
      this.onMessage(type, (client: RoomClient, _payload: unknown, ctx: MessageContext) =>
        this.reply(client, ctx, {
          ok: false,
          error: wireError(
            'unknown-message',
            `"${type}" is not a message on this transport`,
            'join the room with { matchId, seatToken } or { matchId, spectate: true }',
          ),
        }),
      );
    }
    // Unknown types go to the runner too, so they get its typed 'unknown-message' Ack instead of a disconnect.
    this.onMessage('*', (client: RoomClient, type: string | number, payload: unknown) => this.forward(client, type, payload, undefined));
    this.unsubscribe = runner.subscribe((event) => this.deliver(event));
    const realtime = runner.realtime;
    // Real time: patches at the spectators' rate, carrying only the leaves that changed.
    if (realtime !== undefined) this.setPatchRate((1000 / realtime.tickHz) * runner.spectatorTicks);
    else stopClockTicks(this);
    // No sync yet: nobody reads the room state until a watcher joins, and each one forces it then.
  }

  override onAuth(client: RoomClient, options: unknown, context?: AuthContext): true {
    const parsed = MatchRoomJoinOptionsSchema.safeParse(options);
    if (!parsed.success) throw joinRefusal(wireError('bad-envelope', 'bad join options', 'join with { matchId, seatToken } or { matchId, spectate: true }'));
    const runner = this.mustRunner();
    if (parsed.data.matchId !== runner.matchId)
      throw joinRefusal(wireError('unknown-match', 'this room hosts another match', `join with matchId "${runner.matchId}"`));
    if (!parsed.data.spectate && runner.seats.seatForToken(parsed.data.seatToken) === undefined) {
      throw joinRefusal(wireError('unauthorized', 'wrong seat token for this match', 'use the token issued with your seat'));
    }
    client.userData = { identity: identityKey(parsed.data.spectate ? { ip: socketAddress(context) } : { seatToken: parsed.data.seatToken }) };
    return true;
  }

  override onJoin(client: RoomClient, options: unknown): void {
    corkClient(client); // match:start, the first decision and Colyseus' join confirmation leave together
    const joined = MatchRoomJoinOptionsSchema.parse(options); // onAuth checked it
    const runner = this.mustRunner();
    if (joined.spectate) {
      client.userData = { ...client.userData, watches: true };
      this.refresh(true);
      // Real-time spectators read the synced leaves; 'state' messages would repeat them in full.
      const states = runner.realtime === undefined;
      const ack = runner.submit(client.sessionId, { type: 'spectate', matchId: joined.matchId, ...(states ? {} : { states: false }) });
      // A finished match can still be watched: its final state is in the room state.
      if (!ack.ok && ack.error.code !== 'game-over') throw joinRefusal(ack.error);
      return;
    }
    const ack = runner.submit(client.sessionId, {
      type: 'join',
      matchId: joined.matchId,
      seatToken: joined.seatToken,
      ...(joined.states === undefined ? {} : { states: joined.states }),
      ...(joined.decision === undefined ? {} : { decision: joined.decision }),
      ...(joined.tickEvery === undefined ? {} : { tickEvery: joined.tickEvery }),
    });
    if (!ack.ok) throw joinRefusal(ack.error);
    client.userData = { ...client.userData, seatToken: joined.seatToken, watches: joined.states !== false };
    if (joined.states !== false) this.refresh(true);
    // The runner starts the match itself once its last seat joined (MatchRunner.startIfSeated).
  }

  override onDrop(client: RoomClient): void {
    const runner = this.mustRunner();
    runner.disconnect(client.sessionId);
    const windowMs = runner.settings.reconnectWindowMs;
    if (client.userData?.seatToken === undefined || windowMs <= 0) return;
    // 'manual' and our own timer: Colyseus' timed form leaves its timer running when a shutdown
    // rejects the reconnection, holding the process open for the rest of the window.
    const reconnection = this.allowReconnection(client, 'manual');
    const timer = setTimeout(() => reconnection.reject(new Error('reconnect window closed')), windowMs);
    // Settles on return, expiry or shutdown (or at once for a client that never finished joining); onLeave follows a rejection.
    reconnection.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
  }

  override onReconnect(client: RoomClient): void {
    const token = client.userData?.seatToken;
    if (token === undefined) return;
    const ack = this.mustRunner().reconnect(token, client.sessionId);
    if (!ack.ok) throw joinRefusal(ack.error);
  }

  override onLeave(client: RoomClient): void {
    this.runner?.disconnect(client.sessionId); // idempotent after onDrop
  }

  override onDispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    // Colyseus leaves the timers of unused seat reservations (a matchmake call whose client
    // never connected) running after dispose; each would hold the process open for up to 15 s.
    const reserved = (this as unknown as { _reservedSeatTimeouts?: Record<string, ReturnType<typeof setTimeout>> })._reservedSeatTimeouts;
    for (const timer of Object.values(reserved ?? {})) clearTimeout(timer);
  }

  // ---- adapter

  private forward(client: RoomClient, type: string | number, payload: unknown, ctx: MessageContext | undefined): Ack | undefined {
    corkClient(client); // the ack, and what the message causes here, leave in one write
    const verdict = this.roomSettings.limiter?.take(budgetKey(client), budgetScale(client)) ?? 'ok';
    if (verdict !== 'ok') {
      if (verdict === 'kick') client.leave(CloseCode.WITH_ERROR, 'rate-limited');
      return this.reply(client, ctx, { ok: false, error: wireError('rate-limited', 'too many messages', 'slow down') });
    }
    const ack = this.mustRunner().submit(client.sessionId, toClientMessage(type, payload));
    return this.reply(client, ctx, ack);
  }

  /** A `room.request` gets the Ack as its reply; a plain `room.send` gets an 'ack' message. */
  private reply(client: RoomClient, ctx: MessageContext | undefined, ack: Ack): Ack | undefined {
    if (ctx?.id !== undefined) return ack;
    if (ack.ok && ack.result.type === 'input') return undefined; // real-time inputs are fire-and-forget
    client.send('ack', ack);
    return undefined;
  }

  private deliver(event: MatchEvent): void {
    if (event.kind === 'send') {
      const client = this.clients.get(event.sessionId);
      if (client !== undefined) {
        corkClient(client);
        client.send(event.message.type, event.message);
        if (event.message.type === 'decision') this.creditDecision(client, event.message.stepIndex);
      }
    } else if (event.kind === 'kick') this.clients.get(event.sessionId)?.leave(CloseCode.WITH_ERROR, event.reason);
    // Real time: the picture changes once per tick, not once per message of it.
    if (this.runner?.realtime !== undefined && event.kind === 'send') return;
    this.refresh(false);
  }

  /** A decision for a new step gives back the token its answer will spend. */
  private creditDecision(client: RoomClient, stepIndex: number): void {
    const data = client.userData;
    if (data === undefined || data.creditedStep === stepIndex) return;
    data.creditedStep = stepIndex;
    this.roomSettings.limiter?.credit(budgetKey(client), budgetScale(client));
  }

  /** Copies the spectator's picture of the match into the room state when it changed. */
  private refresh(force: boolean): void {
    const runner = this.runner;
    if (runner === undefined) return;
    const result = runner.result;
    // Agents that joined with states: false read only their messages: no one to sync for (a
    // spectator joining later, also after the end, gets a forced sync). Checked first: this runs
    // on every runner event, most of them in rooms of such agents.
    if (!force && !this.clients.some((c) => c.userData?.watches === true)) return;
    const status: MatchSummaryView['status'] = result ? (result.reason === 'aborted' ? 'aborted' : 'finished') : runner.isStarted ? 'live' : 'waiting';
    const pending = runner.isOver ? [] : runner.pendingSeats();
    const key = `${status}|${runner.stepIndex}|${pending.join(',')}`;
    if (!force && key === this.lastSynced) return;
    this.lastSynced = key;
    if (runner.realtime !== undefined) {
      this.syncLeaves(runner, status);
      return;
    }
    const view = stateMessage(runner, 'spectator');
    this.state.status = status;
    this.state.stepIndex = view.stepIndex;
    this.state.turnKind = view.turn.kind;
    this.state.toAct = JSON.stringify(view.turn.seats);
    this.state.view = JSON.stringify(view.view);
    if (result && this.state.returns.length === 0) for (const value of result.returns) this.state.returns.push(value);
    this.broadcastPatch();
  }

  /** Real time: copies only the leaves of the spectator view that changed; the patch timer sends them. */
  private syncLeaves(runner: MatchRunner, status: MatchSummaryView['status']): void {
    const state = this.state;
    state.status = status;
    state.stepIndex = runner.stepIndex;
    state.tick = runner.tick;
    state.turnKind = runner.episode.turn.kind;
    const leaves = flattenView(runner.env.view(runner.episode.state, 'spectator'));
    for (const [path, leaf] of leaves) {
      if (typeof leaf === 'number') {
        if (state.leaves.get(path) !== leaf) state.leaves.set(path, leaf);
      } else {
        const label = JSON.stringify(leaf);
        if (state.labels.get(path) !== label) state.labels.set(path, label);
      }
    }
    for (const path of [...state.leaves.keys()]) if (typeof leaves.get(path) !== 'number') state.leaves.delete(path);
    for (const path of [...state.labels.keys()]) if (!leaves.has(path) || typeof leaves.get(path) === 'number') state.labels.delete(path);
    const result = runner.result;
    if (result && state.returns.length === 0) {
      for (const value of result.returns) state.returns.push(value);
      this.broadcastPatch();
    }
  }

  private mustRunner(): MatchRunner {
    if (this.runner === undefined) throw joinRefusal(wireError('unknown-match', 'the room has no match', 'join again'));
    return this.runner;
  }
}

/** The longest delay a Node timer takes (a longer one fires at once). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A room without a patch timer gets a 60 Hz timer that ticks its `clock` (Colyseus' delayed
 * callbacks), hundreds of rooms thousands of wake-ups a second; nothing here uses that clock. A
 * timestep that never comes due takes its place, and setting the patch rate again drops the tick.
 */
function stopClockTicks(room: MatchRoom): void {
  room.setTimestep(() => undefined, LONGEST_TIMER_MS);
  room.patchRate = null;
}

/** The client's bucket in the rooms' limiter: its identity (seat token, else address). */
function budgetKey(client: RoomClient): string {
  return client.userData?.identity ?? `session:${client.sessionId}`;
}

/** A seat token holds one match: twice the base budget (rate-limiter.ts); a spectator the base. */
function budgetScale(client: RoomClient): number {
  return client.userData?.seatToken === undefined ? 1 : 2;
}

/** This turn's writes to the client's WebSocket leave together (arena/socket-cork.ts). */
function corkClient(client: RoomClient): void {
  corkForTurn(tcpSocketOf((client as { ref?: unknown }).ref));
}

/** The room class bound to one match registry (Colyseus instantiates room classes itself). */
export function matchRoomType(matches: MatchManagerApi, settings: MatchRoomSettings = {}): typeof MatchRoom {
  return class BoundMatchRoom extends MatchRoom {
    protected override matches: MatchManagerApi | undefined = matches;
    protected override roomSettings: MatchRoomSettings = settings;
  };
}
