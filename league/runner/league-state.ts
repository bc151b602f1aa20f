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
import type { Utility } from '../../envs/index.ts';
import { addToPairs } from '../standings.ts';

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

  /** Kept when the league rates with OpenSkill as well. */
  readonly skill: OpenSkillTable | undefined;

  constructor(elo: EloSettings, faults: ResultPolicy, utility: Utility, openskill?: OpenSkillSettingsInput) {
    this.elo = new EloTable(elo);
    this.skill = openskill ? new OpenSkillTable(openskill) : undefined;
    this.faults = faults;
    this.utility = utility;
  }

  /** Folds one match (the next in schedule order) and returns its Elo rows. */
  apply(match: MatchSummary): RatingRow[] {
    this.folded = match.index + 1;
    for (const id of new Set(match.seats)) this.games.set(id, (this.games.get(id) ?? 0) + 1);
    if (match.status === 'aborted' || new Set(match.seats).size < match.seats.length) return []; // self-play carries no rating information
    const outcome = ratedOutcome({ returns: match.returns, fault: match.fault ?? undefined }, this.faults, this.utility);
    if (outcome.kind !== 'rated') return [];
    const ids = match.seats;
    if (match.status === 'finished') this.#addMargins(ids, match.returns);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) { // both orders: PFSP reads the focal member's row, whichever seat it had
        this.payoff.record(ids[i]!, ids[j]!, outcome.scores[i]![j]!);
        this.payoff.record(ids[j]!, ids[i]!, outcome.scores[j]![i]!);
      }
    }
    addToPairs(this.pairs, ids, outcome.scores);
    const after = this.elo.updateMatch(ids, outcome.scores);
    if (!this.skill) return ids.map((agentId, seat) => ({ index: match.index, agentId, elo: after[seat]! }));
    this.skill.rateMatch(ids.map((id) => [id]), { ranks: outcome.ranks });
    return ids.map((agentId, seat) => {
      const { mu, sigma } = this.skill!.rating(agentId);
      return { index: match.index, agentId, elo: after[seat]!, mu, sigma };
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
      returns.forEach((r, j) => { if (j !== i) sum += (returns[i]! - r) / 2; });
      const m = this.margins.get(id) ?? { games: 0, total: 0 };
      m.games++;
      m.total += sum / (ids.length - 1);
      this.margins.set(id, m);
    });
  }
}
