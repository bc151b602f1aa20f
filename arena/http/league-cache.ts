/**
 * A per-league memo that recomputes only when the league's stored-match count changed:
 * standings and payoff matrices are pure functions of the stored matches, and dashboards poll.
 */
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';

export function perMatchCount<T>(store: LeagueStore, compute: (league: LeagueRow) => T): (league: LeagueRow) => { value: T; matches: number } {
  const cache = new Map<number, { matches: number; value: T }>();
  return (league) => {
    const matches = store.countMatches(league.id);
    const hit = cache.get(league.id);
    if (hit !== undefined && hit.matches === matches) return hit;
    const entry = { matches, value: compute(league) };
    cache.set(league.id, entry);
    return entry;
  };
}
