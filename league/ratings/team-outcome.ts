/**
 * How a league forms teams from members (issue 13): every seat is filled by one member, and
 * the env's `dims.teams` groups seats into teams. A team's members share its result, so a
 * team-env match is rated team against team: the team's rank is its worst seat's rank (a
 * seat that faulted loses the match for its whole team, its teammates included). A member
 * filling several seats of one team is rated once for that team; a member on two teams
 * (self-play across the net) makes the match unrated, as in 1v1 leagues.
 */
import { teamSeats, type EnvDims } from '../../envs/index.ts';

export interface TeamMatch {
  /** Distinct members of each team, in seat order. */
  readonly teams: string[][];
  /** Per team, 1 = best; equal ranks draw. */
  readonly ranks: number[];
  /** scores[i][j]: team i's score against team j (1 / 0.5 / 0). */
  readonly scores: number[][];
}

/** True when the env declares teams (dims.teams), even of one seat each (team volley with teamSize 1). */
export function hasTeams(dims: Pick<EnvDims, 'teams' | 'numPlayers'>): boolean {
  return dims.teams !== undefined;
}

/** Team view of a rated match from its per-seat ranks, or undefined when a member is on two teams. */
export function teamMatch(dims: EnvDims, seats: readonly string[], seatRanks: readonly number[]): TeamMatch | undefined {
  const groups = teamSeats(dims).filter((g) => g.length > 0);
  const teams = groups.map((g) => [...new Set(g.map((seat) => seats[seat]!))]);
  const owner = new Map<string, number>();
  for (const [t, team] of teams.entries()) {
    for (const id of team) {
      if (owner.has(id) && owner.get(id) !== t) return undefined;
      owner.set(id, t);
    }
  }
  const worst = groups.map((g) => Math.max(...g.map((seat) => seatRanks[seat]!)));
  const ranks = worst.map((w) => 1 + worst.filter((o) => o < w).length);
  const scores = ranks.map((ri) => ranks.map((rj) => (ri < rj ? 1 : ri > rj ? 0 : 0.5)));
  return { teams, ranks, scores };
}
