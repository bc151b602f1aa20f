/**
 * The LeagueStore contract, run against both stores: the embedded SQLite store and PostgreSQL
 * (a database of its own per run, see helpers/postgres.ts). What only one engine has (files,
 * the directory lock; migrations under an advisory lock, writers on separate pools) is tested
 * in sqlite-store.test.ts and pg-store.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { parseMember } from '../../../league/population/member.ts';
import type { LeagueStore, MatchRow, RatingRow } from '../../../league/storage/league-store.ts';
import { PgStore } from '../../../league/storage/pg-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { usePostgres } from '../../helpers/postgres.ts';

export const match = (index: number, seats: string[], returns: number[], extra: Partial<MatchRow> = {}): MatchRow => ({
  index,
  seed: 100 + index,
  seats,
  returns,
  length: 5,
  status: 'finished',
  fault: null,
  record: { format: 1, env: 'tic-tac-toe', version: 1, params: {}, seed: 100 + index, history: [] },
  ...extra,
});

const T0 = '2026-01-01T00:00:00.000Z';
const member = (agentId: string, kind: 'scripted' | 'external' = 'scripted') =>
  parseMember({ agentId, kind, env: 'tic-tac-toe-v1', agent: { kind: 'random' }, createdAt: 0 });

interface StoreKind {
  readonly name: string;
  /** Registers the kind's hooks; returns how a test opens its store (again and again: the same store). */
  setup(): () => Promise<LeagueStore>;
}

const sqlite: StoreKind = {
  name: 'sqlite',
  setup() {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ludus-store-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    return async () => new SqliteStore(dir);
  },
};

const postgres: StoreKind = {
  name: 'postgres',
  setup() {
    const db = usePostgres();
    beforeEach(async () => {
      // Every test starts from empty tables (the schema stays).
      await (await PgStore.open(db().url)).close();
      const client = new pg.Client({ connectionString: db().url });
      await client.connect();
      await client.query('TRUNCATE leagues, members, matches, ratings, arena_matches, agents, nodes RESTART IDENTITY CASCADE');
      await client.end();
    });
    return () => PgStore.open(db().url);
  },
};

for (const kind of [sqlite, postgres]) {
  describe(`league/storage contract: ${kind.name}`, () => {
    const open = kind.setup();
    let store: LeagueStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const newLeague = (name = 'l1') => store.openLeague({ name, env: 'tic-tac-toe-v1', config: { a: 1 }, configHash: 'h', seed: 3 });
    const start = (matchId: string, leagueId: number, options: { seats?: string[]; env?: string; createdAt?: string; nodeId?: string } = {}) =>
      store.startArenaMatch({
        matchId,
        leagueId,
        env: options.env ?? 'tic-tac-toe-v1',
        seats: options.seats ?? ['a', 'b'],
        createdAt: options.createdAt ?? T0,
        ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
      });
    const ended = (returns = [1, -1], seats = ['a', 'b']): Omit<MatchRow, 'index'> => {
      const { index: _index, ...row } = match(0, seats, returns);
      return row;
    };

    it('keeps leagues, members, matches and ratings across reopening', async () => {
      const league = await newLeague();
      await store.upsertMembers(league.id, [member('a')]);
      await store.commit(
        league.id,
        [match(0, ['a', 'b'], [1, -1]), match(1, ['b', 'a'], [0, 0])],
        [
          { index: 0, agentId: 'a', elo: 1016 },
          { index: 0, agentId: 'b', elo: 984 },
          { index: 1, agentId: 'b', elo: 985 },
          { index: 1, agentId: 'a', elo: 1015 },
        ],
        2,
      );
      await store.close();
      store = await open();
      const reopened = (await store.getLeague('l1'))!;
      expect(reopened).to.include({ name: 'l1', env: 'tic-tac-toe-v1', configHash: 'h', seed: 3, ratedThrough: 2 });
      expect(reopened.config).to.deep.equal({ a: 1 });
      expect(Number.isNaN(Date.parse(reopened.createdAt))).to.equal(false);
      expect((await store.listMembers(reopened.id)).map((m) => m.agentId)).to.deep.equal(['a']);
      expect(await store.countMatches(reopened.id)).to.equal(2);
      expect((await store.matchSummaries(reopened.id)).map((m) => m.seats)).to.deep.equal([
        ['a', 'b'],
        ['b', 'a'],
      ]);
      expect(await store.getMatch(reopened.id, 0)).to.deep.equal({ ...match(0, ['a', 'b'], [1, -1]), notes: null });
      expect(await store.getMatch(reopened.id, 7)).to.equal(undefined);
      expect(Object.fromEntries(await store.latestRatings(reopened.id))).to.deep.equal({ a: 1015, b: 985 });
      expect((await store.ratingHistory(reopened.id, 'a')).map((r) => r.elo)).to.deep.equal([1016, 1015]);
    });

    it('keeps uint32 seeds, fractional returns, faults and notes exactly', async () => {
      const league = await store.openLeague({ name: 'big', env: 'e-v1', config: {}, configHash: 'h', seed: 4_294_967_295 });
      const notes = [{ seat: 0, text: 'a "quoted" \\ reply', tokens: 3 }];
      const faulted = match(0, ['a', 'b'], [0.1 + 0.2, -1 / 3], {
        seed: 4_294_967_295,
        status: 'faulted',
        fault: { seat: 1, code: 'agent-error', message: 'boom' },
        notes: notes as unknown as MatchRow['notes'],
      });
      await store.commit(league.id, [faulted, match(1, ['b', 'a'], [1, -1], { record: null })], []);
      expect((await store.getLeague('big'))!.seed).to.equal(4_294_967_295);
      expect(await store.getMatch(league.id, 0)).to.deep.equal(faulted);
      // Notes are kept with a record only.
      expect((await store.getMatch(league.id, 1))!.notes).to.equal(null);
      expect((await store.matchSummaries(league.id))[0]).to.deep.equal({
        index: 0,
        seed: 4_294_967_295,
        seats: ['a', 'b'],
        returns: [0.1 + 0.2, -1 / 3],
        length: 5,
        status: 'faulted',
        fault: { seat: 1, code: 'agent-error', message: 'boom' },
      });
    });

    it('groups identical outcomes with their counts', async () => {
      const { id } = await newLeague();
      await store.commit(
        id,
        [
          match(0, ['a', 'b'], [1, -1]),
          match(1, ['a', 'b'], [1, -1]),
          match(2, ['a', 'b'], [-1, 1]),
          match(3, ['a', 'b'], [0, 0], { status: 'faulted', fault: { seat: 1, code: 'agent-error', message: 'x' } }),
        ],
        [],
      );
      const groups = (await store.outcomeCounts(id)).map((g) => [g.seats.join(','), g.returns.join(','), g.status, g.faultSeat, g.count]);
      expect(groups).to.have.deep.members([
        ['a,b', '1,-1', 'finished', null, 2],
        ['a,b', '-1,1', 'finished', null, 1],
        ['a,b', '0,0', 'faulted', 1, 1],
      ]);
    });

    it('refuses a second match with the same index, leaving the first intact', async () => {
      const { id } = await newLeague();
      await store.commit(id, [match(0, ['a', 'b'], [1, -1])], [{ index: 0, agentId: 'a', elo: 1016 }], 1);
      await assert.rejects(store.commit(id, [match(1, ['a', 'b'], [1, -1]), match(0, ['b', 'a'], [1, -1])], [{ index: 1, agentId: 'a', elo: 1 }], 2));
      // The whole failed commit rolled back: no match 1, no rating row, the Elo mark unchanged.
      expect((await store.matchSummaries(id)).map((m) => m.index)).to.deep.equal([0]);
      expect(await store.ratingHistory(id)).to.have.length(1);
      expect((await store.getLeague('l1'))!.ratedThrough).to.equal(1);
    });

    it('returns the existing league when opened again by name, and lists leagues in creation order', async () => {
      const first = await store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h1', seed: 0 });
      const second = await store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h2', seed: 0 });
      expect(second.id).to.equal(first.id);
      expect(second.configHash).to.equal('h1');
      await store.openLeague({ name: 'another', env: 'e-v1', config: {}, configHash: 'h3', seed: 0 });
      expect((await store.listLeagues()).map((l) => l.name)).to.deep.equal(['same', 'another']);
      expect(await store.getLeague('nope')).to.equal(undefined);
    });

    it('upserts members in joining order, replacing the data of a known one', async () => {
      const { id } = await newLeague();
      await store.upsertMembers(id, [member('zed'), member('amy')]);
      await store.upsertMembers(id, [member('bob'), { ...member('zed'), frozen: true }]);
      const members = await store.listMembers(id);
      expect(members.map((m) => m.agentId)).to.deep.equal(['zed', 'amy', 'bob']);
      expect(members[0]!.frozen).to.equal(true);
    });

    it('gives each league one secret salt, and refuses an unknown league', async () => {
      const { id } = await newLeague();
      const [a, b] = await Promise.all([store.leagueSalt(id), store.leagueSalt(id)]);
      expect(a).to.equal(b);
      expect(a).to.have.length.greaterThan(40);
      expect(await store.leagueSalt(id)).to.equal(a);
      await assert.rejects(store.leagueSalt(999), (e: { code?: string }) => e.code === 'unknown-league');
    });

    it('pages recent matches, optionally of one agent, and reads rating rows by range', async () => {
      const { id } = await newLeague();
      const matches = [0, 1, 2, 3, 4].map((i) => match(i, i % 2 === 0 ? ['a', 'b'] : ['b', 'c'], [1, -1]));
      const ratings: RatingRow[] = matches.flatMap((m) => m.seats.map((agentId, seat) => ({ index: m.index, agentId, elo: 1000 + m.index * 10 + seat })));
      const withSkill = ratings.map((r) => (r.index === 4 && r.agentId === 'a' ? { ...r, elo: 1, mu: 25.5, sigma: 8.25 } : r));
      await store.commit(id, matches, withSkill, 5);
      expect((await store.recentMatchSummaries(id, { limit: 2 })).map((m) => m.index)).to.deep.equal([3, 4]);
      expect((await store.recentMatchSummaries(id, { limit: 2, before: 3 })).map((m) => m.index)).to.deep.equal([1, 2]);
      expect((await store.recentMatchSummaries(id, { limit: 10, agentId: 'a' })).map((m) => m.index)).to.deep.equal([0, 2, 4]);
      expect((await store.recentMatchSummaries(id, { limit: 10, agentId: 'nobody' })).map((m) => m.index)).to.deep.equal([]);
      expect((await store.matchSummaries(id, 1, 3)).map((m) => m.index)).to.deep.equal([1, 2]);
      expect((await store.ratingHistory(id, undefined, 2, 4)).map((r) => [r.index, r.agentId])).to.deep.equal([
        [2, 'a'],
        [2, 'b'],
        [3, 'b'],
        [3, 'c'],
      ]);
      const latest = await store.latestRatingRows(id);
      expect(latest.get('a')).to.deep.equal({ index: 4, agentId: 'a', elo: 1, mu: 25.5, sigma: 8.25 });
      expect(latest.get('c')).to.deep.equal({ index: 3, agentId: 'c', elo: 1031 });
    });

    describe('arena matches, agents and nodes', () => {
      it('appends a finished arena match at the next index and closes its live row', async () => {
        const league = await newLeague();
        await store.commit(league.id, [match(0, ['a', 'b'], [1, -1])], []);
        await start('m1', league.id);
        const live = (await store.getArenaMatch('m1'))!;
        expect(live).to.deep.include({ matchId: 'm1', leagueId: league.id, status: 'live', index: null, endedAt: null, nodeId: 'local', createdAt: T0 });
        expect((await store.listArenaMatches({ statuses: ['live'] })).map((r) => r.matchId)).to.deep.equal(['m1']);
        expect(await store.finishArenaMatch('m1', ended([0, 0]))).to.equal(1);
        const stored = (await store.getArenaMatch('m1'))!;
        expect([stored.status, stored.index]).to.deep.equal(['finished', 1]);
        expect(Date.parse(stored.endedAt!)).to.be.at.least(Date.parse(T0));
        expect((await store.getMatch(league.id, 1))!.returns).to.deep.equal([0, 0]);
        expect(await store.abortLiveArenaMatches()).to.deep.equal([]);
        await assert.rejects(store.finishArenaMatch('nope', ended()), (e: { code?: string }) => e.code === 'unknown-match');
      });

      it('writes an arena match and the rating rows its rate callback returns in one transaction', async () => {
        const league = await newLeague('l2');
        await start('m1', league.id);
        const seen: [number, number][] = [];
        await store.finishArenaMatch('m1', ended(), async (stored, leagueId) => {
          seen.push([stored.index, leagueId]);
          expect(stored).to.not.have.property('record');
          return [
            { index: stored.index, agentId: 'a', elo: 1016 },
            { index: stored.index, agentId: 'b', elo: 984, mu: 26, sigma: 8 },
          ];
        });
        expect(seen).to.deep.equal([[0, league.id]]);
        expect(Object.fromEntries(await store.latestRatings(league.id))).to.deep.equal({ a: 1016, b: 984 });
        expect((await store.latestRatingRows(league.id)).get('b')).to.deep.equal({ index: 0, agentId: 'b', elo: 984, mu: 26, sigma: 8 });
        expect((await store.getLeague('l2'))!.ratedThrough).to.equal(1);
        // A failing rating leaves neither the match nor its rows: the live row stays live.
        await start('m2', league.id);
        await assert.rejects(
          store.finishArenaMatch('m2', ended(), async (stored, leagueId, tx) => {
            await tx.commit(leagueId, [], [{ index: stored.index, agentId: 'a', elo: 1 }]);
            throw new Error('boom');
          }),
          /boom/,
        );
        expect(await store.countMatches(league.id)).to.equal(1);
        expect((await store.getArenaMatch('m2'))!.status).to.equal('live');
        expect((await store.getLeague('l2'))!.ratedThrough).to.equal(1);
        // The next finish takes the index the failed one did not.
        expect(await store.finishArenaMatch('m2', ended(), async () => [])).to.equal(1);
      });

      it('lets rate read the league through its transaction view, every earlier match included', async () => {
        const league = await newLeague();
        await store.commit(league.id, [match(0, ['a', 'b'], [1, -1])], []);
        await start('m1', league.id);
        await store.finishArenaMatch('m1', ended(), async (stored, leagueId, tx) => {
          expect((await tx.listLeagues()).map((l) => l.id)).to.include(leagueId);
          expect((await tx.matchSummaries(leagueId, 0, stored.index)).map((m) => m.index)).to.deep.equal([0]);
          await tx.commit(leagueId, [], [{ index: 0, agentId: 'a', elo: 1010 }]); // a late row for match 0
          return [{ index: stored.index, agentId: 'a', elo: 1020 }];
        });
        expect((await store.ratingHistory(league.id, 'a')).map((r) => r.elo)).to.deep.equal([1010, 1020]);
      });

      it('stores concurrent finishes of one league at contiguous indexes, each rated after the previous', async () => {
        const league = await newLeague();
        const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
        for (const id of ids) await start(id, league.id);
        let folded = 0;
        const indexes = await Promise.all(
          ids.map((id) =>
            store.finishArenaMatch(id, ended(), async (stored) => {
              expect(stored.index).to.equal(folded); // the store holds the league's appends while rating
              folded++;
              return [{ index: stored.index, agentId: 'a', elo: 1000 + stored.index }];
            }),
          ),
        );
        expect(indexes.slice().sort((x, y) => x - y)).to.deep.equal(ids.map((_, i) => i));
        expect((await store.ratingHistory(league.id, 'a')).map((r) => r.elo)).to.deep.equal(ids.map((_, i) => 1000 + i));
        expect((await store.getLeague('l1'))!.ratedThrough).to.equal(20);
      });

      it('lists arena matches newest first with filters and paging', async () => {
        const l1 = await newLeague('l1');
        const l2 = await newLeague('l2');
        await start('old', l1.id, { createdAt: '2026-01-01T00:00:00.000Z', seats: ['a', 'b'] });
        await start('mid', l1.id, { createdAt: '2026-01-02T00:00:00.000Z', seats: ['c', 'a'], env: 'connect-four-v1' });
        await start('new', l2.id, { createdAt: '2026-01-03T00:00:00.000Z', seats: ['c', 'd'] });
        await start('same-ms', l2.id, { createdAt: '2026-01-03T00:00:00.000Z', seats: ['c', 'd'] });
        await store.finishArenaMatch('old', ended());
        const ids = async (filter: Parameters<LeagueStore['listArenaMatches']>[0]) => (await store.listArenaMatches(filter)).map((r) => r.matchId);
        expect(await ids({})).to.deep.equal(['same-ms', 'new', 'mid', 'old']);
        expect(await ids({ statuses: ['finished'] })).to.deep.equal(['old']);
        expect(await ids({ statuses: [] })).to.deep.equal([]);
        expect(await ids({ statuses: ['live', 'aborted'], agentId: 'a' })).to.deep.equal(['mid']);
        expect(await ids({ env: 'connect-four-v1' })).to.deep.equal(['mid']);
        expect(await ids({ leagueId: l2.id })).to.deep.equal(['same-ms', 'new']);
        expect(await ids({ limit: 2, offset: 1 })).to.deep.equal(['new', 'mid']);
      });

      it("aborts one node's live matches only, and the matches of nodes whose heartbeat expired", async () => {
        const league = await newLeague();
        await start('here', league.id);
        await start('a1', league.id, { nodeId: 'node-a' });
        await start('a2', league.id, { nodeId: 'node-a' });
        await start('b1', league.id, { nodeId: 'node-b' });
        await store.finishArenaMatch('a2', ended());
        expect((await store.getArenaMatch('a1'))!.nodeId).to.equal('node-a');
        await store.heartbeatNode('node-a', 'http://a.example:8080');
        await store.heartbeatNode('node-b', 'http://b.example:8080');
        await store.heartbeatNode('node-b', 'http://b2.example:8080');
        expect((await store.listNodes()).map((n) => [n.nodeId, n.publicUrl])).to.deep.equal([
          ['node-a', 'http://a.example:8080'],
          ['node-b', 'http://b2.example:8080'],
        ]);
        expect(await store.abortExpiredNodes(60_000)).to.deep.equal({ nodeIds: [], matchIds: [] });

        expect(await store.abortLiveArenaMatches('node-b')).to.deep.equal(['b1']);
        expect((await store.getArenaMatch('a1'))!.status).to.equal('live');
        expect((await store.getArenaMatch('here'))!.status).to.equal('live');
        // An expiry a minute in the future takes every node (no waiting on the clock): node-a's live match is aborted.
        expect(await store.abortExpiredNodes(-60_000)).to.deep.equal({ nodeIds: ['node-a', 'node-b'], matchIds: ['a1'] });
        expect((await store.getArenaMatch('a1'))!.status).to.equal('aborted');
        expect((await store.getArenaMatch('a2'))!.status).to.equal('finished');
        expect(await store.listNodes()).to.deep.equal([]);
        expect(await store.abortLiveArenaMatches()).to.deep.equal(['here']);
      });

      it('keeps only a hash of agent tokens; issues, rotates and revokes them', async () => {
        const bot = await store.registerAgent('bot', 'secret-token');
        expect(await store.verifyAgentToken('secret-token')).to.equal('bot');
        expect(await store.verifyAgentToken('secret-tokem')).to.equal(undefined);
        await assert.rejects(store.registerAgent('bot', 'other'), /already registered/);
        const first = await store.issueAgentToken('own', 'token-one');
        const second = await store.issueAgentToken('own', 'token-two');
        expect(await store.verifyAgentToken('token-one')).to.equal(undefined);
        expect(await store.verifyAgentToken('token-two')).to.equal('own');
        expect(second.createdAt).to.equal(first.createdAt);
        expect(await store.rotateAgentToken('bot', 'rotated')).to.deep.equal({ agentId: 'bot', createdAt: bot.createdAt });
        expect(await store.verifyAgentToken('secret-token')).to.equal(undefined);
        expect(await store.rotateAgentToken('ghost', 'x')).to.equal(undefined);
        expect(await store.revokeAgentToken('bot')).to.equal(true);
        expect(await store.revokeAgentToken('ghost')).to.equal(false);
        expect(await store.verifyAgentToken('rotated')).to.equal(undefined);
        expect(await store.listAgents()).to.deep.equal([
          { agentId: 'bot', createdAt: bot.createdAt, revoked: true },
          { agentId: 'own', createdAt: first.createdAt },
        ]);
      });
    });
  });
}
