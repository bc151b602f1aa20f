/**
 * The headless league: plays matches in waves of `schedule.concurrency` episodes, folds the
 * results into ratings in schedule order and writes everything to the store.
 *
 * Determinism and resumption: match i's pairing is drawn with an RNG derived from
 * (seed, i) from the league state at the start of i's wave (all earlier waves folded), and
 * its episode seed is derived from (seed, i). So a league stopped anywhere (Ctrl-C,
 * kill -9) and run again re-plans the same waves, skips the matches already stored, and
 * ends with exactly the ratings of an uninterrupted run.
 *
 * Who plays a wave's matches is a `MatchPlayer`: this process by default, or workers behind a
 * job queue (league/queue/); either way the runner plans, folds and rates the same.
 */
import { deriveSeed, getEnv, Rng } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { leagueConfigHash, type LeagueConfig } from '../config/league-config.ts';
import { createMatchmaker, type Matchmaker } from '../matchmaking/index.ts';
import { Population } from '../population/population.ts';
import type { LeagueRow, LeagueStore, MatchSummary, RatingRow } from '../storage/league-store.ts';
import { LeagueState } from './league-state.ts';
import { LocalMatchPlayer, type LeagueMatch, type MatchPlayer, type PlayContext } from './match-player.ts';
import { configMembers, SnapshotKeeper, type LearnerHook } from './snapshot-keeper.ts';
import { bradleyTerryRatings, isMarginGame } from '../standings.ts';
import { LeagueError } from '../league-error.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

/**
 * Elo rows are written in batches of about this many rows (with `ratedThrough`), not every
 * wave: each write dirties a B-tree page per member, which made 128-member leagues 3x slower
 * per match than 8-member ones. Rows not yet written when a run is killed are recomputed
 * from the stored matches on resume (foldStored), so nothing is lost.
 */
const RATING_ROWS_PER_WRITE = 8192;

export type StopReason = 'matches' | 'minutes' | 'convergence' | 'interrupted';

export interface LeagueProgress {
  readonly done: number;
  readonly target: number | undefined;
  readonly leader: string;
  readonly leaderElo: number;
  /** Chip games: the leader is the best mean chips per game (finished matches), given here; otherwise the best Elo. */
  readonly leaderChipsPerGame?: number;
  /** Team envs: the leader is the best OpenSkill ordinal (μ − 3σ), given here. */
  readonly leaderOrdinal?: number;
}

export interface RunLeagueOptions {
  readonly store: LeagueStore;
  readonly config: LeagueConfig;
  /** Replaces the config's stopping rule with a total number of matches. */
  readonly maxMatches?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LeagueProgress) => void;
  /** Changes a learner's agent between snapshots (the training step); scripted stand-ins in tests. */
  readonly learnerHook?: LearnerHook;
  readonly now?: () => number;
  /** Plays the waves' matches; default: in this process. The caller closes it. */
  readonly player?: MatchPlayer;
}

export interface RunLeagueResult {
  readonly league: LeagueRow;
  /** Matches stored when the run started, and after it. */
  readonly resumedFrom: number;
  readonly total: number;
  readonly played: number;
  readonly stoppedBy: StopReason;
  readonly seconds: number;
}

export async function runLeague(options: RunLeagueOptions): Promise<RunLeagueResult> {
  const { store, config } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const env = getEnv(config.env);
  const params = env.parseParams(config.params);
  const numPlayers = env.dims(params).numPlayers;
  const chipGame = isMarginGame(env.spec.utility, env.dims(params));
  const league = await openLeague(store, config, env);
  const population = await loadPopulation(store, league, config, env);
  const W = config.schedule.concurrency;
  const state = new LeagueState(config.ratings.elo, config.ratings.faults, env.spec.utility, config.ratings.openskill, env.dims(params));
  const matchmaker = createMatchmaker(config.matchmaking);
  const player = options.player ?? new LocalMatchPlayer(store);
  const context: PlayContext = { league, env, params, recordReplays: config.schedule.recordReplays };
  const keeper = new SnapshotKeeper(config, store, league.id, population, options.learnerHook);
  const stored = await store.matchSummaries(league.id);
  let waveStart = Math.floor(firstGap(stored) / W) * W;
  const pending = new Map(stored.filter((m) => m.index >= waveStart).map((m) => [m.index, m]));
  await foldStored(store, league, state, keeper, W, stored.slice(0, waveStart));
  const resumedFrom = stored.length;
  // A league stopped inside a wave has rated that wave's first matches already.
  let ratedThrough = Math.max(league.ratedThrough, waveStart);
  const target = options.maxMatches ?? config.stop.matches;
  let stoppedBy: StopReason | undefined;
  let lastYield = now();
  let convergence = { at: waveStart, ratings: undefined as Map<string, number> | undefined };
  let unwritten: RatingRow[] = [];

  while (!stoppedBy) {
    if (target !== undefined && waveStart >= target) {
      stoppedBy = 'matches';
      break;
    }
    if (options.maxMatches === undefined && config.stop.minutes !== undefined && now() - started >= config.stop.minutes * 60_000) {
      stoppedBy = 'minutes';
      break;
    }
    if (options.signal?.aborted) {
      stoppedBy = 'interrupted';
      break;
    }
    await keeper.atWaveStart(waveStart, state);
    const waveEnd = target === undefined ? waveStart + W : Math.min(waveStart + W, target);
    const plan = planWave(matchmaker, population, state, config.seed, numPlayers, waveStart, waveEnd);
    const results = await playWave(player, context, plan, pending);
    unwritten.push(...foldWave(state, results).filter((row) => row.index >= ratedThrough));
    ratedThrough = waveEnd;
    if (unwritten.length >= RATING_ROWS_PER_WRITE) {
      await store.commit(league.id, [], unwritten, waveEnd);
      unwritten = [];
    }
    for (const r of results) pending.delete(r.index);
    waveStart = waveEnd;
    options.onProgress?.(progressOf(state, waveStart, target, chipGame));
    if (options.maxMatches === undefined && config.stop.convergence) {
      const c = config.stop.convergence;
      if (waveStart >= c.minMatches && waveStart - convergence.at >= c.checkEvery) {
        const ratings = bradleyTerryRatings(state.pairs);
        if (convergence.ratings && maxShift(convergence.ratings, ratings) < c.tolerance) stoppedBy = 'convergence';
        convergence = { at: waveStart, ratings };
      }
    }
    if (now() - lastYield > 50) {
      await new Promise((resolve) => setImmediate(resolve)); // let signals and the progress bar run
      lastYield = now();
    }
  }
  await store.commit(league.id, [], unwritten, ratedThrough);
  return { league, resumedFrom, total: waveStart, played: waveStart - Math.min(resumedFrom, waveStart), stoppedBy, seconds: (now() - started) / 1000 };
}

async function openLeague(store: LeagueStore, config: LeagueConfig, env: AnyEnv): Promise<LeagueRow> {
  const configHash = leagueConfigHash(config);
  const league = await store.openLeague({ name: config.name, env: env.key, config, configHash, seed: config.seed });
  if (league.configHash !== configHash) {
    throw new LeagueError(
      'league-config-changed',
      `league "${config.name}" in this store was run with a different config (env, members, matchmaking, ratings, schedule or seed)`,
      'change only `stop` (or --max-matches) to extend a league; give the league a new `name` or use another --store to start over',
    );
  }
  return league;
}

/** The config's members; snapshots are re-derived while folding stored matches. */
async function loadPopulation(store: LeagueStore, league: LeagueRow, config: LeagueConfig, env: AnyEnv): Promise<Population> {
  const members = configMembers(config, env.key);
  if ((await store.listMembers(league.id)).length === 0) await store.upsertMembers(league.id, members);
  const external = members.find((m) => m.kind === 'external');
  if (external) {
    throw new LeagueError(
      'bad-config',
      `member "${external.agentId}" is external: a headless league cannot play it`,
      'serve the league with the arena, or remove the member',
    );
  }
  return new Population(members);
}

/** Index of the first match missing from an index-ordered list. */
function firstGap(stored: readonly MatchSummary[]): number {
  for (let i = 0; i < stored.length; i++) if (stored[i]!.index !== i) return i;
  return stored.length;
}

/** Rebuilds the state of a resumed league: folds stored matches, replaying each wave boundary. */
async function foldStored(
  store: LeagueStore,
  league: LeagueRow,
  state: LeagueState,
  keeper: SnapshotKeeper,
  W: number,
  matches: readonly MatchSummary[],
): Promise<void> {
  const late: RatingRow[] = [];
  for (const m of matches) {
    if (m.index % W === 0) await keeper.atWaveStart(m.index, state);
    const rows = state.apply(m);
    if (m.index >= league.ratedThrough) late.push(...rows); // killed between a wave's last match and its Elo rows
  }
  if (late.length > 0 || league.ratedThrough < matches.length) await store.commit(league.id, [], late, matches.length);
}

/** The wave's matches: seats drawn from (seed, index), agents as the population holds them now (a learner's change between waves). */
function planWave(
  matchmaker: Matchmaker,
  population: Population,
  state: LeagueState,
  seed: number,
  numPlayers: number,
  from: number,
  to: number,
): LeagueMatch[] {
  const plan: LeagueMatch[] = [];
  for (let index = from; index < to; index++) {
    const rng = new Rng(deriveSeed(seed, SEED_STREAMS.pairing, index));
    const seats = matchmaker.next({ population, payoff: state.payoff, elo: (id) => state.elo.rating(id), rng, numPlayers });
    plan.push({ index, seats, seed: deriveSeed(seed, SEED_STREAMS.episode, index), agents: seats.map((id) => population.get(id).agent) });
  }
  return plan;
}

/** The wave's results: stored ones (a resumed wave) and the rest played by `player`; each checked against the plan. */
async function playWave(
  player: MatchPlayer,
  context: PlayContext,
  plan: readonly LeagueMatch[],
  stored: ReadonlyMap<number, MatchSummary>,
): Promise<MatchSummary[]> {
  const missing = plan.filter((p) => !stored.has(p.index));
  const played = await player.playLeagueMatches(context, missing);
  const byIndex = new Map([...stored, ...played.map((m) => [m.index, m] as const)]);
  return plan.map((p) => {
    const done = byIndex.get(p.index);
    if (!done || done.seats.join('\u0000') !== p.seats.join('\u0000')) {
      throw new LeagueError(
        'league-store-mismatch',
        done
          ? `stored match ${p.index} has seats ${done.seats.join(' vs ')}, but the schedule plans ${p.seats.join(' vs ')}`
          : `match ${p.index} was played but not stored`,
        'the store was written by another version of Ludus or edited by hand; use a new league name',
      );
    }
    return done;
  });
}

function foldWave(state: LeagueState, results: readonly MatchSummary[]): RatingRow[] {
  const rows: RatingRow[] = [];
  for (const m of results.slice().sort((a, b) => a.index - b.index)) rows.push(...state.apply(m));
  return rows;
}

function progressOf(state: LeagueState, done: number, target: number | undefined, chipGame: boolean): LeagueProgress {
  if (state.teamRated && state.skill) {
    const skill = state.skill;
    const ids = [...state.games.keys()];
    const leader = ids.reduce((best, id) => (best === '-' || skill.rating(id).ordinal > skill.rating(best).ordinal ? id : best), '-');
    return leader === '-'
      ? { done, target, leader, leaderElo: -Infinity }
      : { done, target, leader, leaderElo: state.elo.rating(leader), leaderOrdinal: skill.rating(leader).ordinal };
  }
  let leader = '-';
  let best = -Infinity;
  for (const id of state.games.keys()) {
    const score = chipGame ? (state.meanMargin(id) ?? -Infinity) : state.elo.rating(id);
    if (score > best || leader === '-') {
      leader = id;
      best = score;
    }
  }
  const leaderElo = leader === '-' ? -Infinity : state.elo.rating(leader);
  return chipGame && Number.isFinite(best) ? { done, target, leader, leaderElo, leaderChipsPerGame: best } : { done, target, leader, leaderElo };
}

function maxShift(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let shift = 0;
  for (const [id, r] of b) shift = Math.max(shift, Math.abs(r - (a.get(id) ?? Infinity)));
  return shift;
}
