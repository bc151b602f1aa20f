/**
 * An arena finish on PostgreSQL. The league row stays locked from the index being taken until
 * the commit, so `rate` folds exactly the matches before this one, and no other process can
 * append in between. The lock is held for the durable commit (about one disk flush), so each
 * round trip inside it costs throughput on a busy league: the finish takes two.
 *
 * node-postgres sends one statement per round trip with parameters; the simple protocol takes
 * several statements but no parameters, so the two combined round trips carry their values as
 * literals escaped by the driver (`escapeLiteral`): [BEGIN; lock] and [store; COMMIT].
 */
import type pg from 'pg';
import type { LeagueTx, MatchRow, RateArenaMatch } from './league-store.ts';
import { matchJson } from './pg-queries.ts';
import { StoreError } from './store-error.ts';

export async function finishArenaMatch(
  pool: pg.Pool,
  matchId: string,
  match: Omit<MatchRow, 'index'>,
  rate: RateArenaMatch | undefined,
  txView: (client: pg.PoolClient) => LeagueTx,
): Promise<number> {
  try {
    if (rate === undefined) {
      const { rows } = await pool.query<{ index: number }>('SELECT ludus_finish_arena_match($1, $2::json) AS index', [
        matchId,
        JSON.stringify(matchJson(match)),
      ]);
      return rows[0]!.index;
    }
    return await finishRated(pool, matchId, match, rate, txView);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P0002') {
      throw new StoreError('unknown-match', `no arena match "${matchId}" in the store`, 'start it with startArenaMatch first');
    }
    throw error;
  }
}

async function finishRated(
  pool: pg.Pool,
  matchId: string,
  match: Omit<MatchRow, 'index'>,
  rate: RateArenaMatch,
  txView: (client: pg.PoolClient) => LeagueTx,
): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const id = client.escapeLiteral(matchId);
    const begun = (await client.query(`BEGIN; SELECT o_league, o_index FROM ludus_lock_arena_match(${id})`)) as unknown as pg.QueryResult[];
    const { o_league: leagueId, o_index: index } = begun[1]!.rows[0] as { o_league: number; o_index: number };
    const { record: _record, notes: _notes, ...summary } = { ...match, index };
    const ratings = await rate(summary, leagueId, txView(client));
    const row = client.escapeLiteral(JSON.stringify(matchJson(match)));
    const rows = client.escapeLiteral(JSON.stringify(ratings));
    await client.query(`SELECT ludus_store_arena_match(${id}, ${int(leagueId)}, ${int(index)}, ${row}::json, ${rows}::json, TRUE); COMMIT`);
    return index;
  } catch (error) {
    // A connection that cannot even roll back is dropped from the pool, not reused.
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** An integer as SQL text (the values come from the database, checked anyway before they go into a statement). */
function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}
