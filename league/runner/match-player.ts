/**
 * How the matches of a league wave (or of an evaluation) get played: the league runner plans
 * them and folds their results; a `MatchPlayer` plays them. `LocalMatchPlayer` plays them in
 * this process; the queue player (league/queue/) hands them to worker processes, which play
 * each one with `playLeagueMatch`, so a match is the same wherever it runs: the same agents
 * from the member specs, the same seed, the same record.
 */
import { createAgent } from '../../agents/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { playMatch } from '../play-match.ts';
import type { MemberAgent } from '../population/member.ts';
import type { LeagueRow, LeagueStore, MatchRow, MatchSummary } from '../storage/league-store.ts';

/** What every match of one league shares. */
export interface PlayContext {
  readonly league: LeagueRow;
  readonly env: AnyEnv;
  readonly params: unknown;
  /** Store each match's replay record (and agents' move notes) with it. */
  readonly recordReplays: boolean;
}

/** One match of an evaluation: no place in the league's schedule, nothing stored. */
export interface EvaluationMatch {
  readonly seed: number;
  /** agentIds in seat order. */
  readonly seats: readonly string[];
  /** Each seat's agent spec (the member's, when the match was planned). */
  readonly agents: readonly MemberAgent[];
}

/** Match `index` of the league's schedule. */
export interface LeagueMatch extends EvaluationMatch {
  readonly index: number;
}

/** An evaluation match's outcome, as payoff and cross-play matrices read it. */
export type EvaluationResult = Pick<MatchSummary, 'seats' | 'returns' | 'length' | 'status' | 'fault'>;

export interface MatchPlayer {
  /**
   * Plays these matches (none of them stored yet) and stores each one, with its replay, as it
   * finishes; resolves with their summaries (any order) once every one is stored.
   */
  playLeagueMatches(context: PlayContext, matches: readonly LeagueMatch[]): Promise<MatchSummary[]>;
  /** Plays these matches and resolves with their results in the order given; stores nothing. */
  playEvaluationMatches(context: PlayContext, matches: readonly EvaluationMatch[]): Promise<EvaluationResult[]>;
  close(): Promise<void>;
}

/** Plays one match of the league's schedule and returns the row the store keeps for it. */
export async function playLeagueMatch(context: PlayContext, match: LeagueMatch, yieldEveryMs?: number): Promise<MatchRow> {
  const { env, params } = context;
  const agents = match.agents.map((spec) => createAgent(spec, env, params));
  const result = await playMatch({ env, params, seed: match.seed, agents, ...(yieldEveryMs === undefined ? {} : { yieldEveryMs }) });
  return {
    index: match.index,
    seed: match.seed,
    seats: match.seats,
    returns: result.returns,
    length: result.length,
    status: result.fault ? 'faulted' : 'finished',
    fault: result.fault ?? null,
    record: context.recordReplays ? result.record : null,
    ...(context.recordReplays && result.notes ? { notes: result.notes } : {}),
  };
}

/** Plays one evaluation match. */
export async function playEvaluationMatch(context: PlayContext, match: EvaluationMatch, yieldEveryMs?: number): Promise<EvaluationResult> {
  const row = await playLeagueMatch({ ...context, recordReplays: false }, { ...match, index: 0 }, yieldEveryMs);
  return { seats: row.seats, returns: row.returns, length: row.length, status: row.status, fault: row.fault };
}

/** Plays every match in this process, a wave's matches concurrently (agents that answer asynchronously overlap). */
export class LocalMatchPlayer implements MatchPlayer {
  private readonly store: LeagueStore;

  constructor(store: LeagueStore) {
    this.store = store;
  }

  async playLeagueMatches(context: PlayContext, matches: readonly LeagueMatch[]): Promise<MatchSummary[]> {
    const sink = new MatchSink(this.store, context.league.id);
    const rows = await Promise.all(
      matches.map(async (match) => {
        const row = await playLeagueMatch(context, match);
        sink.add(row);
        return row;
      }),
    );
    await sink.drain();
    return rows;
  }

  playEvaluationMatches(context: PlayContext, matches: readonly EvaluationMatch[]): Promise<EvaluationResult[]> {
    return Promise.all(matches.map((match) => playEvaluationMatch(context, match)));
  }

  async close(): Promise<void> {}
}

/**
 * Writes finished matches as they finish: rows wait at most one event-loop turn, so matches
 * of a wave that finish at different times (remote or batched agents) are stored early.
 * Commits run one after another; `drain` waits for the last and rethrows a failed one.
 */
class MatchSink {
  private buffer: MatchRow[] = [];
  private scheduled = false;
  private written: Promise<void> = Promise.resolve();
  private readonly store: LeagueStore;
  private readonly leagueId: number;

  constructor(store: LeagueStore, leagueId: number) {
    this.store = store;
    this.leagueId = leagueId;
  }

  add(row: MatchRow): void {
    this.buffer.push(row);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  async drain(): Promise<void> {
    this.flush();
    await this.written;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    const previous = this.written;
    this.written = previous.then(() => this.store.commit(this.leagueId, rows, []));
    this.written.catch(() => {}); // rethrown by drain; never an unhandled rejection meanwhile
  }
}
