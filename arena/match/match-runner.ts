/**
 * MatchRunner: the transport-agnostic authority over one match. Transports (Colyseus rooms,
 * the socket.io gateway) are thin adapters: they pass each client message to `submit` with
 * the connection's sessionId and return its Ack, report drops with `disconnect`, and deliver
 * every `send` event to its sessionId. The runner binds sessions to seats, runs the
 * validation pipeline (validate-move.ts) and fans out per-viewer messages; the game itself
 * (episode, clocks, timeouts, agents) is its MatchEngine. Nothing here ever throws at a caller.
 */
import type { AnyEnv, EpisodeRecord, Seat, TextVerdict } from '../../envs/index.ts';
import { toWireError } from '../arena-error.ts';
import { wireError, type WireError } from '../../protocol/errors.ts';
import type {
  Accepted,
  Ack,
  ActMessage,
  ClientMessage,
  InputMessage,
  JoinMessage,
  PlayedAction,
  RatingChange,
  RealtimeInfo,
  SpectateMessage,
} from '../../protocol/messages.ts';
import { systemClock, type Clock } from './clocks.ts';
import { decisionMessage, endMessage, errorMessage, startMessage, stateMessage, tickMessage, type FanOutContext } from './fan-out.ts';
import { checkSeats, parseMatchSettings, type MatchRunnerOptions, type MatchSettings } from './match-config.ts';
import { MatchEngine, type EngineHooks, type EngineOptions } from './match-engine.ts';
import { errorText, MatchLog, type FinishedMatch, type MatchLogEntry } from './match-log.ts';
import { MatchOutbox, type MatchListener } from './match-outbox.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SeatMap } from './seat-map.ts';
import { TickEngine } from './tick-engine.ts';
import { parseEnvelope, validateAct, validateInput, type MatchContext } from './validate-move.ts';

export type { MatchEvent, MatchListener } from './match-outbox.ts';

const ok = (result: Accepted): Ack => ({ ok: true, result });

/** What a text move became, for its sender: the env's verdict, and the action or the verdict in words. */
function playedText(env: AnyEnv, before: unknown, seat: Seat, verdict: TextVerdict): PlayedAction {
  if (verdict.kind === 'invalid') return { text: `invalid: ${verdict.reason}`, verdict: { ...verdict } };
  if (verdict.action === undefined) return { text: verdict.summary, verdict: { ...verdict } };
  return { id: verdict.action, text: env.actionText(before, seat, verdict.action), verdict: { ...verdict } };
}
const fail = (error: WireError): Ack => ({ ok: false, error });
const gameOver = (): Ack => fail(wireError('game-over', 'the match is over', 'wait for the next match or watch its replay'));
const unknownMatch = (given: string, current: string): Ack =>
  fail(wireError('unknown-match', `no match "${given.slice(0, 40)}" here`, `this connection is in match "${current}"`));

export class MatchRunner implements MatchContext, FanOutContext {
  readonly matchId: string;
  readonly settings: MatchSettings;
  readonly seats: SeatMap;
  private readonly engine: MatchEngine | TickEngine;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  /** Sessions that joined with `states: false`: decisions and match:end only. */
  private readonly statesOff = new Set<string>();
  /** Real-time matches: a session's `tick` messages come every N ticks (join's `tickEvery`). */
  private readonly tickEvery = new Map<string, number>();
  /** Real-time matches: message transports get the spectator view every N ticks. */
  private readonly spectatorEvery: number = 1;
  private readonly matchLog: MatchLog;
  private readonly outbox: MatchOutbox;
  private startedAt: number | null = null;
  private finishedMatch: FinishedMatch | undefined;
  private readonly rate: MatchRunnerOptions['rate'];
  private readonly autoStart: boolean;
  /** How a real-time match runs (fixed at creation; read on every event by the transports); undefined for turn-based ones. */
  readonly realtime: RealtimeInfo | undefined = undefined;

  /** Throws MatchConfigError / BadParamsError on a bad setup (a server bug, not client input). */
  constructor(options: MatchRunnerOptions) {
    this.matchId = options.matchId;
    this.rate = options.rate;
    this.autoStart = options.autoStart ?? false;
    this.settings = parseMatchSettings(options.settings);
    this.clock = options.clock ?? systemClock;
    this.matchLog = new MatchLog(this.clock);
    this.seats = new SeatMap(options.seats);
    const engineOptions: EngineOptions = {
      env: options.env,
      params: options.params ?? {},
      seed: options.seed,
      seats: this.seats,
      settings: this.settings,
      clock: this.clock,
      log: this.matchLog,
      hooks: this.engineHooks(),
    };
    const realtime = options.env.dims(options.env.parseParams(options.params ?? {})).realtime;
    if (realtime === undefined) this.engine = new MatchEngine(engineOptions);
    else {
      const tickHz = this.settings.realtime?.tickHz ?? realtime.tickHz;
      this.engine = new TickEngine({
        ...engineOptions,
        realtime,
        tickHz,
        ...(options.fallbackAgent === undefined ? {} : { fallbackAgent: options.fallbackAgent }),
        ...(options.tickStats === undefined ? {} : { stats: options.tickStats }),
      });
      this.spectatorEvery = this.settings.realtime?.spectatorEvery ?? Math.max(1, Math.round(tickHz / 10));
      const dims = this.engine.env.dims(this.engine.episode.params);
      this.realtime = Object.freeze({
        tickHz,
        input: realtime.input,
        defaultActions: realtime.defaultActions.slice(),
        numDistinctActions: dims.numDistinctActions,
        observationShape: dims.observationShape.slice(),
      });
    }
    checkSeats(options, this.engine.env.dims(this.engine.episode.params).numPlayers);
    this.limiter = new RateLimiter(this.rateBudget(), this.clock);
    this.outbox = new MatchOutbox({ log: this.matchLog, onFinished: options.onFinished, track: (task) => this.engine.agents.track(task) });
  }

  /** Real time: every seat may send a few inputs per tick, whatever the turn-based default. */
  private rateBudget(): MatchSettings['rateLimit'] {
    const budget = this.settings.rateLimit;
    if (!(this.engine instanceof TickEngine)) return budget;
    const perSecond = 2 * this.engine.tickHz;
    return { ...budget, capacity: Math.max(budget.capacity, Math.ceil(perSecond)), refillPerSecond: Math.max(budget.refillPerSecond, perSecond) };
  }

  // ---- read-only surface (also what validation and fan-out read)

  get env() {
    return this.engine.env;
  }
  get episode() {
    return this.engine.episode;
  }
  get clocks() {
    return this.engine.clocks;
  }
  get isStarted(): boolean {
    return this.engine.isStarted;
  }
  get isOver(): boolean {
    return this.engine.isOver;
  }
  get stepIndex(): number {
    return this.engine.episode.stepIndex;
  }
  // Real-time matches keep no move list: a tick is not a move a person reads.
  get lastMove() {
    return this.engine instanceof TickEngine ? null : this.engine.lastMove;
  }
  get moveLog() {
    return this.engine instanceof TickEngine ? [] : this.engine.moveLog;
  }
  get moveTimeMs(): number {
    return this.settings.moveTimeMs;
  }
  /** Real-time matches: the view goes to watchers every this many ticks. */
  get spectatorTicks(): number {
    return this.spectatorEvery;
  }
  /** Real-time matches: ticks applied so far (0 for turn-based ones). */
  get tick(): number {
    return this.engine instanceof TickEngine ? this.engine.tick : 0;
  }
  /** Real-time matches: a seat's last input seq that a tick applied. */
  lastAppliedSeq(seat: Seat): number | null {
    return this.engine instanceof TickEngine ? this.engine.lastAppliedSeq(seat) : null;
  }
  /** The true env state: server-side only (tests, storage), never for clients. */
  get state(): unknown {
    return this.engine.episode.state;
  }
  get log(): readonly MatchLogEntry[] {
    return this.matchLog.entries;
  }
  /** Set once the match has ended. */
  get result(): FinishedMatch | undefined {
    return this.finishedMatch;
  }
  record(): EpisodeRecord {
    return this.engine.episode.toRecord();
  }
  hasAnswered(seat: Seat): boolean {
    return this.engine.hasAnswered(seat);
  }
  pendingSeats(): Seat[] {
    return this.engine.pendingSeats();
  }

  subscribe(listener: MatchListener): () => void {
    return this.outbox.subscribe(listener);
  }

  /** Resolves when no in-process agent is thinking and no onFinished promise is pending. */
  whenIdle(): Promise<void> {
    return this.engine.agents.whenIdle();
  }

  // ---- operations

  /** Starts the clocks: match:start to every bound session, then the first decisions. */
  start(): void {
    this.operate(() => {
      if (this.engine.isStarted) return;
      this.startedAt = this.clock.now();
      for (const sessionId of this.seats.sessions()) this.outbox.send(sessionId, startMessage(this, this.seats.seatsOf(sessionId)));
      this.engine.start();
    });
  }

  /**
   * The one place that decides "every seat is connected, so play": with `autoStart` the runner
   * calls it after every seat binding; whoever creates an all-agent match calls it once.
   */
  startIfSeated(): boolean {
    if (!this.autoStart || this.engine.isStarted || this.engine.isOver) return false;
    if (!this.seats.connectedFlags().every(Boolean)) return false;
    this.start();
    return true;
  }

  /** One client message (a JSON string or a decoded object) through the whole pipeline. */
  submit(sessionId: string, raw: unknown): Ack {
    return this.operate(
      () => {
        const limited = this.takeBudget(sessionId);
        if (limited !== undefined) return limited;
        const envelope = parseEnvelope(raw);
        if (!envelope.ok) return fail(envelope.error);
        return this.dispatch(sessionId, envelope.value);
      },
      (error) => fail(toWireError(error)),
    );
  }

  /**
   * A message a transport already ran through `parseEnvelope` (the socket.io gateway does, to
   * route it): the same pipeline from the rate limit on, without parsing it a second time.
   */
  submitParsed(sessionId: string, msg: ClientMessage): Ack {
    return this.operate(
      () => this.takeBudget(sessionId) ?? this.dispatch(sessionId, msg),
      (error) => fail(toWireError(error)),
    );
  }

  /** The seat's rate budget: undefined when the message may go on, else the refusal. */
  private takeBudget(sessionId: string): Ack | undefined {
    const verdict = this.limiter.take(this.budgetKey(sessionId));
    if (verdict === 'ok') return undefined;
    if (verdict === 'kick') this.outbox.push({ kind: 'kick', sessionId, reason: 'rate-limited' });
    return fail(wireError('rate-limited', 'too many messages', `at most ${this.settings.rateLimit.refillPerSecond} per second`));
  }

  /** A seat keeps its budget across reconnections (a fresh connection buys no fresh burst); others go by session. */
  private budgetKey(sessionId: string): string {
    const seats = this.seats.seatsOf(sessionId);
    return seats.length > 0 ? `seat:${seats.join(',')}` : `session:${sessionId}`;
  }

  private dispatch(sessionId: string, msg: ClientMessage): Ack {
    if (msg.type === 'act') return this.act(sessionId, msg);
    if (msg.type === 'join') return this.join(sessionId, msg);
    if (msg.type === 'spectate') return this.spectate(sessionId, msg);
    if (msg.type === 'input') return this.input(sessionId, msg);
    return ok({ type: 'pong', ...(msg.t === undefined ? {} : { t: msg.t }), serverTime: this.clock.now() });
  }

  /** The connection dropped: its seats start their reconnect windows; a spectator just leaves. */
  disconnect(sessionId: string): void {
    this.operate(() => {
      this.limiter.forget(`session:${sessionId}`);
      this.tickEvery.delete(sessionId);
      const seats = this.seats.release(sessionId);
      for (const seat of seats) {
        this.matchLog.note({ kind: 'disconnect', seat });
        if (this.engine instanceof TickEngine) this.engine.release(seat);
        this.openWindow(seat);
      }
      if (seats.length > 0 && this.engine.isStarted) this.broadcastState();
    });
  }

  /** A seat comes back on a new connection (the same as a `join` message). */
  reconnect(seatToken: string, newSessionId: string): Ack {
    return this.operate(
      () => this.bindByToken(newSessionId, seatToken),
      (error) => fail(toWireError(error)),
    );
  }

  /** Ends the match now (shutdown, admin): reason 'aborted', returns as they stand. */
  abort(): void {
    this.operate(() => this.engine.end('aborted'));
  }

  // ---- message handlers

  private act(sessionId: string, msg: ActMessage): Ack {
    if (this.engine instanceof TickEngine) {
      return fail(
        wireError('unknown-message', 'this is a real-time match: "act" answers turn-based decisions', 'send { type: "input", matchId, action, seq } instead'),
      );
    }
    let verdict: ReturnType<typeof validateAct>;
    try {
      verdict = validateAct(this, sessionId, msg);
    } catch (error) {
      // Validation only reads: an env failing here leaves the match as it was.
      this.matchLog.note({ kind: 'internal', message: `validation failed: ${errorText(error)}` });
      return fail(toWireError(error));
    }
    if (!verdict.ok) return fail(verdict.error);
    const { seat, move } = verdict.value;
    const stepIndex = this.stepIndex;
    const before = this.engine.episode.state;
    if (move.kind === 'text') {
      // The env judges the reply: an invalid one is its rule applied (a game event), still committed.
      const judged = this.engine.playText(seat, move.text).verdict;
      return ok({ type: 'committed', seat, stepIndex, nextStepIndex: this.stepIndex, action: playedText(this.env, before, seat, judged) });
    }
    // Read before the step: the text is the action's name in the position it was played in.
    const played = { id: move.id, text: this.env.actionText(before, seat, move.id) };
    if (this.engine.play(seat, move.id) === 'held') return ok({ type: 'held', seat, stepIndex, action: played });
    return ok({ type: 'committed', seat, stepIndex, nextStepIndex: this.stepIndex, action: played });
  }

  /** A real-time input: checked, then held for the next tick (never stale, never out of turn). */
  private input(sessionId: string, msg: InputMessage): Ack {
    if (!(this.engine instanceof TickEngine)) {
      return fail(wireError('unknown-message', 'this is a turn-based match: "input" is for real-time ones', 'answer decision requests with act'));
    }
    const verdict = validateInput(this, sessionId, msg);
    if (!verdict.ok) return fail(verdict.error);
    const { seat, action } = verdict.value;
    const tick = this.engine.input(seat, action, msg.seq);
    if (tick === null) return fail(wireError('stale', `input seq ${msg.seq} is not above the last one of seat ${seat}`, 'number inputs in increasing order'));
    return ok({ type: 'input', seat, seq: msg.seq, tick });
  }

  private join(sessionId: string, msg: JoinMessage): Ack {
    if (msg.matchId !== this.matchId) return unknownMatch(msg.matchId, this.matchId);
    if (msg.states === false) this.statesOff.add(sessionId);
    else this.statesOff.delete(sessionId);
    if (msg.tickEvery === undefined) this.tickEvery.delete(sessionId);
    else this.tickEvery.set(sessionId, msg.tickEvery);
    return this.bindByToken(sessionId, msg.seatToken);
  }

  private bindByToken(sessionId: string, token: string): Ack {
    if (this.engine.isOver) return gameOver();
    const seat = typeof token === 'string' ? this.seats.seatForToken(token) : undefined;
    if (seat === undefined) return fail(wireError('unauthorized', 'wrong seat token for this match', 'use the token issued with your seat'));
    const binding = this.seats.binding(seat)!;
    if (binding.cancelWindow !== null || binding.isAbandoned) this.matchLog.note({ kind: 'reconnect', seat });
    binding.cancelWindow?.();
    binding.cancelWindow = null;
    const previous = this.seats.bind(seat, sessionId);
    if (previous !== null) {
      this.matchLog.note({ kind: 'seat-taken', seat });
      this.outbox.push({ kind: 'kick', sessionId: previous, reason: 'seat-taken' });
    }
    if (this.engine.isStarted) this.catchUp(sessionId, seat);
    else this.startIfSeated();
    return ok({ type: 'joined', seats: this.seats.seatsOf(sessionId) });
  }

  private spectate(sessionId: string, msg: SpectateMessage): Ack {
    if (msg.matchId !== this.matchId) return unknownMatch(msg.matchId, this.matchId);
    if (this.engine.isOver) return gameOver();
    const held = this.seats.seatsOf(sessionId);
    if (held.length > 0) return fail(wireError('not-your-seat', `this connection plays seat ${held.join(', ')}`, 'spectate from another connection'));
    this.seats.addSpectator(sessionId);
    if (msg.states === false) this.statesOff.add(sessionId);
    else this.statesOff.delete(sessionId);
    if (this.engine.isStarted) {
      this.outbox.send(sessionId, startMessage(this, []));
      if (msg.states !== false) this.outbox.send(sessionId, stateMessage(this, 'spectator'));
    }
    return ok({ type: 'spectating' });
  }

  /** A (re)bound seat gets the match, everyone the new connection flags, the seat its decision. */
  private catchUp(sessionId: string, seat: Seat): void {
    this.outbox.send(sessionId, startMessage(this, this.seats.seatsOf(sessionId)));
    this.broadcastState();
    if (this.pendingSeats().includes(seat)) this.outbox.send(sessionId, decisionMessage(this, seat));
  }

  // ---- reconnect windows

  private openWindow(seat: Seat): void {
    if (this.engine.isOver) return;
    const binding = this.seats.binding(seat)!;
    binding.cancelWindow?.();
    binding.cancelWindow = this.clock.schedule(this.settings.reconnectWindowMs, () => this.operate(() => this.onWindowClosed(seat)));
  }

  /** The seat stayed away: the timeout policy takes over (forfeit now, or it plays its moves). */
  private onWindowClosed(seat: Seat): void {
    const binding = this.seats.binding(seat)!;
    binding.cancelWindow = null;
    if (this.engine.isOver || binding.sessionId !== null) return;
    binding.isAbandoned = true;
    this.matchLog.note({ kind: 'abandon', seat });
    this.engine.abandon(seat);
  }

  // ---- fan-out

  private engineHooks(): EngineHooks {
    return {
      // The engine guards its own callbacks; a failing delivery here is the outbox's to report.
      callbackDone: () => this.outbox.flush(),
      stateChanged: () => this.broadcastState(),
      decisionNeeded: (seat) => {
        const sessionId = this.seats.sessionOf(seat);
        if (sessionId !== null) this.outbox.send(sessionId, decisionMessage(this, seat));
      },
      timedOut: (seat, stepIndex) => {
        const sessionId = this.seats.sessionOf(seat);
        const policy = this.settings.timeoutPolicy;
        const error = wireError(
          'timeout',
          `seat ${seat} did not answer step ${stepIndex} in time`,
          policy === 'forfeit' ? 'the seat forfeits' : `the '${policy}' policy answered for it`,
        );
        if (sessionId !== null) this.outbox.send(sessionId, errorMessage(this.matchId, error));
      },
      finished: () => this.onFinished(),
      ticked: (tick) => this.onTicked(tick),
    };
  }

  /** After a real-time tick: observations to the seats, the view to watchers every few ticks. */
  private onTicked(tick: number): void {
    for (const sessionId of this.seats.sessions()) {
      if (tick % (this.tickEvery.get(sessionId) ?? 1) !== 0) continue;
      for (const seat of this.seats.seatsOf(sessionId)) this.outbox.send(sessionId, tickMessage(this, seat, tick));
    }
    if (tick % this.spectatorEvery === 0) this.broadcastState();
    this.outbox.push({ kind: 'tick', tick });
  }

  private onFinished(): void {
    const outcome = this.engine.outcome!;
    for (let seat = 0; seat < this.seats.size; seat++) {
      const binding = this.seats.binding(seat)!;
      binding.cancelWindow?.();
      binding.cancelWindow = null;
    }
    const result: FinishedMatch = {
      matchId: this.matchId,
      env: this.env.key,
      returns: outcome.returns.slice(),
      reason: outcome.reason,
      ...(outcome.forfeitedBy === undefined ? {} : { forfeitedBy: outcome.forfeitedBy }),
      players: this.seats.players(),
      record: this.engine.episode.toRecord(),
      log: this.matchLog.entries.slice(),
      startedAt: this.startedAt,
      endedAt: this.clock.now(),
      ...(this.engine instanceof MatchEngine && this.engine.moveNotes !== undefined ? { notes: this.engine.moveNotes } : {}),
    };
    const rated = this.rateResult(result);
    if (!(rated instanceof Promise)) {
      this.announceEnd(result, rated);
      return;
    }
    // An asynchronous store: match:end waits for the stored result (whenIdle waits too).
    this.engine.agents.track(
      rated.then((ratingChange) => {
        this.announceEnd(result, ratingChange);
        this.outbox.flush();
      }),
    );
  }

  private announceEnd(result: FinishedMatch, ratingChange: readonly RatingChange[] | undefined): void {
    const outcome = this.engine.outcome!;
    this.finishedMatch = ratingChange === undefined ? result : { ...result, ratingChange: ratingChange.slice() };
    const end = endMessage(this.matchId, outcome.returns, outcome.reason, outcome.forfeitedBy, ratingChange);
    for (const sessionId of this.seats.sessions()) this.outbox.send(sessionId, end);
    this.outbox.push({ kind: 'finished', result: this.finishedMatch });
  }

  /** Stores and rates the result before match:end is built, so match:end can carry the change. */
  private rateResult(result: FinishedMatch): readonly RatingChange[] | undefined | Promise<readonly RatingChange[] | undefined> {
    if (!this.rate) return undefined;
    const failed = (error: unknown): undefined => {
      this.matchLog.note({ kind: 'internal', message: `rating failed: ${errorText(error)}` });
      return undefined;
    };
    try {
      const rated = this.rate(result);
      return rated instanceof Promise ? rated.catch(failed) : rated;
    } catch (error) {
      return failed(error);
    }
  }

  private broadcastState(): void {
    for (const sessionId of this.seats.sessions()) {
      if (this.statesOff.has(sessionId)) continue;
      for (const seat of this.seats.seatsOf(sessionId)) this.outbox.send(sessionId, stateMessage(this, seat));
    }
    const spectators = this.seats.spectators().filter((sessionId) => !this.statesOff.has(sessionId));
    if (spectators.length === 0) return;
    const view = stateMessage(this, 'spectator');
    for (const sessionId of spectators) this.outbox.send(sessionId, view);
  }

  /**
   * Runs one operation, then delivers its events. A throw inside (a bug, or an env failing
   * mid-step) must not take the process down: the match is aborted and `onError` answers.
   */
  private operate(fn: () => void): void;
  private operate<T>(fn: () => T, onError: (error: unknown) => T): T;
  private operate<T>(fn: () => T, onError?: (error: unknown) => T): T | undefined {
    let result: T | undefined;
    try {
      result = fn();
    } catch (error) {
      this.matchLog.note({ kind: 'internal', message: errorText(error) });
      try {
        this.engine.end('aborted');
      } catch (endError) {
        this.matchLog.note({ kind: 'internal', message: `abort failed: ${errorText(endError)}` });
      }
      result = onError?.(error);
    }
    this.outbox.flush();
    return result;
  }
}
