import assert from 'node:assert/strict';
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
    const crashed = await MatchManager.open({ store: first, startTimeoutMs: 0 }); // no start timer outlives the "crash"
    const { matchId } = await crashed.create(remoteMatch);
    expect((await first.getArenaMatch(matchId))!.status).to.equal('live');
    await first.close(); // the process dies: the manager never closes

    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({ store });
    expect(manager.recoveredAborted).to.deep.equal([matchId]);
    expect((await store.getArenaMatch(matchId))!.status).to.equal('aborted');
    expect((await manager.summary(matchId))!.status).to.equal('aborted');
    expect((await manager.summary(matchId))!.seats.map((s) => s.agentId)).to.deep.equal(['x-bot', 'anonymous-1']);
    expect((await manager.list({ status: 'aborted' })).matches.map((v) => v.matchId)).to.deep.equal([matchId]);
    // A third start finds nothing left to recover.
    expect((await MatchManager.open({ store })).recoveredAborted).to.deep.equal([]);
    await manager.close();
    await store.close();
  });

  it('stores a running match as aborted, with its replay, on close', async () => {
    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({
      store,
      newToken: (() => {
        let n = 0;
        return () => `token-${n++}`;
      })(),
    });
    const { matchId, seatTokens } = await manager.create(remoteMatch);
    expect(seatTokens).to.deep.equal(['token-0', 'token-1']);
    await manager.close();
    const row = (await store.getArenaMatch(matchId))!;
    expect(row.status).to.equal('aborted');
    expect(row.index).to.equal(0);
    expect((await manager.replay(matchId))!.history).to.deep.equal([]);
    expect(manager.byToken('token-0')).to.equal(undefined);
    await assert.rejects(manager.create(remoteMatch), (e) => e instanceof LudusError && /shutting down/.test(e.message));
    await store.close();
  });

  it('serves ended matches from the store once they leave memory', async () => {
    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({ store, keepFinished: 0 });
    const { matchId } = await manager.create({
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
    expect((await manager.summary(matchId))!.returns).to.deep.equal([1, -1]);
    expect((await manager.summary(matchId))!.status).to.equal('finished');
    expect((await manager.replay(matchId))!.history.map((h) => (h.kind === 'decision' ? h.action : -1))).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    await manager.close();
    await store.close();
  });

  it('gives in-process agents identities from their specs, distinct within a match', async () => {
    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({ store });
    const ids = async (agents: readonly string[]) => {
      const { matchId } = await manager.create({ env: 'tic-tac-toe-v1', seats: agents.map((agent) => ({ kind: 'agent' as const, agent })) });
      return (await manager.summary(matchId))!.seats.map((s) => s.agentId);
    };
    expect(await ids(['mcts:sims=8', 'random'])).to.deep.equal(['mcts-sims-8', 'random']);
    expect(await ids(['random', 'random'])).to.deep.equal(['random-seat0', 'random-seat1']);
    const { matchId } = await manager.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'agent', agent: 'random', agentId: 'house' }] });
    expect((await manager.summary(matchId))!.seats.map((s) => s.agentId)).to.deep.equal(['anonymous-0', 'house']);
    await manager.close();
    await store.close();
  });

  it('refuses a misspelled settings key, naming it and the known keys', async () => {
    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({ store });
    const create = (settings: unknown) => manager.create({ ...remoteMatch, settings });
    await assert.rejects(
      create({ moveTimeMS: 5000 }),
      (e) => e instanceof LudusError && /unknown key "moveTimeMS" \(known: moveTimeMs, totalTimeMs, reconnectWindowMs/.test(e.message),
    );
    await assert.rejects(
      create({ rateLimit: { capacty: 5 } }),
      (e) => e instanceof LudusError && /rateLimit: unknown key "capacty" \(known: capacity, refillPerSecond, maxViolations\)/.test(e.message),
    );
    expect((await manager.list()).matches).to.deep.equal([]);
    await manager.close();
    await store.close();
  });

  it('aborts a match whose remote seats never all join, and no other', async () => {
    const store = new SqliteStore(':memory:');
    const clock = new FakeClock();
    const manager = await MatchManager.open({ store, clock, startTimeoutMs: 60_000 });
    const idle = await manager.create(remoteMatch);
    const joined = await manager.create(remoteMatch);
    const runner = manager.get(joined.matchId)!;
    expect(runner.submit('s0', { type: 'join', matchId: joined.matchId, seatToken: joined.seatTokens[0] }).ok).to.equal(true);
    expect(runner.submit('s1', { type: 'join', matchId: joined.matchId, seatToken: joined.seatTokens[1] }).ok).to.equal(true);
    runner.start();
    clock.advance(59_999);
    expect((await manager.summary(idle.matchId))!.status).to.equal('waiting');
    clock.advance(1);
    await manager.get(idle.matchId)!.whenIdle(); // the aborted match is being stored
    expect((await manager.summary(idle.matchId))!.status).to.equal('aborted');
    expect((await store.getArenaMatch(idle.matchId))!.status).to.equal('aborted');
    expect((await manager.summary(joined.matchId))!.status).to.equal('live');
    await manager.close();
    await store.close();
  });
});
