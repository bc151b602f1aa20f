/** A PostgreSQL league store on a scratch database (test/helpers/pg-scratch.ts). */
import type { LeagueStore } from '../../league/storage/league-store.ts';

export async function openTestPgStore(url: string): Promise<LeagueStore> {
  throw new Error(`no PostgreSQL store yet for ${url}: it arrives with the store branch`);
}
