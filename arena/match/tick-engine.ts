/**
 * TickEngine: the game side of a real-time match (an env whose dims declare `realtime`). It
 * advances the episode on a fixed schedule at the env's tick rate: each tick applies every
 * acting seat's latest input (or its default action) and never waits for anybody. Inputs are
 * never stale: one that arrives between two ticks applies at the next one. Held inputs (a
 * gamepad) keep applying until replaced; consumed inputs (a key press) apply once.
 *
 * A dropped or abandoned seat plays its default action (or a fallback agent, when the match
 * has one): real-time matches never forfeit, so a team is neither punished twice nor rewarded
 * for its own player's fault. Ticks are scheduled against absolute slots (start + n × period),
 * so a late tick does not shift the ones after it; a match that falls more than MAX_BACKLOG
 * periods behind (a stalled process) skips the missed slots instead of fast-forwarding.
 */
import type { Agent, DecisionRequest } from '../../agents/agent.ts';
import { Episode } from '../../envs/index.ts';
import type { ActionId, AnyEnv, RealtimeDims, Seat } from '../../envs/index.ts';
import type { EndReason } from '../../protocol/messages.ts';
import { AgentDriver } from './agent-driver.ts';
import { MatchClocks, type Cancel, type Clock } from './clocks.ts';
import type { EngineHooks, EngineOptions, MatchEnding, Placed } from './match-engine.ts';
import { errorText, type MatchLog } from './match-log.ts';
import type { SeatMap } from './seat-map.ts';
import type { TickStats } from './tick-stats.ts';
import { runGuarded } from './guarded.ts';

export interface TickEngineOptions extends EngineOptions {
  readonly realtime: RealtimeDims;
  /** Overrides the env's tick rate (stress tests, slow-motion viewing). */
  readonly tickHz?: number;
  /** Plays a seat whose connection is gone (default: its default action). */
  readonly fallbackAgent?: (seat: Seat) => Agent | undefined;
  readonly stats?: TickStats;
}

/** Periods a match may lag behind its schedule before it gives up the missed slots. */
const MAX_BACKLOG = 5;

interface SeatInput {
  action: ActionId;
  seq: number;
  receivedAt: number;
}

export class TickEngine {
  readonly env: AnyEnv;
  readonly episode: Episode;
  readonly clocks: MatchClocks;
  readonly agents = new AgentDriver();
  readonly realtime: RealtimeDims;
  readonly tickHz: number;
  readonly periodMs: number;
  private readonly seats: SeatMap;
  private readonly clock: Clock;
  private readonly log: MatchLog;
  private readonly hooks: EngineHooks;
  private readonly stats: TickStats | undefined;
  private readonly fallbackAgent: ((seat: Seat) => Agent | undefined) | undefined;
  private readonly fallbacks = new Map<Seat, Agent>();
  private readonly inputs: (SeatInput | undefined)[];
  private readonly lastSeqs: (number | null)[];
  private readonly lastApplied: (number | null)[];
  private readonly thinking = new Set<Seat>();
  private phase: 'waiting' | 'running' | 'over' = 'waiting';
  private endedWith: MatchEnding | undefined;
  private startedAt = 0;
  /** The tick the schedule was last anchored at (see MAX_BACKLOG). */
  private tickOffset = 0;
  private ticks = 0;
  private cancelTick: Cancel | null = null;

  constructor(options: TickEngineOptions) {
    this.env = options.env;
    this.episode = new Episode(options.env, options.params, options.seed);
    this.seats = options.seats;
    this.clock = options.clock;
    this.log = options.log;
    this.hooks = options.hooks;
    this.realtime = options.realtime;
    this.tickHz = options.tickHz ?? options.realtime.tickHz;
    this.periodMs = 1000 / this.tickHz;
    this.stats = options.stats;
    this.fallbackAgent = options.fallbackAgent;
    const numPlayers = this.seats.size;
    this.clocks = new MatchClocks(options.clock, numPlayers, options.settings.moveTimeMs);
    this.inputs = new Array<SeatInput | undefined>(numPlayers).fill(undefined);
    this.lastSeqs = new Array<number | null>(numPlayers).fill(null);
    this.lastApplied = new Array<number | null>(numPlayers).fill(null);
  }

  get isStarted(): boolean {
    return this.phase !== 'waiting';
  }

  get isOver(): boolean {
    return this.phase === 'over';
  }

  get outcome(): MatchEnding | undefined {
    return this.endedWith;
  }

  /** Ticks applied so far. */
  get tick(): number {
    return this.ticks;
  }

  /** Real time never waits for a seat. */
  hasAnswered(): boolean {
    return false;
  }

  pendingSeats(): Seat[] {
    return [];
  }

  /** The seq of the seat's last input that a tick has applied (null before any). */
  lastAppliedSeq(seat: Seat): number | null {
    return this.lastApplied[seat] ?? null;
  }

  start(): void {
    if (this.phase !== 'waiting') return;
    this.phase = 'running';
    this.log.note({ kind: 'start' });
    this.agents.reset(this.agentList(), this.episode.seed);
    this.startedAt = this.clock.now();
    while (this.episode.turn.kind === 'chance') this.episode.resolveChance();
    if (this.episode.isTerminal) {
      this.end('terminal');
      return;
    }
    this.hooks.stateChanged();
    this.askAgents();
    this.scheduleNext();
  }

  /**
   * A seat's input, already checked to be a valid action id for the env. Returns the tick it
   * applies at, or null when it was dropped for its order (seq not above the last one).
   */
  input(seat: Seat, action: ActionId, seq: number): number | null {
    const last = this.lastSeqs[seat];
    if (last !== null && last !== undefined && seq <= last) {
      this.stats?.countDropped();
      return null;
    }
    this.lastSeqs[seat] = seq;
    if (this.realtime.input === 'consumed' && this.inputs[seat] !== undefined) this.stats?.countSuperseded();
    this.inputs[seat] = { action, seq, receivedAt: this.clock.now() };
    this.stats?.countReceived();
    return this.ticks + 1;
  }

  /** Turn-based `act` has no meaning here; the runner answers it before it reaches the engine. */
  play(seat: Seat, action: ActionId): Placed {
    this.input(seat, action, (this.lastSeqs[seat] ?? -1) + 1);
    return 'held';
  }

  /** The seat's connection dropped: a held input stops at once (its default, or a fallback, plays meanwhile). */
  release(seat: Seat): void {
    this.inputs[seat] = undefined;
  }

  /** The seat's connection is gone for good: its input is forgotten, the default (or fallback) plays. */
  abandon(seat: Seat): void {
    if (this.phase !== 'running') return;
    this.inputs[seat] = undefined;
    this.log.note({
      kind: 'timeout',
      seat,
      stepIndex: this.episode.stepIndex,
      cause: 'abandoned',
      policy: 'default',
      action: this.realtime.defaultActions[seat] ?? null,
    });
  }

  end(reason: EndReason, forfeitedBy?: Seat): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    this.cancelTick?.();
    this.cancelTick = null;
    const returns = this.episode.returns.slice();
    this.endedWith = forfeitedBy === undefined ? { returns, reason } : { returns, reason, forfeitedBy };
    this.log.note(forfeitedBy === undefined ? { kind: 'end', reason } : { kind: 'end', reason, forfeitedBy });
    this.agents.notifyEnd(this.agentList(), returns, (seat, error) =>
      this.log.note({ kind: 'agent-error', seat, stepIndex: this.episode.stepIndex, message: errorText(error) }),
    );
    this.hooks.finished();
  }

  // ---- the schedule

  private slotOf(tick: number): number {
    return this.startedAt + (tick - this.tickOffset) * this.periodMs;
  }

  private scheduleNext(): void {
    let slot = this.slotOf(this.ticks + 1);
    const now = this.clock.now();
    if (now - slot > MAX_BACKLOG * this.periodMs) {
      // Re-anchor: the next tick's slot is one period from now; the slots missed are skipped.
      this.stats?.countSkipped(Math.floor((now - slot) / this.periodMs));
      this.startedAt = now;
      this.tickOffset = this.ticks;
      slot = this.slotOf(this.ticks + 1);
    }
    this.cancelTick = this.clock.schedule(slot - this.clock.now(), () => this.guarded(() => this.onTick(slot)));
  }

  private onTick(slot: number): void {
    this.cancelTick = null;
    if (this.phase !== 'running') return;
    const startedAt = this.clock.now();
    this.applyTick(startedAt);
    this.stats?.recordTick(startedAt - slot, this.periodMs, this.clock.now() - startedAt);
    if (this.phase !== 'running') return;
    this.hooks.ticked?.(this.ticks);
    this.askAgents();
    this.scheduleNext();
  }

  private applyTick(now: number): void {
    const turn = this.episode.turn;
    if (turn.kind === 'simultaneous') {
      const actions: (ActionId | null)[] = new Array<ActionId | null>(this.seats.size).fill(null);
      for (const seat of turn.seats) actions[seat] = this.choose(seat, now);
      this.episode.stepJoint(actions);
    } else if (turn.kind === 'decision') {
      this.episode.step(turn.seat, this.choose(turn.seat, now));
    }
    this.ticks += 1;
    while (this.episode.turn.kind === 'chance') this.episode.resolveChance();
    if (this.episode.isTerminal) {
      this.hooks.stateChanged();
      this.end('terminal');
    }
  }

  /** The seat's input if it is legal now, else its default action (else its first legal one). */
  private choose(seat: Seat, now: number): ActionId {
    const input = this.inputs[seat];
    if (this.realtime.input === 'consumed') this.inputs[seat] = undefined;
    if (input !== undefined) {
      if (this.lastApplied[seat] !== input.seq) {
        this.lastApplied[seat] = input.seq;
        this.stats?.recordApplied(now - input.receivedAt);
      }
      if (this.env.isLegal(this.episode.state, seat, input.action)) return input.action;
    }
    const fallback = this.realtime.defaultActions[seat];
    if (fallback !== undefined && this.env.isLegal(this.episode.state, seat, fallback)) return fallback;
    return this.episode.legalActions(seat)[0]!;
  }

  // ---- in-process agents (and fallbacks for dropped seats)

  /** The agent playing a seat now: its own in-process agent, or a fallback while it is away. */
  private playerAgent(seat: Seat): Agent | undefined {
    const own = this.seats.agentOf(seat);
    if (own !== undefined) return own;
    const binding = this.seats.binding(seat);
    if (binding === undefined || binding.sessionId !== null || this.fallbackAgent === undefined) return undefined;
    let agent = this.fallbacks.get(seat);
    if (agent === undefined) {
      agent = this.fallbackAgent(seat);
      if (agent === undefined) return undefined;
      this.fallbacks.set(seat, agent);
      this.log.note({ kind: 'timeout', seat, stepIndex: this.episode.stepIndex, cause: 'abandoned', policy: 'default', action: null });
    }
    return agent;
  }

  /** Asks every in-process agent that is not still thinking; its answer is its next input. */
  private askAgents(): void {
    const turn = this.episode.turn;
    const acting = turn.kind === 'simultaneous' ? turn.seats : turn.kind === 'decision' ? [turn.seat] : [];
    for (const seat of acting) {
      if (this.thinking.has(seat)) continue;
      const agent = this.playerAgent(seat);
      if (agent === undefined) continue;
      this.thinking.add(seat);
      const request: DecisionRequest = {
        env: this.env,
        params: this.episode.params,
        seat,
        stepIndex: this.episode.stepIndex,
        observation: this.episode.observe(seat),
        deadline: this.clock.now() + this.periodMs,
      };
      this.agents.ask(
        agent,
        request,
        this.episode.state,
        // Real-time envs take action ids only; anything else is dropped like a bad id.
        (answer) => this.guarded(() => this.onAgentAnswer(seat, typeof answer === 'number' ? answer : -1)),
        (error) => this.guarded(() => this.onAgentFailure(seat, request.stepIndex, error)),
      );
    }
  }

  private onAgentAnswer(seat: Seat, action: ActionId): void {
    this.thinking.delete(seat);
    if (this.phase !== 'running') return;
    if (Number.isInteger(action) && action >= 0) this.input(seat, action, (this.lastSeqs[seat] ?? -1) + 1);
  }

  private onAgentFailure(seat: Seat, stepIndex: number, error: unknown): void {
    this.thinking.delete(seat);
    if (this.phase !== 'running') return;
    this.log.note({ kind: 'agent-error', seat, stepIndex, message: errorText(error) });
  }

  /** Ticks and agent answers come back here, outside any runner operation: a throw aborts the match, never the process. */
  private guarded(fn: () => void): void {
    runGuarded(
      fn,
      this.log,
      () => this.end('aborted'),
      () => this.hooks.callbackDone(),
    );
  }

  private agentList(): (Agent | undefined)[] {
    return Array.from({ length: this.seats.size }, (_, seat) => this.seats.agentOf(seat));
  }
}
