/**
 * MatchEngine: the game side of a match, with no sessions and no wire. It owns the Episode,
 * the clocks and the answers held at a simultaneous step; it resolves chance, applies the
 * timeout policy (deadlines, abandoned seats, failing agents) and asks in-process agents.
 * It tells its runner what happened through hooks; the runner turns that into messages.
 */
import type { DecisionRequest, MoveNote } from '../../agents/agent.ts';
import { MoveNoteLog, type MoveNotes } from '../../agents/move-note.ts';
import { actingSeats, deriveSeed, Episode, isTextOnly, Rng, stepEpisode, textMoveLimits } from '../../envs/index.ts';
import type { ActionId, Answer, AnyEnv, Seat, TextVerdict } from '../../envs/index.ts';
import type { EndReason } from '../../protocol/messages.ts';
import { AgentDriver } from './agent-driver.ts';
import { MatchClocks, type Cancel, type Clock } from './clocks.ts';
import type { MatchSettings } from './match-config.ts';
import { errorText, type MatchLog } from './match-log.ts';
import type { SeatMap } from './seat-map.ts';
import { forfeitReturns, timeoutAction, timeoutText } from './timeout-policy.ts';
import { SEED_STREAMS } from '../../envs/index.ts';
import { runGuarded } from './guarded.ts';

/** Where a placed action went: applied, held for the other seats, or the match ended. */
export type Placed = 'stepped' | 'held' | 'over';

export interface EngineHooks {
  /** A timer or agent callback ran outside any runner operation: deliver what it produced. */
  callbackDone(): void;
  /** A new position, or an answer held at a simultaneous step: fan the views out. */
  stateChanged(): void;
  /** A remote seat owes an answer at the current step. */
  decisionNeeded(seat: Seat): void;
  /** A remote seat missed its deadline; the policy is about to answer for it. */
  timedOut(seat: Seat, stepIndex: number): void;
  /** The match just ended (`outcome` is set). */
  finished(): void;
  /** Real-time matches: a tick was applied (the match goes on). */
  ticked?(tick: number): void;
}

export interface EngineOptions {
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly seed: number;
  readonly seats: SeatMap;
  readonly settings: MatchSettings;
  readonly clock: Clock;
  readonly log: MatchLog;
  readonly hooks: EngineHooks;
}

/** How a match on the server ended: returns, why, and who forfeited. */
export interface MatchEnding {
  readonly returns: readonly number[];
  readonly reason: EndReason;
  readonly forfeitedBy?: Seat;
}

type TimeoutCause = 'deadline' | 'abandoned' | 'agent-error';

export class MatchEngine {
  readonly env: AnyEnv;
  readonly episode: Episode;
  readonly clocks: MatchClocks;
  readonly agents = new AgentDriver();
  private readonly seats: SeatMap;
  private readonly settings: MatchSettings;
  private readonly log: MatchLog;
  private readonly hooks: EngineHooks;
  private readonly timeoutRng: Rng;
  private readonly held = new Map<Seat, ActionId>();
  private readonly clock: Clock;
  /** Agent answers held back by `agentMoveDelayMs`, cancelled when the match ends. */
  private readonly paced = new Set<Cancel>();
  private phase: 'waiting' | 'running' | 'over' = 'waiting';
  private endedWith: MatchEnding | undefined;
  /** In-process agents' notes (a language model's reply, tokens, latency) per applied step. */
  private readonly notes = new MoveNoteLog();
  /** Every decision or joint move so far, as text (move lists); never a chance outcome. */
  readonly moveLog: { readonly step: number; readonly seats: readonly Seat[]; readonly text: string }[] = [];

  get lastMove(): { readonly step: number; readonly seats: readonly Seat[]; readonly text: string } | null {
    return this.moveLog[this.moveLog.length - 1] ?? null;
  }

  constructor(options: EngineOptions) {
    this.env = options.env;
    this.episode = new Episode(options.env, options.params, options.seed);
    this.seats = options.seats;
    this.settings = options.settings;
    this.clock = options.clock;
    this.log = options.log;
    this.hooks = options.hooks;
    const numPlayers = this.env.dims(this.episode.params).numPlayers;
    this.clocks = new MatchClocks(options.clock, numPlayers, this.settings.moveTimeMs, this.settings.totalTimeMs);
    this.timeoutRng = new Rng(deriveSeed(options.seed, SEED_STREAMS.timeout));
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

  hasAnswered(seat: Seat): boolean {
    return this.held.has(seat);
  }

  /** Seats that still owe an answer at the current step. */
  pendingSeats(): Seat[] {
    if (this.phase !== 'running') return [];
    return actingSeats(this.episode.turn).filter((seat) => !this.held.has(seat));
  }

  start(): void {
    if (this.phase !== 'waiting') return;
    this.phase = 'running';
    this.log.note({ kind: 'start' });
    this.agents.reset(this.agentList(), this.episode.seed);
    this.advance();
  }

  /** A validated, legal action of a seat that owes one. */
  play(seat: Seat, action: ActionId): Placed {
    const placed = this.place(seat, action);
    this.settle(placed);
    return placed;
  }

  /**
   * A validated text reply of a seat that owes a decision, in an env that judges text: the
   * env's verdict (a move, or its invalid-move rule) is applied either way and returned.
   */
  playText(seat: Seat, text: string): { readonly placed: Placed; readonly verdict: TextVerdict } {
    const verdict = this.placeText(seat, text);
    this.settle('stepped');
    return { placed: this.phase === 'over' ? 'over' : 'stepped', verdict };
  }

  /** The notes of the steps applied so far, aligned with the record's history; undefined when no agent noted anything. */
  get moveNotes(): MoveNotes | undefined {
    return this.notes.result().notes;
  }

  /** The seat's reconnect window closed: it forfeits now, or the policy answers its pending move. */
  abandon(seat: Seat): void {
    if (this.phase !== 'running') return;
    if (this.settings.timeoutPolicy === 'forfeit') this.applyTimeout(seat, 'abandoned');
    else if (this.pendingSeats().includes(seat)) this.settle(this.applyTimeout(seat, 'abandoned'));
  }

  /** Ends the match (idempotent). A forfeiting seat gets the minimum utility. */
  end(reason: EndReason, forfeitedBy?: Seat): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    this.held.clear();
    this.clocks.clear();
    for (const cancel of this.paced) cancel();
    this.paced.clear();
    const returns = forfeitedBy === undefined ? this.episode.returns.slice() : forfeitReturns(this.env, this.episode.params, forfeitedBy);
    this.endedWith = forfeitedBy === undefined ? { returns, reason } : { returns, reason, forfeitedBy };
    this.log.note(forfeitedBy === undefined ? { kind: 'end', reason } : { kind: 'end', reason, forfeitedBy });
    this.agents.notifyEnd(this.agentList(), returns, (seat, error) =>
      this.log.note({ kind: 'agent-error', seat, stepIndex: this.episode.stepIndex, message: errorText(error) }),
    );
    this.hooks.finished();
  }

  /** Applies the action, or holds it at a simultaneous step until every acting seat answered. */
  private place(seat: Seat, action: ActionId): Placed {
    this.clocks.stop(seat);
    const turn = this.episode.turn;
    if (turn.kind === 'simultaneous') {
      this.held.set(seat, action);
      if (turn.seats.some((s) => !this.held.has(s))) return 'held';
    }
    // Every answer of the step is in: the shared walk applies it (a decision, or the joint action).
    const before = this.episode.state;
    const answer = (s: Seat): ActionId => this.held.get(s) ?? action;
    this.notes.endStep(this.episode.stepIndex, turn.kind === 'simultaneous' ? null : seat);
    stepEpisode(this.episode, answer);
    const seats = turn.kind === 'simultaneous' ? [...this.held.keys()].sort((a, b) => a - b) : [seat];
    const text =
      turn.kind === 'simultaneous'
        ? seats.map((s) => `seat ${s} ${this.env.actionText(before, s, answer(s))}`).join(', ')
        : this.env.actionText(before, seat, action);
    this.moveLog.push({ step: this.episode.stepIndex, seats, text });
    return 'stepped';
  }

  /** Applies a text reply at a decision: the env judges it (the record keeps the text). */
  private placeText(seat: Seat, text: string): TextVerdict {
    this.clocks.stop(seat);
    const before = this.episode.state;
    this.notes.endStep(this.episode.stepIndex, seat);
    const verdict = this.episode.stepText(seat, text);
    this.moveLog.push({ step: this.episode.stepIndex, seats: [seat], text: textMoveLine(this.env, before, seat, verdict) });
    return verdict;
  }

  private settle(placed: Placed): void {
    if (placed === 'stepped') this.advance();
    else if (placed === 'held') this.hooks.stateChanged();
  }

  /** After a transition: chance, then the next step. Auto-played steps loop; nothing recurses. */
  private advance(): void {
    for (;;) {
      this.held.clear();
      this.clocks.clear();
      while (this.episode.turn.kind === 'chance') this.episode.resolveChance();
      if (this.episode.isTerminal) {
        this.hooks.stateChanged();
        this.end('terminal');
        return;
      }
      const acting = actingSeats(this.episode.turn);
      this.clocks.startTurn(acting);
      this.hooks.stateChanged();
      const auto = this.playAbandoned(acting);
      if (auto === 'stepped') continue;
      if (auto === 'waiting') this.requestDecisions();
      return;
    }
  }

  private playAbandoned(acting: readonly Seat[]): Placed | 'waiting' {
    for (const seat of acting) {
      if (!this.seats.binding(seat)!.isAbandoned) continue;
      const placed = this.applyTimeout(seat, 'abandoned');
      if (placed !== 'held') return placed;
    }
    return 'waiting';
  }

  private applyTimeout(seat: Seat, cause: TimeoutCause): Placed {
    const policy = this.settings.timeoutPolicy;
    if (isTextOnly(this.env, this.episode.params)) return this.applyTextTimeout(seat, cause);
    const choice = timeoutAction(policy, this.episode.legalActions(seat), this.timeoutRng);
    const action = choice === 'forfeit' ? null : choice;
    this.log.note({ kind: 'timeout', seat, stepIndex: this.episode.stepIndex, cause, policy, action });
    if (action !== null) return this.place(seat, action);
    this.end('forfeit', seat);
    return 'over';
  }

  /** Text-only envs: the env's random valid reply, or the empty one, judged by the env (timeout-policy.ts). */
  private applyTextTimeout(seat: Seat, cause: TimeoutCause): Placed {
    const policy = this.settings.timeoutPolicy;
    const state = this.episode.state;
    const text = timeoutText(policy, (rng, valid) => this.env.sampleText?.(state, seat, rng, valid), this.timeoutRng);
    this.log.note({ kind: 'timeout', seat, stepIndex: this.episode.stepIndex, cause, policy, action: null, ...(text === 'forfeit' ? {} : { text }) });
    if (text !== 'forfeit') {
      this.placeText(seat, text);
      return 'stepped';
    }
    this.end('forfeit', seat);
    return 'over';
  }

  private requestDecisions(): void {
    const stepIndex = this.episode.stepIndex;
    for (const seat of this.pendingSeats()) {
      this.clocks.arm(seat, () => this.guarded(() => this.onDeadline(seat, stepIndex)));
      if (this.seats.agentOf(seat)) this.askAgent(seat);
      else this.hooks.decisionNeeded(seat);
    }
  }

  private isPendingAt(seat: Seat, stepIndex: number): boolean {
    return this.episode.stepIndex === stepIndex && this.pendingSeats().includes(seat);
  }

  private onDeadline(seat: Seat, stepIndex: number): void {
    if (!this.isPendingAt(seat, stepIndex)) return;
    if (!this.seats.agentOf(seat)) this.hooks.timedOut(seat, stepIndex);
    this.settle(this.applyTimeout(seat, 'deadline'));
  }

  private askAgent(seat: Seat): void {
    const stepIndex = this.episode.stepIndex;
    const request: DecisionRequest = {
      env: this.env,
      params: this.episode.params,
      seat,
      stepIndex,
      observation: this.episode.observe(seat),
      deadline: this.clocks.deadline(seat) ?? this.clocks.now(),
    };
    const readyAt = this.clocks.now() + this.settings.agentMoveDelayMs;
    // The agent's note rides with its answer: a late or refused answer leaves no note behind.
    let noted: MoveNote | undefined;
    const answer = (given: Answer): void => this.guarded(() => this.onAgentAnswer(seat, stepIndex, given, noted));
    this.agents.ask(
      this.seats.agentOf(seat)!,
      { ...request, noteMove: (note) => (noted = note) },
      this.episode.state,
      (given) => {
        const wait = readyAt - this.clocks.now();
        if (wait <= 0) answer(given);
        else {
          const cancel = this.clock.schedule(wait, () => {
            this.paced.delete(cancel);
            answer(given);
          });
          this.paced.add(cancel);
        }
      },
      (error) => this.guarded(() => this.onAgentFailure(seat, stepIndex, error)),
    );
  }

  private onAgentAnswer(seat: Seat, stepIndex: number, answer: Answer, note: MoveNote | undefined): void {
    if (!this.isPendingAt(seat, stepIndex)) return; // late: the deadline already answered for it
    const problem = this.answerProblem(seat, answer);
    if (problem !== undefined) {
      this.onAgentFailure(seat, stepIndex, new Error(problem));
      return;
    }
    if (note !== undefined) this.notes.note(seat, note);
    if (typeof answer === 'number') {
      this.settle(this.place(seat, answer));
      return;
    }
    this.placeText(seat, answer.text);
    this.settle('stepped');
  }

  /** Why an in-process agent's answer cannot be played, or undefined when it can. */
  private answerProblem(seat: Seat, answer: Answer): string | undefined {
    if (typeof answer === 'number') return this.env.isLegal(this.episode.state, seat, answer) ? undefined : `illegal action ${String(answer)}`;
    const limits = textMoveLimits(this.env, this.episode.params);
    if (limits === undefined || this.episode.turn.kind !== 'decision') return 'a text reply where the env takes action ids';
    if (typeof answer.text !== 'string' || answer.text.length > limits.maxChars) return `a text reply over ${limits.maxChars} characters`;
    return undefined;
  }

  private onAgentFailure(seat: Seat, stepIndex: number, error: unknown): void {
    if (!this.isPendingAt(seat, stepIndex)) return;
    this.log.note({ kind: 'agent-error', seat, stepIndex, message: errorText(error) });
    this.settle(this.applyTimeout(seat, 'agent-error'));
  }

  /**
   * The engine's own guard for what its timers and agents call back: nobody up the stack can
   * catch a throw there, so a bug or an env failing mid-step aborts the match instead of the process.
   */
  private guarded(fn: () => void): void {
    runGuarded(
      fn,
      this.log,
      () => this.end('aborted'),
      () => this.hooks.callbackDone(),
    );
  }

  private agentList() {
    return Array.from({ length: this.seats.size }, (_, seat) => this.seats.agentOf(seat));
  }
}

/**
 * A text move as every viewer's move list shows it. A reply that became an action id reads as
 * that action; otherwise a perfect-information env shows the env's verdict in words, and an
 * imperfect one only whether the move was valid: a summary may quote what others must not see.
 */
function textMoveLine(env: AnyEnv, before: unknown, seat: Seat, verdict: TextVerdict): string {
  if (verdict.kind === 'move' && verdict.action !== undefined) return env.actionText(before, seat, verdict.action);
  if (env.spec.information !== 'perfect') return verdict.kind === 'move' ? 'text reply' : 'invalid text reply';
  return verdict.kind === 'move' ? verdict.summary : `invalid: ${verdict.reason}`;
}
