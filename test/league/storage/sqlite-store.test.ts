import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseMember } from '../../../league/population/member.ts';
import type { MatchRow } from '../../../league/storage/league-store.ts';
import { SqliteStore, STORE_FILE } from '../../../league/storage/sqlite-store.ts';

const readWal = (dir: string): string => {
  const wal = join(dir, `${STORE_FILE}-wal`);
  return existsSync(wal) ? readFileSync(wal).toString('latin1') : '';
};

const match = (index: number, seats: string[], returns: number[], extra: Partial<MatchRow> = {}): MatchRow => ({
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

describe('league/storage/sqlite-store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps leagues, members, matches and ratings across reopening', async () => {
    const store = new SqliteStore(dir);
    const league = await store.openLeague({ name: 'l1', env: 'tic-tac-toe-v1', config: { a: 1 }, configHash: 'h', seed: 3 });
    await store.upsertMembers(league.id, [parseMember({ agentId: 'a', kind: 'scripted', env: 'tic-tac-toe-v1', agent: { kind: 'random' }, createdAt: 0 })]);
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

    const again = new SqliteStore(dir);
    const reopened = (await again.getLeague('l1'))!;
    expect(reopened).to.include({ name: 'l1', env: 'tic-tac-toe-v1', configHash: 'h', seed: 3, ratedThrough: 2 });
    expect(reopened.config).to.deep.equal({ a: 1 });
    expect((await again.listMembers(reopened.id)).map((m) => m.agentId)).to.deep.equal(['a']);
    expect(await again.countMatches(reopened.id)).to.equal(2);
    expect((await again.matchSummaries(reopened.id)).map((m) => m.seats)).to.deep.equal([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect((await again.getMatch(reopened.id, 0))!.record!.seed).to.equal(100);
    expect(Object.fromEntries(await again.latestRatings(reopened.id))).to.deep.equal({ a: 1015, b: 985 });
    expect((await again.ratingHistory(reopened.id, 'a')).map((r) => r.elo)).to.deep.equal([1016, 1015]);
    await again.close();
  });

  it('groups identical outcomes with their counts', async () => {
    const store = new SqliteStore(':memory:');
    const { id } = await store.openLeague({ name: 'g', env: 'e-v1', config: {}, configHash: 'h', seed: 0 });
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
    const groups = (await store.outcomeCounts(id)).map((g) => [g.returns.join(','), g.status, g.faultSeat, g.count]);
    expect(groups).to.have.deep.members([
      ['1,-1', 'finished', null, 2],
      ['-1,1', 'finished', null, 1],
      ['0,0', 'faulted', 1, 1],
    ]);
    await store.close();
  });

  it('refuses a second match with the same index, leaving the first intact', async () => {
    const store = new SqliteStore(':memory:');
    const { id } = await store.openLeague({ name: 'dup', env: 'e-v1', config: {}, configHash: 'h', seed: 0 });
    await store.commit(id, [match(0, ['a', 'b'], [1, -1])], []);
    await assert.rejects(store.commit(id, [match(1, ['a', 'b'], [1, -1]), match(0, ['b', 'a'], [1, -1])], []));
    expect((await store.matchSummaries(id)).map((m) => m.index)).to.deep.equal([0]); // the whole failed transaction rolled back
    await store.close();
  });

  it('returns the existing league when opened again by name', async () => {
    const store = new SqliteStore(':memory:');
    const first = await store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h1', seed: 0 });
    const second = await store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h2', seed: 0 });
    expect(second.id).to.equal(first.id);
    expect(second.configHash).to.equal('h1');
    expect(await store.listLeagues()).to.have.length(1);
    await store.close();
  });

  describe('arena matches and agents (v3)', () => {
    it('appends a finished arena match at the next index and closes its live row', async () => {
      const store = new SqliteStore(dir);
      const league = await store.openLeague({ name: 'l1', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 0 });
      await store.commit(league.id, [match(0, ['a', 'b'], [1, -1])], []);
      await store.startArenaMatch({ matchId: 'm1', leagueId: league.id, env: 'tic-tac-toe-v1', seats: ['a', 'b'], createdAt: '2026-01-01T00:00:00.000Z' });
      expect((await store.listArenaMatches({ statuses: ['live'] })).map((r) => r.matchId)).to.deep.equal(['m1']);
      const { index: _index, ...row } = match(0, ['a', 'b'], [0, 0]);
      expect(await store.finishArenaMatch('m1', row)).to.equal(1);
      const stored = (await store.getArenaMatch('m1'))!;
      expect([stored.status, stored.index]).to.deep.equal(['finished', 1]);
      expect((await store.getMatch(league.id, 1))!.returns).to.deep.equal([0, 0]);
      expect(await store.abortLiveArenaMatches()).to.deep.equal([]);
      await store.close();
    });

    it('writes an arena match and the rating rows its rate callback returns in one transaction', async () => {
      const store = new SqliteStore(':memory:');
      const league = await store.openLeague({ name: 'l2', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 0 });
      const start = (matchId: string) =>
        store.startArenaMatch({ matchId, leagueId: league.id, env: 'tic-tac-toe-v1', seats: ['a', 'b'], createdAt: '2026-01-01T00:00:00.000Z' });
      const { index: _index, ...row } = match(0, ['a', 'b'], [1, -1]);
      await start('m1');
      const seen: [number, number][] = [];
      await store.finishArenaMatch('m1', row, async (stored, leagueId) => {
        seen.push([stored.index, leagueId]);
        return [
          { index: stored.index, agentId: 'a', elo: 1016 },
          { index: stored.index, agentId: 'b', elo: 984 },
        ];
      });
      expect(seen).to.deep.equal([[0, league.id]]);
      expect(Object.fromEntries(await store.latestRatings(league.id))).to.deep.equal({ a: 1016, b: 984 });
      expect((await store.getLeague('l2'))!.ratedThrough).to.equal(1);
      // A failing rating leaves neither the match nor its rows: the live row stays live.
      await start('m2');
      await assert.rejects(
        store.finishArenaMatch('m2', row, async () => {
          throw new Error('boom');
        }),
        /boom/,
      );
      expect(await store.countMatches(league.id)).to.equal(1);
      expect((await store.getArenaMatch('m2'))!.status).to.equal('live');
      await store.close();
    });

    it('keeps only a hash of agent tokens and refuses a taken agentId', async () => {
      const store = new SqliteStore(dir);
      await store.registerAgent('bot', 'secret-token');
      expect(await store.verifyAgentToken('secret-token')).to.equal('bot');
      expect(await store.verifyAgentToken('secret-tokem')).to.equal(undefined);
      await assert.rejects(store.registerAgent('bot', 'other'), /already registered/);
      await store.close();
      const raw = readFileSync(join(dir, STORE_FILE)).toString('latin1') + readWal(dir);
      expect(raw).to.not.include('secret-token');
    });

    it('replaces an agent token when a new one is issued, registering the agent if new', async () => {
      const store = new SqliteStore(dir);
      const first = await store.issueAgentToken('bot', 'token-one');
      expect(await store.verifyAgentToken('token-one')).to.equal('bot');
      const second = await store.issueAgentToken('bot', 'token-two');
      expect(await store.verifyAgentToken('token-one')).to.equal(undefined);
      expect(await store.verifyAgentToken('token-two')).to.equal('bot');
      expect(second.createdAt).to.equal(first.createdAt);
      expect((await store.listAgents()).map((a) => a.agentId)).to.deep.equal(['bot']);
      await store.close();
    });
  });
});
