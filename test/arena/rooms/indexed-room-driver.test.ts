import { expect } from 'chai';
import { initializeRoomCache, LocalDriver, type IRoomCache } from '@colyseus/core';
import { IndexedRoomDriver } from '../../../arena/rooms/indexed-room-driver.ts';
import { Rng } from '../../../envs/index.ts';

const ids = (rooms: readonly IRoomCache[]): string[] => rooms.map((r) => r.roomId);

describe('arena/rooms/indexed-room-driver', () => {
  it("answers every lookup as Colyseus' LocalDriver does, through inserts, updates and removals", async () => {
    const rng = new Rng(17);
    const indexed = new IndexedRoomDriver();
    const local = new LocalDriver();
    const live: string[] = [];
    const conditionsOf = (): Record<string, unknown> => {
      const pick = rng.int(5);
      if (pick === 0) return { roomId: rng.pick([...live, 'no-such-room']) };
      if (pick === 1) return { locked: false, name: 'match', private: false, matchId: `m${rng.int(12)}` };
      if (pick === 2) return { name: rng.pick(['match', 'agents']) };
      if (pick === 3) return { processId: 'p1' };
      return {};
    };
    for (let step = 0; step < 400; step++) {
      const action = rng.int(4);
      if (action === 0 || live.length === 0) {
        const roomId = `r${step}`;
        const lobby = rng.int(6) === 0;
        const fields = lobby ? { name: 'agents' } : { name: 'match', metadata: { matchId: `m${rng.int(12)}` } };
        // Each driver gets its own copy: they may not share listing objects.
        const make = () => initializeRoomCache({ roomId, processId: 'p1', ...fields, createdAt: new Date(step) });
        expect(await indexed.insert(make())).to.equal(await local.insert(make()));
        live.push(roomId);
      } else if (action === 1) {
        const roomId = rng.pick(live);
        live.splice(live.indexOf(roomId), 1);
        expect(indexed.remove(roomId)).to.equal(local.remove(roomId));
      } else if (action === 2) {
        const roomId = rng.pick(live);
        const locked = rng.int(2) === 0;
        for (const driver of [indexed, local]) {
          const room = await driver.findOne({ roomId });
          driver.update(room, { $set: { locked }, $inc: { clients: 1 } });
        }
      }
      const conditions = conditionsOf();
      expect(ids(indexed.query(conditions)).sort(), JSON.stringify(conditions)).to.deep.equal(ids(local.query(conditions)).sort());
      const sort = { createdAt: 1 as const };
      expect((await indexed.findOne(conditions, sort))?.roomId, JSON.stringify(conditions)).to.equal((await local.findOne(conditions, sort))?.roomId);
      expect(indexed.has(`r${step}`)).to.equal(local.has(`r${step}`));
    }
    const wanted = [...live.slice(0, 5), 'nope'];
    expect([...(await indexed.findByIds(wanted)).keys()]).to.deep.equal([...(await local.findByIds(wanted)).keys()]);
  });
});
