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

  it('reads the store only when a player is not known yet', async () => {
    const league = await openArenaLeague(store, getEnv('connect-four-v1'));
    await addArenaMembers(store, league, [remote('a'), remote('b')]);
    let reads = 0;
    const list = store.listMembers.bind(store);
    store.listMembers = (leagueId) => {
      reads++;
      return list(leagueId);
    };
    for (let i = 0; i < 5; i++) await addArenaMembers(store, league, [remote('a'), remote('b')]);
    expect(reads).to.equal(0);
    await addArenaMembers(store, league, [remote('a'), remote('new')]);
    expect(reads).to.equal(1);
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
