/**
 * Match export for analysis elsewhere: CSV (one row per match, one column group per seat)
 * or JSON (an array of match objects, with replay records and agents' move notes on request).
 */
import type { LeagueRow, LeagueStore, MatchSummary } from './storage/league-store.ts';

const csvCell = (value: string | number): string => {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export async function exportMatches(store: LeagueStore, league: LeagueRow, format: 'csv' | 'json', withReplays = false): Promise<string> {
  const matches = await store.matchSummaries(league.id);
  if (format === 'json') {
    const rows: unknown[] = [];
    for (const m of matches) {
      if (!withReplays) {
        rows.push({ league: league.name, env: league.env, ...m });
        continue;
      }
      const full = await store.getMatch(league.id, m.index);
      rows.push({ league: league.name, env: league.env, ...m, record: full?.record ?? null, notes: full?.notes ?? null });
    }
    return `${JSON.stringify(rows)}\n`;
  }
  return toCsv(league, matches);
}

function toCsv(league: LeagueRow, matches: readonly MatchSummary[]): string {
  const seats = Math.max(0, ...matches.map((m) => m.seats.length));
  const header = ['league', 'env', 'match', 'seed', 'status', 'length', 'fault_seat', 'fault_code'];
  for (let s = 0; s < seats; s++) header.push(`seat${s}_agent`, `seat${s}_return`);
  const lines = [header.join(',')];
  for (const m of matches) {
    const row: (string | number)[] = [league.name, league.env, m.index, m.seed, m.status, m.length, m.fault?.seat ?? '', m.fault?.code ?? ''];
    for (let s = 0; s < seats; s++) row.push(m.seats[s] ?? '', m.returns[s] ?? '');
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
