/**
 * The live league: a league config served by the arena. It keeps `schedule.concurrency`
 * matches running, drawn by the league's matchmaker from the members who can play now:
 * in-process members always, external members (remote agents, by agentId) only while
 * connected to the AgentHub, which hands each of their seats its `match:assigned`.
 * Results are stored and rated as they finish (ArenaRatings: Elo in finish order), so a
 * restarted server counts the stored matches and carries on with the same ratings.
 *
 * Unlike `league run`, the schedule is not reproducible (remote agents finish when they
 * finish); each pairing is still drawn with an rng derived from (seed, match number). Deals
 * are not derived from the config seed (configs get shared): see lobby/match-seeds.ts.
 *
 * In a cluster every process serves the league, but only the holder of its `lock` schedules
 * (the others stand by, and one takes over when the holder dies): its `host` places each
 * match on some process, and a new leader first adopts the matches still running.
 */
import { deriveSeed, getEnv, Rng } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { LeagueConfig } from '../../league/config/league-config.ts';
import { createMatchmaker, type Matchmaker } from '../../league/matchmaking/index.ts';
import { Population } from '../../league/population/population.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import type { RatingChange } from '../../protocol/messages.ts';
import type { AgentHub, HubEvent } from '../lobby/assignment-hub.ts';
import type { MatchSettingsInput } from '../match/match-config.ts';
import type { FinishedMatch } from '../match/match-log.ts';
import type { MatchManager } from '../lobby/match-manager.ts';
import { LocalLeagueHost, type HostedMatch, type HostedMatchEnd, type LeagueMatchHost } from './league-host.ts';
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
  | { readonly kind: 'stopped'; readonly reason: LiveStopReason; readonly progress: LiveLeagueProgress }
  /** In a cluster: this process took the league's lock and schedules it now (adopting `adopted` running matches), or lost it. */
  | { readonly kind: 'leading'; readonly adopted: number; readonly progress: LiveLeagueProgress }
  | { readonly kind: 'standing-by' };

/** The one-scheduler-per-league lock of a cluster (arena/cluster/advisory-lock.ts). */
export interface LeagueLock {
  start(handlers: { readonly onAcquired: () => void; readonly onLost: () => void; readonly onError?: (error: unknown) => void }): void;
  stop(): Promise<void>;
}

export interface LiveLeagueOptions {
  readonly config: LeagueConfig;
  readonly store: LeagueStore;
  readonly matches: MatchManager;
  readonly hub: AgentHub;
  /** Settings of every league match (clocks, timeout policy); default: the arena's. */
  readonly settings?: MatchSettingsInput;
  /** For `stop.minutes`; default Date.now. */
  readonly now?: () => number;
  /** Where matches run; default this process's `matches`. */
  readonly host?: LeagueMatchHost;
  /** A cluster's lock: the league is scheduled only while this process holds it. */
  readonly lock?: LeagueLock;
}

interface Running {
  readonly seats: readonly string[];
  readonly match: HostedMatch;
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
  /** `standby`: a cluster process waiting for the league's lock. */
  private phase: 'idle' | 'standby' | 'running' | 'stopping' | 'stopped' = 'idle';
  private readonly host: LeagueMatchHost;
  /** Bumped when leadership is lost: callbacks of the lost term do nothing. */
  private term = 0;
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
    this.host = options.host ?? new LocalLeagueHost(options.matches);
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /**
   * Starts scheduling (idempotent); the stored matches of the league count toward `stop.matches`.
   * With a `lock`, starts waiting for it instead: scheduling begins once this process holds it.
   */
  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    const lock = this.options.lock;
    if (lock === undefined) {
      await this.lead();
      return;
    }
    this.phase = 'standby';
    this.done = await this.options.store.countMatches(this.league.id); // for progress reports while standing by
    lock.start({
      onAcquired: () => {
        this.lead().catch((error: unknown) => this.emit({ kind: 'error', message: `could not take the league over: ${errorText(error)}` }));
      },
      onLost: () => this.standDown(),
      onError: (error) => this.emit({ kind: 'error', message: `the league's lock: ${errorText(error)}` }),
    });
  }

  /** Becomes the league's scheduler: counts what is stored, adopts what still runs, fills up. */
  private async lead(): Promise<void> {
    if (this.phase !== 'idle' && this.phase !== 'standby') return;
    this.phase = 'running';
    const term = this.term;
    this.done = await this.options.store.countMatches(this.league.id);
    const adopted = await this.host.adopt(this.league);
    if (term !== this.term) return;
    for (const { match, seats } of adopted) this.track(match, seats, false);
    // Pairings and deals are numbered by match: those already created (stored or running) are taken.
    this.counter = this.done + adopted.length;
    // The matchmaker reads the league's ratings: fold them before the first launch.
    await this.ratings();
    this.startedAt = this.now();
    this.unsubscribeHub = this.options.hub.subscribe((event) => this.onHubEvent(event));
    if (this.options.lock !== undefined) this.emit({ kind: 'leading', adopted: adopted.length, progress: this.progress() });
    const minutes = this.config.stop.minutes;
    if (minutes !== undefined) {
      this.minutesTimer = setTimeout(() => this.queueFill(), minutes * 60_000);
      this.minutesTimer.unref();
    }
    await this.fill();
  }

  /**
   * Stops scheduling; running matches finish (or, with `abort`, end now, stored as aborted). Resolves when none runs.
   * In a cluster the league's matches belong to their processes: this one releases the lock and
   * stops following them at once (the next leader adopts them); `abort` ends only its own.
   */
  async stop(options: { readonly abort?: boolean } = {}): Promise<void> {
    const lock = this.options.lock;
    if (lock !== undefined) {
      this.standDown(false);
      await lock.stop();
      if (this.phase !== 'stopped') {
        this.reason = 'stopped';
        this.finishStop();
      }
      return;
    }
    if (this.phase === 'idle' || this.phase === 'running') this.beginStop('stopped');
    if (options.abort) {
      this.isAborting = true;
      for (const { match } of [...this.running.values()]) match.abort();
    }
    await this.stopped;
  }

  /** Lost the lock (or stopping in a cluster): stop scheduling and following; the matches play on where they run. */
  private standDown(announce = true): void {
    if (this.phase !== 'running' && this.phase !== 'stopping') return;
    this.term++;
    this.phase = 'standby';
    this.running.clear();
    this.host.forget();
    this.unsubscribeHub?.();
    this.unsubscribeHub = undefined;
    if (this.minutesTimer !== undefined) clearTimeout(this.minutesTimer);
    if (announce) this.emit({ kind: 'standing-by' });
  }

  /** This process schedules the league now (always, outside a cluster, until it stopped). */
  get isScheduling(): boolean {
    return this.phase === 'running' || this.phase === 'stopping';
  }

  /** The league's ratings for the matchmaker; in a cluster other processes store matches too, so they are folded in first. */
  private ratings() {
    const { ratings } = this.options.matches;
    return this.options.lock === undefined ? ratings.state(this.league) : ratings.refresh(this.league);
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
    const { hub } = this.options;
    const available = this.roster.members.filter((m) => m.kind !== 'external' || hub.isOnline(m.agentId));
    if (available.length < 2) {
      if (!this.wasWaiting) this.emit({ kind: 'waiting', available: available.map((m) => m.agentId) });
      this.wasWaiting = true;
      return false;
    }
    this.wasWaiting = false;
    const index = this.counter;
    let seats: string[];
    let created: HostedMatch;
    const term = this.term;
    try {
      const state = await this.ratings();
      seats = this.matchmaker.next({
        population: new Population(available),
        payoff: state.payoff,
        elo: (id) => state.elo.rating(id),
        rng: new Rng(deriveSeed(this.config.seed, SEED_STREAMS.pairing, index)),
        numPlayers: this.numPlayers,
      });
      created = await this.host.create({
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
    if (term !== this.term) return false; // leadership lost meanwhile: the match plays on, the next leader adopts it
    this.track(created, seats, true);
    if (this.isAborting) created.abort();
    this.assignSeats(created, seats);
    return true;
  }

  private track(match: HostedMatch, seats: readonly string[], announce: boolean): void {
    const term = this.term;
    this.running.set(match.matchId, { seats, match });
    if (announce) this.emit({ kind: 'match-started', matchId: match.matchId, seats, progress: this.progress() });
    match.onEnded((end) => {
      if (term === this.term) this.onEnded(end);
    });
  }

  /** Sends each remote seat its token through the hub (with the process that runs it); a seat nobody can take ends the match at once. */
  private assignSeats(match: HostedMatch, seats: readonly string[]): void {
    const params = this.env.parseParams(this.config.params);
    match.seatTokens.forEach((seatToken, seat) => {
      if (seatToken === null || match.isOver) return;
      const sent = this.options.hub.assign({
        type: 'match:assigned',
        matchId: match.matchId,
        seat,
        seatToken,
        env: this.env.key,
        params,
        league: this.config.name,
        agentId: seats[seat]!,
        ...(match.server === undefined ? {} : { server: match.server }),
      });
      if (!sent) match.abort();
    });
  }

  private onEnded(result: HostedMatchEnd): void {
    const entry = this.running.get(result.matchId);
    if (entry === undefined) return;
    this.running.delete(result.matchId);
    // A match that died with its process (a cluster) has no league row: `stop.matches` counts stored ones.
    if (result.stored) this.done++;
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
    for (const { seats, match } of [...this.running.values()]) {
      if (seats.includes(event.agentId)) match.abort({ unstarted: true });
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

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
