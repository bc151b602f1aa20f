import { expect } from 'chai';
import type { ArenaError } from '../../../arena/arena-error.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { MatchQueue, type QueueEntry } from '../../../arena/lobby/match-queue.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

describe('arena/lobby/match-queue', () => {
  let store: SqliteStore;
  let matches: MatchManager;
  let queue: MatchQueue;
  let inbox: Map<string, MatchAssignedMessage[]>;
  const entry = (agentId: string, sessionId: string, env = 'tic-tac-toe-v1', params?: Record<string, unknown>): QueueEntry => ({
    agentId,
    sessionId,
    env,
    ...(params === undefined ? {} : { params }),
    send: (m) => inbox.set(sessionId, [...(inbox.get(sessionId) ?? []), m]),
  });

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    matches = await MatchManager.open({ store, startTimeoutMs: 0 });
    queue = new MatchQueue(matches);
    inbox = new Map();
  });
  afterEach(async () => {
    await matches.close();
    await store.close();
  });

  it('pairs the first two distinct agents of an env into a match and assigns each its seat', async () => {
    expect(queue.queue(entry('amy', 's1'))).to.deep.equal({ type: 'queued', env: 'tic-tac-toe-v1', position: 0 });
    expect(inbox.size).to.equal(0);
    queue.queue(entry('bob', 's2'));
    await queue.whenIdle(); // the match is created in the store, then assigned
    const [a] = inbox.get('s1')!;
    const [b] = inbox.get('s2')!;
    expect(a!.matchId).to.equal(b!.matchId);
    expect([a!.seat, b!.seat]).to.deep.equal([0, 1]);
    expect(a!.league).to.equal('arena-tic-tac-toe-v1');
    // The tokens are the match's real seat tokens.
    expect(matches.byToken(a!.seatToken)).to.deep.equal({ matchId: a!.matchId, seat: 0 });
    expect(matches.byToken(b!.seatToken)).to.deep.equal({ matchId: b!.matchId, seat: 1 });
    expect((await matches.summary(a!.matchId))!.seats.map((s) => s.agentId)).to.deep.equal(['amy', 'bob']);
    expect(queue.waiting('tic-tac-toe-v1')).to.equal(0);
  });

  it('rotates seats from one pairing to the next', async () => {
    queue.queue(entry('amy', 's1'));
    queue.queue(entry('bob', 's2'));
    queue.queue(entry('amy', 's1'));
    queue.queue(entry('bob', 's2'));
    await queue.whenIdle();
    expect(inbox.get('s1')!.map((m) => m.seat)).to.deep.equal([0, 1]);
  });

  it('never pairs an agent with itself, and keeps separate pools per params', async () => {
    queue.queue(entry('amy', 's1'));
    queue.queue(entry('amy', 's2'));
    await queue.whenIdle();
    expect(inbox.size).to.equal(0);
    queue.queue(entry('bob', 's3', 'tic-tac-toe-v1', { marks: 'textarena' }));
    await queue.whenIdle();
    expect(inbox.size).to.equal(0);
    queue.queue(entry('bob', 's4'));
    await queue.whenIdle();
    expect(inbox.has('s1')).to.equal(true);
    expect(inbox.has('s2')).to.equal(false);
    expect(queue.waiting('tic-tac-toe-v1')).to.equal(1);
  });

  it('is idempotent for a connection queuing twice, and unqueue takes it out', async () => {
    queue.queue(entry('amy', 's1'));
    expect(queue.queue(entry('amy', 's1')).position).to.equal(0);
    expect(queue.waiting('tic-tac-toe-v1')).to.equal(1);
    queue.queue(entry('amy', 's1', 'connect-four-v1'));
    expect(queue.unqueue('s1', 'connect-four-v1')).to.deep.equal(['connect-four-v1']);
    expect(queue.unqueue('s1')).to.deep.equal(['tic-tac-toe-v1']);
    queue.queue(entry('bob', 's2'));
    await queue.whenIdle();
    expect(inbox.size).to.equal(0);
  });

  it('gives a pairing the largest move time its entries asked for, within the server bounds', async () => {
    queue.queue({ ...entry('amy', 's1'), moveTimeMs: 120_000 });
    queue.queue(entry('bob', 's2'));
    await queue.whenIdle();
    const [a] = inbox.get('s1')!;
    expect(a!.moveTimeMs).to.equal(120_000);
    expect(inbox.get('s2')![0]!.moveTimeMs).to.equal(120_000);
    expect(matches.get(a!.matchId)!.settings.moveTimeMs).to.equal(120_000);
    // No request: the queue's default, not a fixed 30 s.
    const slow = new MatchQueue(matches, { defaultMoveTimeMs: 45_000, maxMoveTimeMs: 300_000 });
    slow.queue(entry('amy', 's3'));
    slow.queue(entry('bob', 's4'));
    await slow.whenIdle();
    expect(matches.get(inbox.get('s3')![0]!.matchId)!.settings.moveTimeMs).to.equal(45_000);
    const refused = (ms: number) => {
      try {
        slow.queue({ ...entry('cy', 's5'), moveTimeMs: ms });
        return undefined;
      } catch (e) {
        return e as ArenaError;
      }
    };
    expect(refused(600_000)?.code).to.equal('bad-request');
    expect(refused(600_000)?.hint).to.include('1000 to 300000 ms');
    expect(refused(10)?.code).to.equal('bad-request');
    expect(slow.waiting('tic-tac-toe-v1')).to.equal(0);
  });

  it('refuses an unknown env and bad params with typed errors', () => {
    expect(() => queue.queue(entry('amy', 's1', 'chess-v9')))
      .to.throw()
      .with.property('code', 'unknown-env');
    expect(() => queue.queue(entry('amy', 's1', 'tic-tac-toe-v1', { marks: 42 })))
      .to.throw()
      .with.property('code', 'bad-request');
    expect(queue.waiting('tic-tac-toe-v1')).to.equal(0);
  });
});
