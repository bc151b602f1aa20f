/**
 * What a league knows after its first N matches: Elo, decayed win rates, pairwise counts
 * and games played. It is a pure fold over match results in schedule order, so a resumed
 * league rebuilds exactly the state an uninterrupted one would have.
 */
import { EloTable, type EloSettings } from '../ratings/elo.ts';
import { PairCounts } from '../ratings/bradley-terry.ts';
import { OpenSkillTable, type OpenSkillSettingsInput } from '../ratings/openskill.ts';
import { ratedOutcome, type ResultPolicy } from '../ratings/outcome.ts';
import { PayoffTable } from '../matchmaking/payoff-table.ts';
import type { MatchSummary, RatingRow } from '../storage/league-store.ts';
import type { EnvDims, Utility } from '../../envs/index.ts';
import { addToPairs } from '../standings.ts';
import { hasTeams, teamMatch, type TeamMatch } from '../ratings/team-outcome.ts';

export class LeagueState {
  readonly elo: EloTable;
  readonly payoff = new PayoffTable();
  readonly pairs = new PairCounts();
  readonly games = new Map<string, number>();
  /** Per agent, finished games and summed pairwise margins (chip games' progress leader). */
  readonly margins = new Map<string, { games: number; total: number }>();
  /** Matches folded so far (the next index to fold). */
  folded = 0;
  private readonly faults: ResultPolicy;
  private readonly utility: Utility;

  /** Kept when the league rates with OpenSkill as well (always in team envs). */
  readonly skill: OpenSkillTable | undefined;
  /** Set in team envs: matches are rated team against team (ratings/team-outcome.ts). */
  private readonly dims: EnvDims | undefined;

  /** Pass the env's `dims` so that team envs are rated by team; OpenSkill is then on by default. */
  constructor(elo: EloSettings, faults: ResultPolicy, utility: Utility, openskill?: OpenSkillSettingsInput, dims?: EnvDims) {
    this.elo = new EloTable(elo);
    this.dims = dims && hasTeams(dims) ? dims : undefined;
    const skill = openskill ?? (this.dims ? {} : undefined);
    this.skill = skill ? new OpenSkillTable(skill) : undefined;
    this.faults = faults;
    this.utility = utility;
  }

  /** True when matches are rated team against team. */
  get teamRated(): boolean {
    return this.dims !== undefined;
  }

  /** Folds one match (the next in schedule order) and returns its Elo rows. */
  apply(match: MatchSummary): RatingRow[] {
    this.folded = match.index + 1;
    for (const id of new Set(match.seats)) this.games.set(id, (this.games.get(id) ?? 0) + 1);
    if (match.status === 'aborted') return [];
    if (this.dims) return this.#applyTeams(match, this.dims);
    if (new Set(match.seats).size < match.seats.length) return []; // self-play carries no rating information
    const outcome = ratedOutcome({ returns: match.returns, fault: match.fault ?? undefined }, this.faults, this.utility);
    if (outcome.kind !== 'rated') return [];
    const ids = match.seats;
    if (match.status === 'finished') this.#addMargins(ids, match.returns);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        // both orders: PFSP reads the focal member's row, whichever seat it had
        this.payoff.record(ids[i]!, ids[j]!, outcome.scores[i]![j]!);
        this.payoff.record(ids[j]!, ids[i]!, outcome.scores[j]![i]!);
      }
    }
    addToPairs(this.pairs, ids, outcome.scores);
    const after = this.elo.updateMatch(ids, outcome.scores);
    if (!this.skill) return ids.map((agentId, seat) => ({ index: match.index, agentId, elo: after[seat]! }));
    this.skill.rateMatch(
      ids.map((id) => [id]),
      { ranks: outcome.ranks },
    );
    return ids.map((agentId, seat) => {
      const { mu, sigma } = this.skill!.rating(agentId);
      return { index: match.index, agentId, elo: after[seat]!, mu, sigma };
    });
  }

  /** Team env: Elo and OpenSkill rate teams; payoff and pairwise counts record members across the net. */
  #applyTeams(match: MatchSummary, dims: EnvDims): RatingRow[] {
    const outcome = ratedOutcome({ returns: match.returns, fault: match.fault ?? undefined }, this.faults, this.utility);
    if (outcome.kind !== 'rated') return [];
    const tm = teamMatch(dims, match.seats, outcome.ranks);
    if (!tm) return []; // a member on both teams: self-play
    if (match.status === 'finished') this.#addTeamMargins(match, tm);
    this.#recordTeamPairs(tm);
    this.elo.updateTeams(tm.teams, tm.ranks);
    this.skill!.rateMatch(tm.teams, { ranks: tm.ranks });
    return tm.teams.flat().map((agentId) => {
      const { mu, sigma } = this.skill!.rating(agentId);
      return { index: match.index, agentId, elo: this.elo.rating(agentId), mu, sigma };
    });
  }

  #recordTeamPairs(tm: TeamMatch): void {
    for (let i = 0; i < tm.teams.length; i++) {
      for (let j = i + 1; j < tm.teams.length; j++) {
        for (const a of tm.teams[i]!) {
          for (const b of tm.teams[j]!) {
            this.payoff.record(a, b, tm.scores[i]![j]!);
            this.payoff.record(b, a, tm.scores[j]![i]!);
            this.pairs.add(a, b, tm.scores[i]![j]!, 1);
          }
        }
      }
    }
  }

  /** A member's margin is its team's (teammates share returns), once per match. */
  #addTeamMargins(match: MatchSummary, tm: TeamMatch): void {
    const teamReturn = tm.teams.map((team) => match.returns[match.seats.indexOf(team[0]!)]!);
    tm.teams.forEach((team, t) => {
      let sum = 0;
      teamReturn.forEach((r, u) => {
        if (u !== t) sum += (teamReturn[t]! - r) / 2;
      });
      for (const id of team) {
        const m = this.margins.get(id) ?? { games: 0, total: 0 };
        m.games++;
        m.total += sum / (tm.teams.length - 1);
        this.margins.set(id, m);
      }
    });
  }

  /** Mean margin per game: (own return − each other seat's) / 2, averaged over the others (= its return in two-player zero-sum games). */
  meanMargin(agentId: string): number | undefined {
    const m = this.margins.get(agentId);
    return m && m.games > 0 ? m.total / m.games : undefined;
  }

  #addMargins(ids: readonly string[], returns: readonly number[]): void {
    ids.forEach((id, i) => {
      let sum = 0;
      returns.forEach((r, j) => {
        if (j !== i) sum += (returns[i]! - r) / 2;
      });
      const m = this.margins.get(id) ?? { games: 0, total: 0 };
      m.games++;
      m.total += sum / (ids.length - 1);
      this.margins.set(id, m);
    });
  }
}
