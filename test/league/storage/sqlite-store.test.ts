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

  it('keeps leagues, members, matches and ratings across reopening', () => {
    const store = new SqliteStore(dir);
    const league = store.openLeague({ name: 'l1', env: 'tic-tac-toe-v1', config: { a: 1 }, configHash: 'h', seed: 3 });
    store.upsertMembers(league.id, [parseMember({ agentId: 'a', kind: 'scripted', env: 'tic-tac-toe-v1', agent: { kind: 'random' }, createdAt: 0 })]);
    store.commit(
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
    store.close();

    const again = new SqliteStore(dir);
    const reopened = again.getLeague('l1')!;
    expect(reopened).to.include({ name: 'l1', env: 'tic-tac-toe-v1', configHash: 'h', seed: 3, ratedThrough: 2 });
    expect(reopened.config).to.deep.equal({ a: 1 });
    expect(again.listMembers(reopened.id).map((m) => m.agentId)).to.deep.equal(['a']);
    expect(
      again.listMembers(reopened.id, ['b', 'a']).map((m) => m.agentId),
      'only the members asked for',
    ).to.deep.equal(['a']);
    expect(again.listMembers(reopened.id, [])).to.deep.equal([]);
    expect(again.countMatches(reopened.id)).to.equal(2);
    expect(again.matchSummaries(reopened.id).map((m) => m.seats)).to.deep.equal([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(again.getMatch(reopened.id, 0)!.record!.seed).to.equal(100);
    expect(Object.fromEntries(again.latestRatings(reopened.id))).to.deep.equal({ a: 1015, b: 985 });
    expect(again.ratingHistory(reopened.id, 'a').map((r) => r.elo)).to.deep.equal([1016, 1015]);
    again.close();
  });

  it('groups identical outcomes with their counts', () => {
    const store = new SqliteStore(':memory:');
    const { id } = store.openLeague({ name: 'g', env: 'e-v1', config: {}, configHash: 'h', seed: 0 });
    store.commit(
      id,
      [
        match(0, ['a', 'b'], [1, -1]),
        match(1, ['a', 'b'], [1, -1]),
        match(2, ['a', 'b'], [-1, 1]),
        match(3, ['a', 'b'], [0, 0], { status: 'faulted', fault: { seat: 1, code: 'agent-error', message: 'x' } }),
      ],
      [],
    );
    const groups = store.outcomeCounts(id).map((g) => [g.returns.join(','), g.status, g.faultSeat, g.count]);
    expect(groups).to.have.deep.members([
      ['1,-1', 'finished', null, 2],
      ['-1,1', 'finished', null, 1],
      ['0,0', 'faulted', 1, 1],
    ]);
    store.close();
  });

  it('refuses a second match with the same index, leaving the first intact', () => {
    const store = new SqliteStore(':memory:');
    const { id } = store.openLeague({ name: 'dup', env: 'e-v1', config: {}, configHash: 'h', seed: 0 });
    store.commit(id, [match(0, ['a', 'b'], [1, -1])], []);
    expect(() => store.commit(id, [match(1, ['a', 'b'], [1, -1]), match(0, ['b', 'a'], [1, -1])], [])).to.throw();
    expect(store.matchSummaries(id).map((m) => m.index)).to.deep.equal([0]); // the whole failed transaction rolled back
    store.close();
  });

  it('returns the existing league when opened again by name', () => {
    const store = new SqliteStore(':memory:');
    const first = store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h1', seed: 0 });
    const second = store.openLeague({ name: 'same', env: 'e-v1', config: {}, configHash: 'h2', seed: 0 });
    expect(second.id).to.equal(first.id);
    expect(second.configHash).to.equal('h1');
    expect(store.listLeagues()).to.have.length(1);
    store.close();
  });

  describe('arena matches and agents (v3)', () => {
    it('appends a finished arena match at the next index and closes its live row', () => {
      const store = new SqliteStore(dir);
      const league = store.openLeague({ name: 'l1', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 0 });
      store.commit(league.id, [match(0, ['a', 'b'], [1, -1])], []);
      store.startArenaMatch({ matchId: 'm1', leagueId: league.id, env: 'tic-tac-toe-v1', seats: ['a', 'b'], createdAt: '2026-01-01T00:00:00.000Z' });
      expect(store.listArenaMatches({ statuses: ['live'] }).map((r) => r.matchId)).to.deep.equal(['m1']);
      const { index: _index, ...row } = match(0, ['a', 'b'], [0, 0]);
      expect(store.finishArenaMatch('m1', row)).to.equal(1);
      const stored = store.getArenaMatch('m1')!;
      expect([stored.status, stored.index]).to.deep.equal(['finished', 1]);
      expect(store.getMatch(league.id, 1)!.returns).to.deep.equal([0, 0]);
      expect(store.abortLiveArenaMatches()).to.deep.equal([]);
      store.close();
    });

    it('writes an arena match and the rating rows its rate callback returns in one transaction', () => {
      const store = new SqliteStore(':memory:');
      const league = store.openLeague({ name: 'l2', env: 'tic-tac-toe-v1', config: {}, configHash: 'h', seed: 0 });
      const start = (matchId: string) =>
        store.startArenaMatch({ matchId, leagueId: league.id, env: 'tic-tac-toe-v1', seats: ['a', 'b'], createdAt: '2026-01-01T00:00:00.000Z' });
      const { index: _index, ...row } = match(0, ['a', 'b'], [1, -1]);
      start('m1');
      const seen: [number, number][] = [];
      store.finishArenaMatch('m1', row, (stored, leagueId) => {
        seen.push([stored.index, leagueId]);
        return [
          { index: stored.index, agentId: 'a', elo: 1016 },
          { index: stored.index, agentId: 'b', elo: 984 },
        ];
      });
      expect(seen).to.deep.equal([[0, league.id]]);
      expect(Object.fromEntries(store.latestRatings(league.id))).to.deep.equal({ a: 1016, b: 984 });
      expect(store.getLeague('l2')!.ratedThrough).to.equal(1);
      // A failing rating leaves neither the match nor its rows: the live row stays live.
      start('m2');
      expect(() =>
        store.finishArenaMatch('m2', row, () => {
          throw new Error('boom');
        }),
      ).to.throw(/boom/);
      expect(store.countMatches(league.id)).to.equal(1);
      expect(store.getArenaMatch('m2')!.status).to.equal('live');
      store.close();
    });

    it('keeps only a hash of agent tokens and refuses a taken agentId', () => {
      const store = new SqliteStore(dir);
      store.registerAgent('bot', 'secret-token');
      expect(store.verifyAgentToken('secret-token')).to.equal('bot');
      expect(store.verifyAgentToken('secret-tokem')).to.equal(undefined);
      expect(() => store.registerAgent('bot', 'other')).to.throw(/already registered/);
      store.close();
      const raw = readFileSync(join(dir, STORE_FILE)).toString('latin1') + readWal(dir);
      expect(raw).to.not.include('secret-token');
    });

    it('replaces an agent token when a new one is issued, registering the agent if new', () => {
      const store = new SqliteStore(dir);
      const first = store.issueAgentToken('bot', 'token-one');
      expect(store.verifyAgentToken('token-one')).to.equal('bot');
      const second = store.issueAgentToken('bot', 'token-two');
      expect(store.verifyAgentToken('token-one')).to.equal(undefined);
      expect(store.verifyAgentToken('token-two')).to.equal('bot');
      expect(second.createdAt).to.equal(first.createdAt);
      expect(store.listAgents().map((a) => a.agentId)).to.deep.equal(['bot']);
      store.close();
    });
  });
});
