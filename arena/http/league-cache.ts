/**
 * A per-league memo that recomputes only when the league's stored-match count changed:
 * standings and payoff matrices are pure functions of the stored matches, and dashboards poll.
 */
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';

export function perMatchCount<T>(
  store: LeagueStore,
  compute: (league: LeagueRow) => Promise<T>,
): (league: LeagueRow) => Promise<{ value: T; matches: number }> {
  const cache = new Map<number, { matches: number; value: T }>();
  return async (league) => {
    const matches = await store.countMatches(league.id);
    const hit = cache.get(league.id);
    if (hit !== undefined && hit.matches === matches) return hit;
    const entry = { matches, value: await compute(league) };
    cache.set(league.id, entry);
    return entry;
  };
}
