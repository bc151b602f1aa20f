import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { addArenaMembers, openArenaLeague, type SeatPlayer } from '../../../arena/league/arena-league.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

const remote = (agentId: string): SeatPlayer => ({ kind: 'remote', agentId });

describe('arena/league/arena-league', () => {
  let store: SqliteStore;

  beforeEach(() => {
    store = new SqliteStore(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  it('adds each player once, in first-seen order', async () => {
    const league = await openArenaLeague(store, getEnv('connect-four-v1'));
    await addArenaMembers(store, league, [remote('a'), remote('b')]);
    await addArenaMembers(store, league, [remote('b'), remote('a')]);
    await addArenaMembers(store, league, [remote('c'), remote('a')]);
    expect((await store.listMembers(league.id)).map((m) => m.agentId)).to.deep.equal(['a', 'b', 'c']);
  });

  it('reads a league from the store once, and still refuses a league of another env', async () => {
    let reads = 0;
    const get = store.getLeague.bind(store);
    store.getLeague = (name) => {
      reads++;
      return get(name);
    };
    const first = await openArenaLeague(store, getEnv('connect-four-v1'));
    expect(reads).to.be.greaterThan(0);
    reads = 0;
    for (let i = 0; i < 5; i++) expect(await openArenaLeague(store, getEnv('connect-four-v1'))).to.deep.equal(first);
    expect(reads).to.equal(0);
    expect(first).to.deep.equal({ id: (await store.getLeague('arena-connect-four-v1'))!.id, name: 'arena-connect-four-v1', env: 'connect-four-v1' });
    let refused: unknown;
    await openArenaLeague(store, getEnv('tic-tac-toe-v1'), 'arena-connect-four-v1').catch((e: unknown) => {
      refused = e;
    });
    expect(String(refused)).to.match(/plays connect-four-v1/);
  });

  it('reads the store only when a player is not known yet, and then only that player', async () => {
    const league = await openArenaLeague(store, getEnv('connect-four-v1'));
    await addArenaMembers(store, league, [remote('a'), remote('b')]);
    const reads: (readonly string[] | undefined)[] = [];
    const list = store.listMembers.bind(store);
    store.listMembers = (leagueId, agentIds) => {
      reads.push(agentIds);
      return list(leagueId, agentIds);
    };
    for (let i = 0; i < 5; i++) await addArenaMembers(store, league, [remote('a'), remote('b')]);
    expect(reads).to.deep.equal([]);
    await addArenaMembers(store, league, [remote('a'), remote('new')]);
    expect(reads).to.deep.equal([['new']]);
    expect((await list(league.id)).map((m) => m.agentId)).to.deep.equal(['a', 'b', 'new']);
  });

  it('leaves a member someone else stored meanwhile as it is', async () => {
    const league = await openArenaLeague(store, getEnv('connect-four-v1'));
    await addArenaMembers(store, league, [remote('a'), remote('b')]);
    const [a] = await store.listMembers(league.id);
    await store.upsertMembers(league.id, [{ ...a!, agentId: 'other', kind: 'scripted', frozen: true }]);
    await addArenaMembers(store, league, [remote('other'), remote('a')]);
    const other = (await store.listMembers(league.id)).find((m) => m.agentId === 'other');
    expect(other?.kind).to.equal('scripted');
    expect(other?.frozen).to.equal(true);
  });
});
