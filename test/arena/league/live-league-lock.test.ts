/**
 * A live league with a lock (a cluster's one scheduler per league, here a lock the test hands
 * over by hand): it schedules only while it holds the lock, stops following its matches when it
 * loses it, and on taking it again adopts the matches still running before it fills up.
 */
import { expect } from 'chai';
import { LiveLeague, type LeagueLock, type LiveLeagueEvent } from '../../../arena/league/live-league.ts';
import { localHostedMatch, LocalLeagueHost, type HostedMatch, type LeagueMatchHost } from '../../../arena/league/league-host.ts';
import { AssignmentHub } from '../../../arena/lobby/assignment-hub.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';
import { parseLeagueConfig } from '../../../league/config/league-config.ts';
import type { LeagueRow } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

/** A lock the test grants and takes away. */
class HandLock implements LeagueLock {
  private handlers: Parameters<LeagueLock['start']>[0] | undefined;
  stopped = false;
  start(handlers: Parameters<LeagueLock['start']>[0]): void {
    this.handlers = handlers;
  }
  grant(): void {
    this.handlers!.onAcquired();
  }
  lose(): void {
    this.handlers!.onLost();
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

/** This process's MatchManager, adopting the league's matches still running in it (as a cluster host adopts every process's). */
class AdoptingHost implements LeagueMatchHost {
  private readonly local: LocalLeagueHost;
  private readonly manager: MatchManager;
  private readonly store: SqliteStore;
  constructor(manager: MatchManager, store: SqliteStore) {
    this.manager = manager;
    this.store = store;
    this.local = new LocalLeagueHost(manager);
  }
  create(input: Parameters<LeagueMatchHost['create']>[0]): Promise<HostedMatch> {
    return this.local.create(input);
  }
  async adopt(league: LeagueRow): Promise<{ readonly match: HostedMatch; readonly seats: readonly string[] }[]> {
    const rows = await this.store.listArenaMatches({ statuses: ['live'], leagueId: league.id });
    return rows.map((row) => ({ match: localHostedMatch(this.manager.get(row.matchId)!, []), seats: row.seats }));
  }
  forget(): void {}
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('arena/league/live-league with a lock', () => {
  it('schedules only while it holds the lock; when it takes it again it adopts the matches still running', async () => {
    const store = new SqliteStore(':memory:');
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    const hub = new AssignmentHub();
    const assigned: MatchAssignedMessage[] = [];
    // Two external members online that never join: their matches wait (the fake clock never runs out).
    for (const agentId of ['e1', 'e2']) hub.connect({ sessionId: `s-${agentId}`, agentId, send: (m) => assigned.push(m) });
    const config = parseLeagueConfig({
      name: 'locked',
      env: 'tic-tac-toe-v1',
      seed: 1,
      members: [
        { agentId: 'e1', agent: 'random', kind: 'external' },
        { agentId: 'e2', agent: 'random', kind: 'external' },
      ],
      schedule: { concurrency: 2 },
      stop: { matches: 10 },
    });
    const lock = new HandLock();
    const league = await LiveLeague.open({ config, store, matches: manager, hub, lock, host: new AdoptingHost(manager, store) });
    const events: LiveLeagueEvent[] = [];
    league.subscribe((event) => events.push(event));
    try {
      await league.start();
      expect(league.isScheduling).to.equal(false);
      expect(assigned).to.deep.equal([]); // standing by: nothing scheduled

      lock.grant();
      for (let i = 0; i < 50 && league.progress().live < 2; i++) await tick();
      expect(events.map((e) => e.kind)).to.include('leading');
      expect(league.progress().live).to.equal(2);
      const firstTerm = [...new Set(assigned.map((m) => m.matchId))];
      expect(firstTerm).to.have.length(2);

      lock.lose();
      expect(events.at(-1)).to.deep.equal({ kind: 'standing-by' });
      expect(league.isScheduling).to.equal(false);
      expect(league.progress().live).to.equal(0);
      // A match ending while another process schedules is not this process's to count or replace.
      manager.get(firstTerm[0]!)!.abort();
      await manager.get(firstTerm[0]!)!.whenIdle();
      await tick();
      expect(league.progress().live).to.equal(0);
      expect(new Set(assigned.map((m) => m.matchId)).size).to.equal(2);

      lock.grant();
      for (let i = 0; i < 50 && league.progress().live < 2; i++) await tick();
      const leading = events.filter((e) => e.kind === 'leading').at(-1);
      expect(leading).to.deep.include({ adopted: 1 }); // the match still running
      expect(league.progress()).to.include({ done: 1, live: 2 }); // the aborted one is stored; one new match fills up
      const secondTerm = [...new Set(assigned.map((m) => m.matchId))].filter((id) => !firstTerm.includes(id));
      expect(secondTerm).to.have.length(1);
    } finally {
      await league.stop({ abort: true });
      expect(lock.stopped).to.equal(true);
      await manager.close();
      await store.close();
    }
  });
});
