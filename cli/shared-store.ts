/**
 * The store of a league played on a queue: one every worker reaches, so a PostgreSQL
 * --database (or LUDUS_DATABASE_URL); an embedded SQLite store belongs to one process.
 */
import { QueueError } from '../league/queue/queue-error.ts';
import type { LeagueStore } from '../league/storage/league-store.ts';
import { databaseUrl, isPostgresUrl, openLeagueStore } from '../league/storage/open-league-store.ts';

/** The PostgreSQL URL of --database or LUDUS_DATABASE_URL; throws without one. */
export function requireSharedStore(database: string | undefined, what: string): string {
  const url = databaseUrl(database);
  if (url === undefined || !isPostgresUrl(url)) {
    throw new QueueError(
      'queue-needs-shared-store',
      `${what} needs a store every worker reaches, got ${url === undefined ? 'the SQLite store' : `"${url}"`}`,
      'pass --database postgres://USER@HOST:PORT/DB (or set LUDUS_DATABASE_URL), the same for the coordinator and every worker',
    );
  }
  return url;
}

export function openSharedStore(database: string | undefined, what: string): Promise<LeagueStore> {
  return openLeagueStore(requireSharedStore(database, what));
}
