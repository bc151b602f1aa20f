/**
 * ArenaRatings: Elo for arena matches, per league, in finish order. A league's LeagueState
 * (with the Elo, fault and OpenSkill settings of that league's config) is folded from its
 * stored matches on first use, so a restarted server continues exactly where the last one
 * stopped. Each ended match is then stored together with its rating rows in one store
 * transaction: a crash never leaves a match without its Elo rows.
 */
import { getEnv, LudusError } from '../../envs/index.ts';
import { LeagueConfigSchema } from '../../league/config/league-config.ts';
import { LeagueState } from '../../league/runner/league-state.ts';
import type { LeagueRow, LeagueStore, LeagueTx, MatchRow, MatchSummary, RatingRow } from '../../league/storage/league-store.ts';
import type { RatingChange } from '../../protocol/messages.ts';
import { ArenaError } from '../arena-error.ts';

/** A finished arena match as stored: its index and each seat's Elo change (league/ratings' RatedMatch is a rating input). */
export interface StoredMatchRating {
  /** The match's index in its league. */
  readonly index: number;
  /** Each seat's Elo before and after; undefined when the match is not rated (aborted, self-play, a voided fault). */
  readonly ratingChange: RatingChange[] | undefined;
}

export class ArenaRatings {
  private readonly store: LeagueStore;
  /** By league id; each folded through every stored match of its league. */
  private readonly states = new Map<number, LeagueState>();

  constructor(store: LeagueStore) {
    this.store = store;
  }

  /**
   * The league's ratings so far: Elo, decayed payoff, games played (what matchmakers read).
   * Callers must not fold into it. Throws 'unknown-league' for a league not in the store.
   */
  async state(league: string | LeagueRow): Promise<LeagueState> {
    const row = typeof league === 'string' ? await this.store.getLeague(league) : league;
    if (row === undefined) throw new ArenaError('unknown-league', `no league "${String(league)}" in the store`, 'play a match in it first');
    const cached = this.states.get(row.id);
    if (cached !== undefined) return cached;
    const state = await this.load(this.store, row.id, Number.MAX_SAFE_INTEGER);
    // Another call may have loaded it meanwhile: keep one state per league.
    const raced = this.states.get(row.id);
    if (raced !== undefined) return raced;
    this.states.set(row.id, state);
    return state;
  }

  /** The league's ratings if they are folded already (progress reports read it without waiting). */
  cached(leagueId: number): LeagueState | undefined {
    return this.states.get(leagueId);
  }

  /**
   * Stores an ended arena match at its league's next index and closes its live row, with its
   * rating rows, in one transaction. A league whose ratings cannot be computed (its config
   * does not parse) still gets the match, unrated: a result is never lost to a rating error.
   */
  async finish(matchId: string, match: Omit<MatchRow, 'index'>): Promise<StoredMatchRating> {
    let ratingChange: RatingChange[] | undefined;
    let leagueId: number | undefined;
    try {
      const index = await this.store.finishArenaMatch(matchId, match, async (stored, id, tx) => {
        leagueId = id;
        const { rows, change } = await this.rate(stored, id, tx);
        ratingChange = change;
        return rows;
      });
      return { index, ratingChange };
    } catch (error) {
      // The state may have folded a match the store then refused: rebuild it on next use.
      if (leagueId !== undefined) this.states.delete(leagueId);
      if (leagueId === undefined || (error instanceof LudusError && error.code === 'unknown-match')) throw error;
      return { index: await this.store.finishArenaMatch(matchId, match), ratingChange: undefined };
    }
  }

  /** Folds the stored match (while the store holds the league's appends) and returns its rows and seat changes. */
  private async rate(stored: MatchSummary, leagueId: number, tx: LeagueTx): Promise<{ rows: readonly RatingRow[]; change: RatingChange[] | undefined }> {
    let state = this.states.get(leagueId);
    if (state !== undefined && state.folded < stored.index) {
      // Another writer (another process on a shared store) appended matches: fold just those.
      for (const match of await tx.matchSummaries(leagueId, state.folded, stored.index)) state.apply(match);
    }
    if (state === undefined || state.folded !== stored.index) {
      // First use, or the state folded a match the store refused: fold the store again.
      this.states.delete(leagueId);
      state = await this.load(tx, leagueId, stored.index);
      this.states.set(leagueId, state);
    }
    const before = stored.seats.map((agentId) => state.elo.rating(agentId));
    const rows = state.apply(stored);
    if (rows.length !== stored.seats.length) return { rows, change: undefined };
    const change = rows.map((row, seat) => ({ seat, agentId: row.agentId, before: before[seat]!, after: row.elo }));
    return { rows, change };
  }

  /**
   * Folds matches [0, through) of the league. Elo rows the store lacks (matches stored before
   * the league was rated) are written now, so history and standings cover every match.
   */
  private async load(store: LeagueTx, leagueId: number, through: number): Promise<LeagueState> {
    const league = (await store.listLeagues()).find((l) => l.id === leagueId);
    if (league === undefined) throw new ArenaError('unknown-league', `no league with id ${leagueId} in the store`, 'play a match in it first');
    const config = LeagueConfigSchema.parse(league.config);
    const ratings = config.ratings;
    const env = getEnv(league.env);
    // The env's dims carry its teams: team games are rated by team (OpenSkill), as in headless leagues.
    const state = new LeagueState(ratings.elo, ratings.faults, env.spec.utility, ratings.openskill, env.dims(env.parseParams(config.params ?? {})));
    const late: RatingRow[] = [];
    for (const match of await store.matchSummaries(leagueId, 0, through)) {
      const rows = state.apply(match);
      if (match.index >= league.ratedThrough) late.push(...rows);
    }
    if (late.length > 0 || league.ratedThrough < state.folded) await store.commit(leagueId, [], late, state.folded);
    return state;
  }
}
