/**
 * Two arena processes on one PostgreSQL store, finishing matches of the same league at once:
 * every match lands once at a contiguous index with its Elo rows, each process folds the
 * other's matches before rating its own, and the stored ratings equal a fold of the stored
 * matches. A restarted process recovers only its own live matches.
 */
import { expect } from 'chai';
import type { CreateMatchInput } from '../../../arena/lobby/match-manager-api.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { getEnv } from '../../../envs/index.ts';
import { LeagueConfigSchema } from '../../../league/config/league-config.ts';
import { LeagueState } from '../../../league/runner/league-state.ts';
import type { RatingRow } from '../../../league/storage/league-store.ts';
import { PgStore } from '../../../league/storage/pg-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { usePostgres } from '../../helpers/postgres.ts';

const LEAGUE = 'arena-tic-tac-toe-v1';
const agentSeat = (agent: string, agentId: string) => ({ kind: 'agent' as const, agent, agentId });
const pairings = (n: number, offset: number): CreateMatchInput[] =>
  Array.from({ length: n }, (_, i) => {
    const [a, b] = [
      ['rnd', 'fl'],
      ['fl', 'rnd-2'],
      ['rnd-2', 'rnd'],
    ][i % 3]!;
    return {
      env: 'tic-tac-toe-v1',
      seed: offset + i,
      seats: [agentSeat(a === 'fl' ? 'first-legal' : 'random', a!), agentSeat(b === 'fl' ? 'first-legal' : 'random', b!)],
    };
  });
const byIndexAndId = (rows: readonly RatingRow[]): RatingRow[] => rows.slice().sort((a, b) => a.index - b.index || a.agentId.localeCompare(b.agentId));

describe('arena/league/arena-ratings on a shared PostgreSQL store', function () {
  this.timeout(120_000);
  const db = usePostgres();

  it('rates the matches two processes finish at once in one order, equal to a fold of the stored matches', async () => {
    const stores = [await PgStore.open(db().url), await PgStore.open(db().url)];
    const managers = [
      await MatchManager.open({ store: stores[0]!, clock: new FakeClock(), nodeId: 'node-a' }),
      await MatchManager.open({ store: stores[1]!, clock: new FakeClock(), nodeId: 'node-b' }),
    ];
    try {
      const created = await Promise.all(managers.map((m, p) => Promise.all(pairings(12, 100 * p).map((input) => m.create(input)))));
      await Promise.all(created.flatMap((list, p) => list.map(({ matchId }) => managers[p]!.get(matchId)!.whenIdle())));
      const league = (await stores[0]!.getLeague(LEAGUE))!;
      expect(await stores[0]!.countMatches(league.id)).to.equal(24);
      expect(league.ratedThrough).to.equal(24);
      const rows = await Promise.all(created.flat().map(({ matchId }) => stores[1]!.getArenaMatch(matchId)));
      expect(rows.map((r) => r!.index).sort((a, b) => a! - b!)).to.deep.equal(Array.from({ length: 24 }, (_, i) => i));
      expect(rows.filter((r) => r!.nodeId === 'node-a')).to.have.length(12);
      // The reference: a fresh fold of the stored matches in index order.
      const config = LeagueConfigSchema.parse(league.config);
      const state = new LeagueState(config.ratings.elo, config.ratings.faults, getEnv(league.env).spec.utility, config.ratings.openskill);
      const reference = (await stores[0]!.matchSummaries(league.id)).flatMap((m) => state.apply(m));
      expect(byIndexAndId(await stores[1]!.ratingHistory(league.id))).to.deep.equal(byIndexAndId(reference));
      // Each runner's change is the stored one: the process rated on top of the other's matches.
      for (const [p, list] of created.entries()) {
        for (const { matchId } of list) {
          const change = managers[p]!.get(matchId)!.result!.ratingChange!;
          const index = rows.find((r) => r!.matchId === matchId)!.index!;
          for (const c of change) {
            const history = await stores[0]!.ratingHistory(league.id, c.agentId);
            expect(history.find((r) => r.index === index)!.elo).to.equal(c.after);
          }
        }
      }
    } finally {
      for (const m of managers) await m.close();
      for (const s of stores) await s.close();
    }
  });

  it("recovers only its own node's live matches when a process restarts", async () => {
    const store = await PgStore.open(db().url);
    try {
      const remote: CreateMatchInput = { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] };
      const a = await MatchManager.open({ store, clock: new FakeClock(), nodeId: 'node-a', startTimeoutMs: 0 });
      const b = await MatchManager.open({ store, clock: new FakeClock(), nodeId: 'node-b', startTimeoutMs: 0 });
      const fromA = await a.create(remote);
      const fromB = await b.create(remote);
      // node-a dies (never closes) and starts again: only its match is aborted.
      const again = await MatchManager.open({ store, nodeId: 'node-a' });
      expect(again.recoveredAborted).to.deep.equal([fromA.matchId]);
      expect((await store.getArenaMatch(fromB.matchId))!.status).to.equal('live');
      await b.close();
      await again.close();
      expect((await store.getArenaMatch(fromB.matchId))!.status).to.equal('aborted');
    } finally {
      await store.close();
    }
  });
});
