import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { LudusError } from '../../../envs/index.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const remoteMatch = { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' as const, agentId: 'x-bot' }, { kind: 'remote' as const }] };

describe('arena/lobby/match-manager', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-manager-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks a match a crash left live as aborted when the next manager starts', async () => {
    const first = new SqliteStore(dir);
    const crashed = new MatchManager({ store: first, startTimeoutMs: 0 }); // no start timer outlives the "crash"
    const { matchId } = crashed.create(remoteMatch);
    expect(first.getArenaMatch(matchId)!.status).to.equal('live');
    first.close(); // the process dies: the manager never closes

    const store = new SqliteStore(dir);
    const manager = new MatchManager({ store });
    expect(manager.recoveredAborted).to.deep.equal([matchId]);
    expect(store.getArenaMatch(matchId)!.status).to.equal('aborted');
    expect(manager.summary(matchId)!.status).to.equal('aborted');
    expect(manager.summary(matchId)!.seats.map((s) => s.agentId)).to.deep.equal(['x-bot', 'anonymous-1']);
    expect(manager.list({ status: 'aborted' }).matches.map((v) => v.matchId)).to.deep.equal([matchId]);
    // A third start finds nothing left to recover.
    expect(new MatchManager({ store }).recoveredAborted).to.deep.equal([]);
    await manager.close();
    store.close();
  });

  it('stores a running match as aborted, with its replay, on close', async () => {
    const store = new SqliteStore(dir);
    const manager = new MatchManager({
      store,
      newToken: (() => {
        let n = 0;
        return () => `token-${n++}`;
      })(),
    });
    const { matchId, seatTokens } = manager.create(remoteMatch);
    expect(seatTokens).to.deep.equal(['token-0', 'token-1']);
    await manager.close();
    const row = store.getArenaMatch(matchId)!;
    expect(row.status).to.equal('aborted');
    expect(row.index).to.equal(0);
    expect(manager.replay(matchId)!.history).to.deep.equal([]);
    expect(manager.byToken('token-0')).to.equal(undefined);
    expect(() => manager.create(remoteMatch)).to.throw(LudusError, /shutting down/);
    store.close();
  });

  it('serves ended matches from the store once they leave memory', async () => {
    const store = new SqliteStore(dir);
    const manager = new MatchManager({ store, keepFinished: 0 });
    const { matchId } = manager.create({
      env: 'tic-tac-toe-v1',
      seed: 3,
      seats: [
        { kind: 'agent', agent: 'first-legal' },
        { kind: 'agent', agent: 'first-legal' },
      ],
    });
    await manager.get(matchId)!.whenIdle();
    expect(manager.get(matchId)).to.equal(undefined);
    // first-legal on both sides: x takes 0, 2, 4, 6 against o on 1, 3, 5; x wins on the 2-4-6 diagonal.
    expect(manager.summary(matchId)!.returns).to.deep.equal([1, -1]);
    expect(manager.summary(matchId)!.status).to.equal('finished');
    expect(manager.replay(matchId)!.history.map((h) => (h.kind === 'decision' ? h.action : -1))).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    await manager.close();
    store.close();
  });

  it('gives in-process agents identities from their specs, distinct within a match', async () => {
    const store = new SqliteStore(dir);
    const manager = new MatchManager({ store });
    const ids = (agents: readonly string[]) => {
      const { matchId } = manager.create({ env: 'tic-tac-toe-v1', seats: agents.map((agent) => ({ kind: 'agent' as const, agent })) });
      return manager.summary(matchId)!.seats.map((s) => s.agentId);
    };
    expect(ids(['mcts:sims=8', 'random'])).to.deep.equal(['mcts-sims-8', 'random']);
    expect(ids(['random', 'random'])).to.deep.equal(['random-seat0', 'random-seat1']);
    const { matchId } = manager.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'agent', agent: 'random', agentId: 'house' }] });
    expect(manager.summary(matchId)!.seats.map((s) => s.agentId)).to.deep.equal(['anonymous-0', 'house']);
    await manager.close();
    store.close();
  });

  it('refuses a misspelled settings key, naming it and the known keys', async () => {
    const store = new SqliteStore(dir);
    const manager = new MatchManager({ store });
    const create = (settings: unknown) => () => manager.create({ ...remoteMatch, settings });
    expect(create({ moveTimeMS: 5000 })).to.throw(LudusError, /unknown key "moveTimeMS" \(known: moveTimeMs, totalTimeMs, reconnectWindowMs/);
    expect(create({ rateLimit: { capacty: 5 } })).to.throw(LudusError, /rateLimit: unknown key "capacty" \(known: capacity, refillPerSecond, maxViolations\)/);
    expect(manager.list().matches).to.deep.equal([]);
    await manager.close();
    store.close();
  });

  it('aborts a match whose remote seats never all join, and no other', async () => {
    const store = new SqliteStore(':memory:');
    const clock = new FakeClock();
    const manager = new MatchManager({ store, clock, startTimeoutMs: 60_000 });
    const idle = manager.create(remoteMatch);
    const joined = manager.create(remoteMatch);
    const runner = manager.get(joined.matchId)!;
    expect(runner.submit('s0', { type: 'join', matchId: joined.matchId, seatToken: joined.seatTokens[0] }).ok).to.equal(true);
    expect(runner.submit('s1', { type: 'join', matchId: joined.matchId, seatToken: joined.seatTokens[1] }).ok).to.equal(true);
    runner.start();
    clock.advance(59_999);
    expect(manager.summary(idle.matchId)!.status).to.equal('waiting');
    clock.advance(1);
    expect(manager.summary(idle.matchId)!.status).to.equal('aborted');
    expect(store.getArenaMatch(idle.matchId)!.status).to.equal('aborted');
    expect(manager.summary(joined.matchId)!.status).to.equal('live');
    await manager.close();
    store.close();
  });
});
