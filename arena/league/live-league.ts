/**
 * The live league: a league config served by the arena. It keeps `schedule.concurrency`
 * matches running, drawn by the league's matchmaker from the members who can play now:
 * in-process members always, external members (remote agents, by agentId) only while
 * connected to the AssignmentHub, which hands each of their seats its `match:assigned`.
 * Results are stored and rated as they finish (ArenaRatings: Elo in finish order), so a
 * restarted server counts the stored matches and carries on with the same ratings.
 *
 * Unlike `league run`, the schedule is not reproducible (remote agents finish when they
 * finish); each pairing is still drawn with an rng derived from (seed, match number). Deals
 * are not derived from the config seed (configs get shared): see lobby/match-seeds.ts.
 */
import { deriveSeed, getEnv, Rng } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { LeagueConfig } from '../../league/config/league-config.ts';
import { createMatchmaker, type Matchmaker } from '../../league/matchmaking/index.ts';
import { Population } from '../../league/population/population.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import type { RatingChange } from '../../protocol/messages.ts';
import type { AssignmentHub, HubEvent } from '../lobby/assignment-hub.ts';
import type { MatchSettingsInput } from '../match/match-config.ts';
import type { FinishedMatch } from '../match/match-log.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import type { MatchRunner } from '../match/match-runner.ts';
import { leagueMatchSeed } from '../lobby/match-seeds.ts';
import { openLiveLeague, type LeagueRoster } from './league-roster.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

/** Why a live league stopped scheduling: its stop rule, or `stop()`. */
export type LiveStopReason = 'matches' | 'minutes' | 'stopped';

export interface LiveLeagueProgress {
  /** Matches of the league in the store (earlier runs included). */
  readonly done: number;
  readonly live: number;
  /** `stop.matches`, when the config has it. */
  readonly target: number | undefined;
  /** The member with the best Elo among those that played, or null before any match. */
  readonly leader: string | null;
  readonly leaderElo: number | null;
}

export type LiveLeagueEvent =
  | { readonly kind: 'match-started'; readonly matchId: string; readonly seats: readonly string[]; readonly progress: LiveLeagueProgress }
  | {
      readonly kind: 'match-ended';
      readonly matchId: string;
      readonly seats: readonly string[];
      readonly returns: readonly number[];
      readonly reason: FinishedMatch['reason'];
      readonly ratingChange: readonly RatingChange[] | undefined;
      readonly progress: LiveLeagueProgress;
    }
  /** Nobody to pair (e.g. the external members are offline): the league waits for agents to connect. */
  | { readonly kind: 'waiting'; readonly available: readonly string[] }
  /** A match could not be scheduled (matchmaker or match creation failed); it retries on the next event. */
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'stopped'; readonly reason: LiveStopReason; readonly progress: LiveLeagueProgress };

export interface LiveLeagueOptions {
  readonly config: LeagueConfig;
  readonly store: LeagueStore;
  readonly matches: MatchManager;
  readonly hub: AssignmentHub;
  /** Settings of every league match (clocks, timeout policy); default: the arena's. */
  readonly settings?: MatchSettingsInput;
  /** For `stop.minutes`; default Date.now. */
  readonly now?: () => number;
}

interface Running {
  readonly seats: readonly string[];
  readonly runner: MatchRunner;
}

export class LiveLeague {
  readonly config: LeagueConfig;
  readonly league: LeagueRow;
  /** Resolves once the league stopped scheduling and its last running match ended. */
  readonly stopped: Promise<LiveStopReason>;
  private readonly options: LiveLeagueOptions;
  private readonly roster: LeagueRoster;
  private readonly env: AnyEnv;
  private readonly numPlayers: number;
  private readonly matchmaker: Matchmaker;
  /** The league's secret salt: deal seeds come from it, not from the (shareable) config seed. */
  private readonly salt: string;
  private readonly running = new Map<string, Running>();
  private readonly listeners = new Set<(event: LiveLeagueEvent) => void>();
  private phase: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private reason: LiveStopReason = 'stopped';
  private resolveStopped: (reason: LiveStopReason) => void = () => {};
  private done = 0;
  /** Matches created so far, earlier runs included: the pairing rng's stream. */
  private counter = 0;
  private startedAt = 0;
  private isFilling = false;
  /** fill() was asked for while a fill was awaiting a match creation: it runs once more. */
  private fillAgain = false;
  /** stop({ abort: true }) was called: a match created after it is aborted at once. */
  private isAborting = false;
  private fillQueued = false;
  private wasWaiting = false;
  private unsubscribeHub: (() => void) | undefined;
  private minutesTimer: NodeJS.Timeout | undefined;

  /** Opens the league in the store; throws 'bad-config' (learner members), 'league-config-changed'. */
  static async open(options: LiveLeagueOptions): Promise<LiveLeague> {
    const roster = await openLiveLeague(options.store, options.config);
    return new LiveLeague(options, roster, await options.store.leagueSalt(roster.league.id));
  }

  private constructor(options: LiveLeagueOptions, roster: LeagueRoster, salt: string) {
    this.options = options;
    this.config = options.config;
    this.roster = roster;
    this.league = this.roster.league;
    this.salt = salt;
    this.env = getEnv(this.config.env);
    this.numPlayers = this.env.dims(this.env.parseParams(this.config.params)).numPlayers;
    this.matchmaker = createMatchmaker(this.config.matchmaking);
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** Starts scheduling (idempotent); the stored matches of the league count toward `stop.matches`. */
  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    this.phase = 'running';
    this.done = await this.options.store.countMatches(this.league.id);
    this.counter = this.done;
    // The matchmaker reads the league's ratings: fold them before the first launch.
    await this.options.matches.ratings.state(this.league);
    this.startedAt = this.now();
    this.unsubscribeHub = this.options.hub.subscribe((event) => this.onHubEvent(event));
    const minutes = this.config.stop.minutes;
    if (minutes !== undefined) {
      this.minutesTimer = setTimeout(() => this.queueFill(), minutes * 60_000);
      this.minutesTimer.unref();
    }
    await this.fill();
  }

  /** Stops scheduling; running matches finish (or, with `abort`, end now, stored as aborted). Resolves when none runs. */
  async stop(options: { readonly abort?: boolean } = {}): Promise<void> {
    if (this.phase === 'idle' || this.phase === 'running') this.beginStop('stopped');
    if (options.abort) {
      this.isAborting = true;
      for (const { runner } of [...this.running.values()]) runner.abort();
    }
    await this.stopped;
  }

  progress(): LiveLeagueProgress {
    let leader: string | null = null;
    let leaderElo: number | null = null;
    if (this.done > 0) {
      const state = this.options.matches.ratings.cached(this.league.id);
      for (const member of this.roster.members) {
        if (state === undefined || (state.games.get(member.agentId) ?? 0) === 0) continue;
        const elo = state.elo.rating(member.agentId);
        if (leaderElo === null || elo > leaderElo) {
          leader = member.agentId;
          leaderElo = elo;
        }
      }
    }
    return { done: this.done, live: this.running.size, target: this.config.stop.matches, leader, leaderElo };
  }

  /** Scheduling events; returns the unsubscribe function. */
  subscribe(listener: (event: LiveLeagueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- scheduling

  /** Launches matches one at a time (each is created in the store before the next is drawn). */
  private async fill(): Promise<void> {
    if (this.phase !== 'running') return;
    if (this.isFilling) {
      this.fillAgain = true;
      return;
    }
    this.isFilling = true;
    try {
      do {
        this.fillAgain = false;
        while (this.phase === 'running' && this.running.size < this.config.schedule.concurrency) {
          const stopBy = this.stopRule();
          if (stopBy !== undefined) this.beginStop(stopBy);
          else if (!(await this.launch())) break;
        }
      } while (this.fillAgain && this.phase === 'running');
    } finally {
      this.isFilling = false;
      this.finishIfDrained();
    }
  }

  /** A stopping league stops once no match runs and none is being created. */
  private finishIfDrained(): void {
    if (this.phase === 'stopping' && this.running.size === 0 && !this.isFilling) this.finishStop();
  }

  /** Coalesced and deferred: hub events and match ends arrive inside transport and runner callbacks. */
  private queueFill(): void {
    if (this.fillQueued) return;
    this.fillQueued = true;
    setImmediate(() => {
      this.fillQueued = false;
      void this.fill();
    });
  }

  private stopRule(): LiveStopReason | undefined {
    const { matches, minutes } = this.config.stop;
    if (matches !== undefined && this.done + this.running.size >= matches) return 'matches';
    if (minutes !== undefined && this.now() - this.startedAt >= minutes * 60_000) return 'minutes';
    return undefined;
  }

  /** Creates one match; false when none can be created now (the next hub event or match end retries). */
  private async launch(): Promise<boolean> {
    const { hub, matches } = this.options;
    const available = this.roster.members.filter((m) => m.kind !== 'external' || hub.isOnline(m.agentId));
    if (available.length < 2) {
      if (!this.wasWaiting) this.emit({ kind: 'waiting', available: available.map((m) => m.agentId) });
      this.wasWaiting = true;
      return false;
    }
    this.wasWaiting = false;
    const index = this.counter;
    let seats: string[];
    let created: { readonly matchId: string; readonly seatTokens: readonly (string | null)[] };
    try {
      const state = await matches.ratings.state(this.league);
      seats = this.matchmaker.next({
        population: new Population(available),
        payoff: state.payoff,
        elo: (id) => state.elo.rating(id),
        rng: new Rng(deriveSeed(this.config.seed, SEED_STREAMS.pairing, index)),
        numPlayers: this.numPlayers,
      });
      created = await matches.create({
        env: this.env.key,
        params: this.config.params,
        seed: leagueMatchSeed(this.salt, this.league.name, index),
        seats: seats.map((agentId) => this.roster.seat(agentId)),
        league: this.config.name,
        ...(this.options.settings === undefined ? {} : { settings: this.options.settings }),
      });
    } catch (error) {
      this.emit({ kind: 'error', message: `could not schedule a match: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    }
    this.counter++;
    this.track(created.matchId, seats);
    if (this.isAborting) this.options.matches.get(created.matchId)?.abort();
    this.assignSeats(created.matchId, seats, created.seatTokens);
    return true;
  }

  private track(matchId: string, seats: readonly string[]): void {
    const runner = this.options.matches.get(matchId)!;
    this.running.set(matchId, { seats, runner });
    this.emit({ kind: 'match-started', matchId, seats, progress: this.progress() });
    if (runner.result !== undefined) {
      this.onEnded(runner.result);
      return;
    }
    const unsubscribe = runner.subscribe((event) => {
      if (event.kind !== 'finished') return;
      unsubscribe();
      this.onEnded(event.result);
    });
  }

  /** Sends each remote seat its token through the hub; a seat nobody can take ends the match at once. */
  private assignSeats(matchId: string, seats: readonly string[], tokens: readonly (string | null)[]): void {
    const runner = this.running.get(matchId)?.runner;
    if (runner === undefined) return;
    tokens.forEach((seatToken, seat) => {
      if (seatToken === null || runner.isOver) return;
      const sent = this.options.hub.assign({
        type: 'match:assigned',
        matchId,
        seat,
        seatToken,
        env: this.env.key,
        params: runner.episode.params,
        league: this.config.name,
        agentId: seats[seat]!,
      });
      if (!sent) runner.abort();
    });
  }

  private onEnded(result: FinishedMatch): void {
    const entry = this.running.get(result.matchId);
    if (entry === undefined) return;
    this.running.delete(result.matchId);
    this.done++;
    this.emit({
      kind: 'match-ended',
      matchId: result.matchId,
      seats: entry.seats,
      returns: result.returns,
      reason: result.reason,
      ratingChange: result.ratingChange,
      progress: this.progress(),
    });
    if (this.phase === 'stopping') this.finishIfDrained();
    else this.queueFill();
  }

  /** An external member gone: its matches nobody has started yet would only wait for their start timeout. */
  private onHubEvent(event: HubEvent): void {
    if (event.kind === 'online') {
      this.queueFill();
      return;
    }
    if (this.options.hub.isOnline(event.agentId)) return;
    for (const { seats, runner } of [...this.running.values()]) {
      if (!runner.isStarted && seats.includes(event.agentId)) runner.abort();
    }
  }

  private beginStop(reason: LiveStopReason): void {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    this.reason = reason;
    this.phase = 'stopping';
    if (this.minutesTimer !== undefined) clearTimeout(this.minutesTimer);
    this.finishIfDrained();
  }

  private finishStop(): void {
    this.phase = 'stopped';
    this.unsubscribeHub?.();
    this.emit({ kind: 'stopped', reason: this.reason, progress: this.progress() });
    this.resolveStopped(this.reason);
  }

  private emit(event: LiveLeagueEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing progress printer must not stop the league.
      }
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
