import assert from 'node:assert/strict';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveLeague, type LiveLeagueEvent } from '../../../arena/league/live-league.ts';
import { AssignmentHub } from '../../../arena/lobby/assignment-hub.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';
import { deriveSeed, LudusError } from '../../../envs/index.ts';
import { leagueMatchSeed } from '../../../arena/lobby/match-seeds.ts';
import { parseLeagueConfig, type LeagueConfig } from '../../../league/config/league-config.ts';
import { computeStandings } from '../../../league/standings.ts';
import type { LeagueStore } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

type MemberInput = { agentId: string; agent: string; kind?: 'scripted' | 'external' | 'learner' };

function leagueConfig(members: MemberInput[], stopAfter: number, extra: Record<string, unknown> = {}): LeagueConfig {
  return parseLeagueConfig({
    name: 'live-ttt',
    env: 'tic-tac-toe-v1',
    seed: 5,
    members,
    matchmaking: { strategy: 'pfsp', focal: 'any' },
    schedule: { concurrency: 2 },
    stop: { matches: stopAfter },
    ...extra,
  });
}

const IN_PROCESS: MemberInput[] = [
  { agentId: 'rnd', agent: 'random' },
  { agentId: 'fl', agent: 'first-legal' },
  { agentId: 'rnd-b', agent: 'random' },
];
const EXTERNAL: MemberInput = { agentId: 'ext-bot', agent: 'random', kind: 'external' };

interface Setup {
  readonly store: LeagueStore;
  readonly manager: MatchManager;
  readonly hub: AssignmentHub;
  readonly league: LiveLeague;
  readonly events: LiveLeagueEvent[];
}

async function setup(config: LeagueConfig, store: LeagueStore = new SqliteStore(':memory:'), hub = new AssignmentHub()): Promise<Setup> {
  const manager = await MatchManager.open({ store, clock: new FakeClock() });
  const league = await LiveLeague.open({ config, store, matches: manager, hub });
  const events: LiveLeagueEvent[] = [];
  league.subscribe((event) => events.push(event));
  return { store, manager, hub, league, events };
}

/**
 * A fake agent connection: it takes each assigned seat through the MatchRunner API (join
 * with the seat token, start once every seat is there) and plays the lowest legal action.
 */
function fakeAgent(manager: MatchManager, agentId: string, log: MatchAssignedMessage[] = []) {
  let n = 0;
  return {
    sessionId: `conn-${agentId}`,
    agentId,
    send: (message: MatchAssignedMessage) => {
      log.push(message);
      setImmediate(() => {
        const runner = manager.get(message.matchId)!;
        const sessionId = `${agentId}-${n++}`;
        runner.subscribe((event) => {
          if (event.kind !== 'send' || event.sessionId !== sessionId || event.message.type !== 'decision') return;
          const { stepIndex, legalActions } = event.message;
          setImmediate(() =>
            runner.submit(sessionId, { type: 'act', matchId: message.matchId, stepIndex, action: { id: Math.min(...legalActions.map((a) => a.id)) } }),
          );
        });
        const ack = runner.submit(sessionId, { type: 'join', matchId: message.matchId, seatToken: message.seatToken });
        expect(ack.ok, JSON.stringify(ack)).to.equal(true);
        if (!runner.isStarted && runner.seats.connectedFlags().every(Boolean)) runner.start();
      });
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function closeAll(s: Setup): Promise<void> {
  await s.league.stop({ abort: true });
  await s.manager.close();
}

describe('arena/league/live-league', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-live-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("deals from the league's secret salt: the operator reproduces every seed, the config seed predicts none", async () => {
    const s = await setup(leagueConfig(IN_PROCESS, 6));
    await s.league.start();
    await s.league.stopped;
    const id = s.league.league.id;
    const salt = await s.store.leagueSalt(id);
    const stored = (await s.store.matchSummaries(id)).map((m) => m.seed).sort();
    const expected = [0, 1, 2, 3, 4, 5].map((i) => leagueMatchSeed(salt, 'live-ttt', i)).sort();
    expect(stored).to.deep.equal(expected);
    const fromConfig = [0, 1, 2, 3, 4, 5].map((i) => deriveSeed(5, 0xe915, i));
    expect(stored.some((seed) => fromConfig.includes(seed))).to.equal(false);
    await closeAll(s);
  });

  it('plays in-process members until stop.matches, rating every match, with standings', async () => {
    const s = await setup(leagueConfig(IN_PROCESS, 8));
    await s.league.start();
    expect(s.league.progress().live).to.equal(2); // schedule.concurrency
    expect(await s.league.stopped).to.equal('matches');
    const id = s.league.league.id;
    expect(await s.store.countMatches(id)).to.equal(8);
    const ended = s.events.filter((e) => e.kind === 'match-ended');
    expect(ended).to.have.length(8);
    // Every match is rated (no self-play with three members) and its change is the stored Elo row.
    for (const e of ended) {
      if (e.kind !== 'match-ended') continue;
      expect(e.ratingChange).to.have.length(2);
      const index = (await s.store.getArenaMatch(e.matchId))!.index!;
      const rows = (await s.store.ratingHistory(id)).filter((r) => r.index === index);
      expect(rows.map((r) => [r.agentId, r.elo]).sort()).to.deep.equal(e.ratingChange!.map((c) => [c.agentId, c.after]).sort());
    }
    expect(await s.store.ratingHistory(id)).to.have.length(16);
    expect((await computeStandings(s.store, (await s.store.getLeague('live-ttt'))!)).map((r) => r.agentId).sort()).to.deep.equal(['fl', 'rnd', 'rnd-b']);
    const progress = s.league.progress();
    expect(progress).to.include({ done: 8, live: 0, target: 8 });
    const latest = await s.store.latestRatings(id);
    expect(progress.leaderElo).to.equal(Math.max(...latest.values()));
    expect(s.events.at(-1)).to.include({ kind: 'stopped', reason: 'matches' });
    await closeAll(s);
  });

  it("assigns an external member's seats through the hub; the agent joins with the seat token and its matches are rated", async () => {
    const s = await setup(leagueConfig([{ agentId: 'rnd', agent: 'random' }, EXTERNAL], 4));
    const assigned: MatchAssignedMessage[] = [];
    s.hub.connect(fakeAgent(s.manager, 'ext-bot', assigned));
    await s.league.start();
    expect(await s.league.stopped).to.equal('matches');
    expect(assigned).to.have.length(4);
    for (const a of assigned) expect(a).to.include({ type: 'match:assigned', env: 'tic-tac-toe-v1', league: 'live-ttt', agentId: 'ext-bot' });
    const id = s.league.league.id;
    const matches = await s.store.matchSummaries(id);
    expect(matches.map((m) => m.status)).to.deep.equal(['finished', 'finished', 'finished', 'finished']);
    expect(matches.every((m) => m.seats.includes('ext-bot') && m.seats.includes('rnd'))).to.equal(true);
    expect(await s.store.ratingHistory(id, 'ext-bot')).to.have.length(4);
    await closeAll(s);
  });

  it('schedules no match for an offline external member and starts once it comes online', async () => {
    const s = await setup(leagueConfig([{ agentId: 'rnd', agent: 'random' }, EXTERNAL], 2));
    await s.league.start();
    for (let i = 0; i < 5; i++) await tick();
    expect(await s.store.countMatches(s.league.league.id)).to.equal(0);
    expect(s.league.progress().live).to.equal(0);
    expect(s.events).to.deep.equal([{ kind: 'waiting', available: ['rnd'] }]);
    s.hub.connect(fakeAgent(s.manager, 'ext-bot'));
    expect(await s.league.stopped).to.equal('matches');
    expect(await s.store.countMatches(s.league.league.id)).to.equal(2);
    await closeAll(s);
  });

  it('aborts an assigned match whose agent goes offline before taking its seat', async () => {
    const s = await setup(leagueConfig([{ agentId: 'rnd', agent: 'random' }, EXTERNAL], 1));
    const silent: MatchAssignedMessage[] = [];
    const leave = s.hub.connect({ sessionId: 'quiet', agentId: 'ext-bot', send: (m) => silent.push(m) });
    await s.league.start();
    expect(silent).to.have.length(1);
    leave();
    expect(await s.league.stopped).to.equal('matches');
    expect((await s.store.getArenaMatch(silent[0]!.matchId))!.status).to.equal('aborted');
    expect(await s.store.ratingHistory(s.league.league.id)).to.deep.equal([]);
    await closeAll(s);
  });

  it('resumes after a restart: the stored matches count toward stop.matches and the Elo carries on', async () => {
    const first = await setup(leagueConfig(IN_PROCESS, 4), new SqliteStore(dir));
    await first.league.start();
    await first.league.stopped;
    const before = await first.store.latestRatings(first.league.league.id);
    await first.manager.close();
    await first.store.close();

    const s = await setup(leagueConfig(IN_PROCESS, 7), new SqliteStore(dir)); // only `stop` changed: the same league
    await s.league.start();
    expect(s.league.progress().done).to.equal(4);
    await s.league.stopped;
    const id = s.league.league.id;
    expect(await s.store.countMatches(id)).to.equal(7);
    expect(s.events.filter((e) => e.kind === 'match-ended')).to.have.length(3);
    const indexes = new Map<string, number | null>();
    for (const e of s.events) if (e.kind === 'match-ended') indexes.set(e.matchId, (await s.store.getArenaMatch(e.matchId))!.index);
    const firstResumed = s.events.find((e) => e.kind === 'match-ended' && indexes.get(e.matchId) === 4);
    if (firstResumed?.kind !== 'match-ended') throw new Error('no match at index 4');
    for (const c of firstResumed.ratingChange!) expect(c.before).to.equal(before.get(c.agentId!) ?? 1000);
    await closeAll(s);
    await s.store.close();
  });

  it('stops scheduling on stop(): running matches finish; with abort they end at once', async () => {
    const s = await setup(leagueConfig(IN_PROCESS, 1000));
    await s.league.start();
    await s.league.stop({ abort: true });
    expect(s.league.progress()).to.include({ live: 0 });
    const done = await s.store.countMatches(s.league.league.id);
    for (let i = 0; i < 5; i++) await tick();
    expect(await s.store.countMatches(s.league.league.id), 'nothing scheduled after stop').to.equal(done);
    expect(await s.league.stopped).to.equal('stopped');
    await s.manager.close();
  });

  it('stops by stop.minutes: no match starts once the time is up, running ones finish', async () => {
    const store = new SqliteStore(':memory:');
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    let time = 0;
    const config = parseLeagueConfig({ name: 'timed', env: 'tic-tac-toe-v1', members: IN_PROCESS, schedule: { concurrency: 2 }, stop: { minutes: 1 } });
    const league = await LiveLeague.open({ config, store, matches: manager, hub: new AssignmentHub(), now: () => time });
    let startedBefore = 0;
    let startedAfter = 0;
    league.subscribe((e) => {
      if (e.kind === 'match-started') {
        if (time === 0) startedBefore++;
        else startedAfter++;
      }
      if (e.kind === 'match-ended' && e.progress.done === 3) time = 60_000;
    });
    await league.start();
    expect(await league.stopped).to.equal('minutes');
    // The third match's end closes the minute: none starts after it, and those running then finish.
    expect(startedAfter).to.equal(0);
    expect(startedBefore).to.be.at.least(3);
    expect(await store.countMatches(league.league.id)).to.equal(startedBefore);
    await manager.close();
    await store.close();
  });

  it('refuses learner members and a changed config of a stored league', async () => {
    const store = new SqliteStore(':memory:');
    const hub = new AssignmentHub();
    const matches = await MatchManager.open({ store, clock: new FakeClock() });
    const learner = leagueConfig([...IN_PROCESS, { agentId: 'ppo', agent: 'random', kind: 'learner' }], 4);
    await assert.rejects(
      LiveLeague.open({ config: learner, store, matches, hub }),
      (e) => e instanceof LudusError && /learner/.test(e.message) && e.code === 'bad-config',
    );
    await LiveLeague.open({ config: leagueConfig(IN_PROCESS, 4), store, matches, hub });
    const changed = leagueConfig(IN_PROCESS, 4, { seed: 6 });
    await assert.rejects(LiveLeague.open({ config: changed, store, matches, hub }), (e) => e instanceof LudusError && e.code === 'league-config-changed');
    await store.close();
  });
});
