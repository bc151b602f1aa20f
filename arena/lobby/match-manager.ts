/**
 * MatchManager: the arena's registry of matches. It builds MatchRunners (in-process agents
 * from agent specs, random seat tokens for remote seats), records each match in the store as
 * 'live' before its first move and as its league MatchRow when it ends, so a finished match
 * is never lost; matches a crash left 'live' are marked 'aborted' when the next manager starts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createAgent, formatAgentSpec, parseAgentSpecs } from '../../agents/index.ts';
import { formatZodError, getEnv, type EpisodeRecord } from '../../envs/index.ts';
import { LOCAL_NODE_ID, type ArenaMatchRow, type LeagueStore } from '../../league/storage/league-store.ts';
import { ArenaError } from '../arena-error.ts';
import { CreateMatchInputSchema, type SeatInput } from '../../protocol/http-api.ts';
import type { RatingChange } from '../../protocol/messages.ts';
import { addArenaMembers, openArenaLeague, toMatchRow, type SeatPlayer } from '../league/arena-league.ts';
import { ArenaRatings } from '../league/arena-ratings.ts';
import { systemClock, type Clock } from '../match/clocks.ts';
import { parseMatchSettings, type MatchSettingsInput } from '../match/match-config.ts';
import type { FinishedMatch } from '../match/match-log.ts';
import {
  DEFAULT_MATCH_PAGE,
  MAX_MATCH_PAGE,
  type CreatedMatch,
  type CreateMatchInput,
  type CreateMatchOptions,
  type MatchListQuery,
  type MatchManagerApi,
  type MatchPage,
  type MatchSummaryView,
} from './match-manager-api.ts';
import { MatchRunner } from '../match/match-runner.ts';
import { randomSeed } from './match-seeds.ts';
import type { SeatSpec } from '../match/seat-map.ts';
import { TickStats } from '../match/tick-stats.ts';
import type { Agent } from '../../agents/agent.ts';
import type { AnyEnv } from '../../envs/index.ts';

export interface MatchManagerOptions {
  readonly store: LeagueStore;
  readonly clock?: Clock;
  /** Settings every match starts from; a match's own `settings` override them field by field. */
  readonly defaultSettings?: MatchSettingsInput;
  /** Ended matches whose runners stay in memory; older ones are served from the store. Default 256. */
  readonly keepFinished?: number;
  /** A match whose remote seats have not all joined by then is aborted. Default 10 minutes; 0 waits forever. */
  readonly startTimeoutMs?: number;
  /** Seat tokens; default 24 random bytes, base64url. */
  readonly newToken?: () => string;
  readonly newMatchId?: () => string;
  /** A finished match the store could not take (default: printed to stderr). */
  readonly onStoreError?: (error: unknown, matchId: string) => void;
  /** Elo per league, shared with schedulers that read it; default: a fresh one over `store`. */
  readonly ratings?: ArenaRatings;
  /** Where every real-time match counts its tick timings (bench:realtime reads it). */
  readonly tickStats?: TickStats;
  /** This process in a store several processes share: it owns the matches it creates, and recovers only those. Default LOCAL_NODE_ID. */
  readonly nodeId?: string;
}

interface Entry {
  readonly runner: MatchRunner;
  readonly agentIds: readonly string[];
  readonly createdAt: string;
  readonly tokens: readonly (string | null)[];
  readonly league: string;
}

const defaultToken = (): string => randomBytes(24).toString('base64url');

export class MatchManager implements MatchManagerApi {
  /** Matches the previous process left live, marked aborted by this manager's constructor. */
  readonly recoveredAborted: readonly string[];
  /** Every league's ratings: each ended match is stored with its Elo rows, and match:end carries the change. */
  readonly ratings: ArenaRatings;
  /** Tick timings of every real-time match this manager runs. */
  readonly tickStats: TickStats;
  private readonly options: MatchManagerOptions;
  private readonly store: LeagueStore;
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private readonly tokens = new Map<string, { readonly matchId: string; readonly seat: number }>();
  private readonly ended: string[] = [];
  /** Unfinished matches per agentId (the queue's per-agent cap reads it). */
  private readonly active = new Map<string, number>();
  private isClosing = false;

  /** Opens the registry; the matches the last process left live in the store are marked aborted first. */
  static async open(options: MatchManagerOptions): Promise<MatchManager> {
    return new MatchManager(options, await options.store.abortLiveArenaMatches(options.nodeId ?? LOCAL_NODE_ID));
  }

  private constructor(options: MatchManagerOptions, recoveredAborted: readonly string[]) {
    this.options = options;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.ratings = options.ratings ?? new ArenaRatings(this.store);
    this.tickStats = options.tickStats ?? new TickStats();
    this.recoveredAborted = recoveredAborted;
  }

  /** Throws typed errors on bad input: 'bad-request', 'unknown-env', 'bad-params', agent and settings errors. */
  async create(input: CreateMatchInput, options: CreateMatchOptions = {}): Promise<CreatedMatch> {
    if (this.isClosing) throw new ArenaError('bad-request', 'the server is shutting down', 'create the match on the next server run');
    const parsed = CreateMatchInputSchema.safeParse(input);
    if (!parsed.success) throw new ArenaError('bad-request', `bad match: ${formatZodError(parsed.error)}`, 'fix the named fields');
    const request = parsed.data;
    const env = getEnv(request.env);
    const params = env.parseParams(request.params ?? {});
    const settings = parseMatchSettings({ ...this.options.defaultSettings, ...request.settings } as MatchSettingsInput);
    const numPlayers = env.dims(params).numPlayers;
    if (request.seats.length !== numPlayers) {
      throw new ArenaError('bad-request', `seats: ${env.key} needs ${numPlayers} seats, got ${request.seats.length}`, 'give one seat entry per player');
    }
    const players = distinctIds(
      request.seats,
      request.seats.map((seat, i) => seatPlayer(seat, i)),
    );
    const seatTokens = players.map((p) => (p.kind === 'remote' ? (this.options.newToken ?? defaultToken)() : null));
    const specs = players.map(
      (p, i): SeatSpec =>
        p.kind === 'remote'
          ? { kind: 'remote', token: seatTokens[i]!, name: p.agentId }
          : { kind: 'agent', agent: createAgent(p.spec, env, params), name: p.agentId },
    );
    const agentIds = players.map((p) => p.agentId);
    // Counted from now: the queue's per-agent cap must see a match while the store records it.
    this.hold(agentIds, 1);
    let runner: MatchRunner;
    let matchId: string;
    try {
      const league = await openArenaLeague(this.store, env, request.league);
      if (this.isClosing) throw new ArenaError('bad-request', 'the server is shutting down', 'create the match on the next server run');
      matchId = (this.options.newMatchId ?? randomUUID)();
      const seed = request.seed ?? randomSeed();
      const fallbackAgent = fallbackAgentOf(settings.realtime?.fallbackAgent, env, params);
      runner = new MatchRunner({
        matchId,
        env,
        params,
        seed,
        seats: specs,
        settings,
        clock: this.clock,
        autoStart: true,
        ...(fallbackAgent === undefined ? {} : { fallbackAgent }),
        tickStats: this.tickStats,
        rate: (result) => this.persist(result),
        onFinished: (result) => this.release(result),
      });
      const createdAt = new Date(this.clock.now()).toISOString();
      const nodeId = this.options.nodeId ?? LOCAL_NODE_ID;
      await this.store.startArenaMatch({ matchId, leagueId: league.id, env: env.key, seats: agentIds, createdAt, nodeId });
      await addArenaMembers(this.store, league, players);
      this.entries.set(matchId, { runner, agentIds, createdAt, tokens: seatTokens, league: league.name });
    } catch (error) {
      this.hold(agentIds, -1);
      throw error;
    }
    seatTokens.forEach((token, seat) => {
      if (token !== null) this.tokens.set(token, { matchId, seat });
    });
    // close() began while the store recorded this match: it never starts (it is stored as aborted).
    if (this.isClosing) runner.abort();
    // Nobody will join an all-agent match: it starts now. Others start when their last seat joins.
    else if (!runner.startIfSeated()) this.abortIfNeverStarted(runner, options.startTimeoutMs);
    return { matchId, seatTokens };
  }

  activeMatches(agentId: string): number {
    return this.active.get(agentId) ?? 0;
  }

  get(matchId: string): MatchRunner | undefined {
    return this.entries.get(matchId)?.runner;
  }

  byToken(seatToken: string): { readonly matchId: string; readonly seat: number } | undefined {
    return typeof seatToken === 'string' ? this.tokens.get(seatToken) : undefined;
  }

  /**
   * One page of matches, newest first. Waiting and live matches exist only in this process's
   * memory; every match (from the moment it is created) has a store row, so other queries page
   * in the store and show each row through its runner while the runner is still in memory.
   */
  async list(query: MatchListQuery = {}): Promise<MatchPage> {
    const limit = Math.min(query.limit ?? DEFAULT_MATCH_PAGE, MAX_MATCH_PAGE);
    const offset = query.offset ?? 0;
    if (query.status === 'waiting' || query.status === 'live') {
      const views = [...this.entries.entries()]
        .filter(([, entry]) => query.agentId === undefined || entry.agentIds.includes(query.agentId))
        .map(([matchId, entry]) => this.liveView(matchId, entry))
        .filter(
          (v) => v.status === query.status && (query.env === undefined || v.env === query.env) && (query.league === undefined || v.league === query.league),
        )
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const page = views.slice(offset, offset + limit);
      return { matches: page, nextOffset: offset + limit < views.length ? offset + limit : null };
    }
    const leagueId = query.league === undefined ? undefined : (await this.store.getLeague(query.league))?.id;
    if (query.league !== undefined && leagueId === undefined) return { matches: [], nextOffset: null };
    const statuses = query.status === 'finished' ? (['finished', 'faulted'] as const) : query.status === 'aborted' ? (['aborted'] as const) : undefined;
    const rows = await this.store.listArenaMatches({
      ...(statuses === undefined ? {} : { statuses }),
      ...(query.env === undefined ? {} : { env: query.env }),
      ...(query.agentId === undefined ? {} : { agentId: query.agentId }),
      ...(leagueId === undefined ? {} : { leagueId }),
      limit: limit + 1, // one more: is there a next page?
      offset,
    });
    const matches = await Promise.all(rows.slice(0, limit).map((row) => (this.entries.has(row.matchId) ? this.summary(row.matchId) : this.storedView(row))));
    return { matches: matches.filter((m) => m !== undefined), nextOffset: rows.length > limit ? offset + limit : null };
  }

  async summary(matchId: string): Promise<MatchSummaryView | undefined> {
    const entry = this.entries.get(matchId);
    if (entry === undefined) {
      const row = await this.store.getArenaMatch(matchId);
      return row && this.storedView(row);
    }
    return this.liveView(matchId, entry);
  }

  /** The view of a match this process runs (or ran recently), from its runner. */
  private liveView(matchId: string, entry: Entry): MatchSummaryView {
    const { runner } = entry;
    const result = runner.result;
    return {
      matchId,
      env: runner.env.key,
      status: result ? (result.reason === 'aborted' ? 'aborted' : 'finished') : runner.isStarted ? 'live' : 'waiting',
      seats: entry.agentIds.map((agentId, seat) => ({ seat, agentId, connected: runner.seats.isConnected(seat) })),
      stepIndex: runner.stepIndex,
      returns: result ? result.returns.slice() : null,
      createdAt: entry.createdAt,
      league: entry.league,
    };
  }

  /** The replay of an ended match (from memory or the store); undefined while it runs or if unknown. */
  async replay(matchId: string): Promise<EpisodeRecord | undefined> {
    const entry = this.entries.get(matchId);
    if (entry !== undefined) return entry.runner.result?.record;
    const row = await this.store.getArenaMatch(matchId);
    if (row?.index === null || row === undefined) return undefined;
    return (await this.store.getMatch(row.leagueId, row.index))?.record ?? undefined;
  }

  /** Aborts every running match (each is stored as aborted) and waits for in-process agents to settle. */
  async close(): Promise<void> {
    this.isClosing = true;
    const runners = [...this.entries.values()].map((e) => e.runner);
    for (const runner of runners) if (!runner.isOver) runner.abort();
    await Promise.all(runners.map((runner) => runner.whenIdle()));
  }

  /** A seat token nobody uses must not hold a match (and its live row) open forever. */
  private abortIfNeverStarted(runner: MatchRunner, startTimeoutMs: number | undefined): void {
    const timeoutMs = startTimeoutMs ?? this.options.startTimeoutMs ?? 10 * 60_000;
    if (timeoutMs <= 0) return;
    const cancel = this.clock.schedule(timeoutMs, () => {
      if (!runner.isStarted && !runner.isOver) runner.abort();
    });
    runner.subscribe((event) => {
      if (event.kind === 'finished') cancel();
    });
  }

  /** Runs before match:end goes out: stores the match with its Elo rows; returns the change match:end carries. */
  private async persist(result: FinishedMatch): Promise<RatingChange[] | undefined> {
    const entry = this.entries.get(result.matchId);
    if (entry === undefined) return undefined;
    try {
      return (await this.ratings.finish(result.matchId, toMatchRow(result, entry.agentIds))).ratingChange;
    } catch (error) {
      (this.options.onStoreError ?? reportStoreError)(error, result.matchId);
      return undefined;
    }
  }

  private release(result: FinishedMatch): void {
    const entry = this.entries.get(result.matchId);
    if (entry === undefined) return;
    for (const token of entry.tokens) if (token !== null) this.tokens.delete(token);
    this.hold(entry.agentIds, -1);
    this.ended.push(result.matchId);
    const keep = this.options.keepFinished ?? 256;
    while (this.ended.length > keep) this.entries.delete(this.ended.shift()!);
  }

  /** Counts (delta 1) or releases (delta -1) one unfinished match for each distinct agent of the seats. */
  private hold(agentIds: readonly string[], delta: 1 | -1): void {
    for (const agentId of new Set(agentIds)) {
      const count = (this.active.get(agentId) ?? 0) + delta;
      if (count <= 0) this.active.delete(agentId);
      else this.active.set(agentId, count);
    }
  }

  private readonly leagueNames = new Map<number, string>();

  private async leagueName(leagueId: number): Promise<string> {
    let name = this.leagueNames.get(leagueId);
    if (name === undefined) {
      for (const league of await this.store.listLeagues()) this.leagueNames.set(league.id, league.name);
      name = this.leagueNames.get(leagueId) ?? '';
    }
    return name;
  }

  private async storedView(row: ArenaMatchRow): Promise<MatchSummaryView> {
    const match = row.index === null ? undefined : await this.store.getMatch(row.leagueId, row.index);
    const status = row.status === 'live' ? 'live' : row.status === 'aborted' ? 'aborted' : 'finished';
    return {
      matchId: row.matchId,
      env: row.env,
      status,
      seats: row.seats.map((agentId, seat) => ({ seat, agentId, connected: false })),
      stepIndex: match?.record?.history.length ?? 0,
      returns: match ? match.returns.slice() : null,
      createdAt: row.createdAt,
      league: await this.leagueName(row.leagueId),
    };
  }
}

/**
 * One seat's player and, for in-process seats, its one agent spec. Without an agentId a remote
 * seat is `anonymous-<seat>` and an in-process agent is named after its spec (`mcts-sims-50`):
 * the same spec is the same player from match to match, and its rating means something.
 */
function seatPlayer(seat: SeatInput, index: number): SeatPlayer {
  if (seat.kind === 'remote') return { kind: 'remote', agentId: seat.agentId ?? `anonymous-${index}` };
  const specs = parseAgentSpecs(seat.agent);
  if (specs.length !== 1) {
    throw new ArenaError(
      'bad-request',
      `seats.${index}.agent: "${seat.agent}" names ${specs.length} agents`,
      'give one agent spec per seat, e.g. "mcts:sims=64"',
    );
  }
  const spec = specs[0]!;
  return { kind: 'agent', agentId: seat.agentId ?? specAgentId(formatAgentSpec(spec)), spec };
}

/** An agent spec as a league agentId: lower case, runs of other characters as one "-". */
export function specAgentId(specText: string): string {
  return (
    specText
      .toLowerCase()
      .replace(/[^a-z0-9._]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'agent'
  );
}

/** Two seats never share a default identity: a repeated one gets its seat, `random-seat1`. */
function distinctIds(seats: readonly SeatInput[], players: readonly SeatPlayer[]): SeatPlayer[] {
  return players.map((player, seat) => {
    if (seats[seat]!.agentId !== undefined) return player; // named by the caller: kept as given
    const isRepeated = players.some((other, i) => i !== seat && other.agentId === player.agentId);
    return isRepeated ? { ...player, agentId: `${player.agentId}-seat${seat}` } : player;
  });
}

/** Real-time matches: the agent that plays a dropped seat, checked at creation (a bad spec is the caller's error). */
function fallbackAgentOf(text: string | undefined, env: AnyEnv, params: unknown): (() => Agent) | undefined {
  if (text === undefined) return undefined;
  const specs = parseAgentSpecs(text);
  if (specs.length !== 1) throw new ArenaError('bad-request', `settings.realtime.fallbackAgent: "${text}" names ${specs.length} agents`, 'give one agent spec');
  const spec = specs[0]!;
  createAgent(spec, env, params);
  return () => createAgent(spec, env, params);
}

function reportStoreError(error: unknown, matchId: string): void {
  console.error(`ludus arena: could not store match ${matchId}: ${error instanceof Error ? error.message : String(error)}`);
}
