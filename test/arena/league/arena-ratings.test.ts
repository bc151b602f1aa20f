import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArenaLeague } from '../../../arena/league/arena-league.ts';
import type { CreateMatchInput } from '../../../arena/lobby/match-manager-api.ts';
import type { FinishedMatch } from '../../../arena/match/match-log.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import type { MatchEndMessage, RatingChange } from '../../../protocol/messages.ts';
import { getEnv } from '../../../envs/index.ts';
import { LeagueConfigSchema } from '../../../league/config/league-config.ts';
import { LeagueState } from '../../../league/runner/league-state.ts';
import type { LeagueStore, RatingRow } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const LEAGUE = 'arena-tic-tac-toe-v1';
const agentSeat = (agent: string, agentId: string) => ({ kind: 'agent' as const, agent, agentId });

/** Six matches among three in-process agents, every pair in both seat orders. */
const ROUND: CreateMatchInput[] = [
  ['rnd', 'fl'],
  ['fl', 'rnd'],
  ['rnd', 'rnd-2'],
  ['rnd-2', 'rnd'],
  ['fl', 'rnd-2'],
  ['rnd-2', 'fl'],
].map(([a, b], i) => ({
  env: 'tic-tac-toe-v1',
  seed: 100 + i,
  seats: [agentSeat(a === 'fl' ? 'first-legal' : 'random', a!), agentSeat(b === 'fl' ? 'first-legal' : 'random', b!)],
}));

/** Creates the matches at once and waits until every one ended. */
async function playAll(manager: MatchManager, inputs: readonly CreateMatchInput[]): Promise<string[]> {
  const ids: string[] = [];
  for (const input of inputs) ids.push((await manager.create(input)).matchId);
  await Promise.all(ids.map((id) => manager.get(id)!.whenIdle()));
  return ids;
}

/** The rows a fresh LeagueState gives for the stored matches, in index order: the reference. */
async function referenceFold(store: LeagueStore, leagueName: string): Promise<RatingRow[]> {
  const league = (await store.getLeague(leagueName))!;
  const config = LeagueConfigSchema.parse(league.config);
  const state = new LeagueState(config.ratings.elo, config.ratings.faults, getEnv(league.env).spec.utility, config.ratings.openskill);
  return (await store.matchSummaries(league.id)).flatMap((m) => state.apply(m));
}

const byIndexAndId = (rows: readonly RatingRow[]): RatingRow[] => rows.slice().sort((a, b) => a.index - b.index || a.agentId.localeCompare(b.agentId));

/** Each seat's stored Elo after the match at `index`, and before it (the agent's previous row, or the initial 1000). */
async function storedChange(store: LeagueStore, leagueId: number, index: number): Promise<RatingChange[]> {
  const seats = (await store.getMatch(leagueId, index))!.seats;
  const histories = await Promise.all(seats.map((agentId) => store.ratingHistory(leagueId, agentId)));
  return seats.map((agentId, seat) => {
    const history = histories[seat]!;
    const at = history.findIndex((r) => r.index === index);
    return { seat, agentId, before: at > 0 ? history[at - 1]!.elo : 1000, after: history[at]!.elo };
  });
}

describe('MatchRunner rate option', () => {
  /** A two-seat match with both seats joined, ended by abort; returns what session s0 got as match:end. */
  function endWith(rate: (result: FinishedMatch) => RatingChange[] | undefined): { end: MatchEndMessage | undefined; runner: MatchRunner } {
    const runner = new MatchRunner({
      matchId: 'm-rate',
      env: getEnv('tic-tac-toe-v1'),
      seed: 1,
      clock: new FakeClock(),
      rate,
      seats: [
        { kind: 'remote', token: 't0' },
        { kind: 'remote', token: 't1' },
      ],
    });
    let end: MatchEndMessage | undefined;
    runner.subscribe((e) => {
      if (e.kind === 'send' && e.sessionId === 's0' && e.message.type === 'match:end') end = e.message;
    });
    runner.submit('s0', { type: 'join', matchId: 'm-rate', seatToken: 't0' });
    runner.submit('s1', { type: 'join', matchId: 'm-rate', seatToken: 't1' });
    runner.abort();
    return { end, runner };
  }

  it('puts what rate returns on match:end and on the result, rate having seen the finished match', () => {
    const change = [
      { seat: 0, agentId: 'a', before: 1000, after: 990 },
      { seat: 1, agentId: 'b', before: 1000, after: 1010 },
    ];
    const seen: string[] = [];
    const { end, runner } = endWith((result) => {
      seen.push(`${result.matchId}:${result.reason}`);
      return change;
    });
    expect(seen).to.deep.equal(['m-rate:aborted']);
    expect(end!.ratingChange).to.deep.equal(change);
    expect(runner.result!.ratingChange).to.deep.equal(change);
  });

  it('sends match:end without a rating change when rate throws, and logs why', () => {
    const { end, runner } = endWith(() => {
      throw new Error('store is gone');
    });
    expect(end).to.include({ type: 'match:end', reason: 'aborted' });
    expect(end).to.not.have.property('ratingChange');
    expect(runner.log.some((e) => e.kind === 'internal' && e.message.includes('store is gone'))).to.equal(true);
  });
});

describe('arena/league/arena-ratings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-ratings-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores Elo rows with every finished match, in finish order, equal to a fold of the stored matches', async () => {
    const store = new SqliteStore(':memory:');
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    const ids = await playAll(manager, ROUND);
    const league = (await store.getLeague(LEAGUE))!;
    expect(await store.countMatches(league.id)).to.equal(6);
    expect(league.ratedThrough).to.equal(6);
    const history = await store.ratingHistory(league.id);
    expect(history).to.have.length(12);
    expect(byIndexAndId(history)).to.deep.equal(byIndexAndId(await referenceFold(store, LEAGUE)));
    expect(
      history.some((r) => r.elo !== 1000),
      'some rating moved',
    ).to.equal(true);
    // Each runner's change is the stored one at the index its match got.
    for (const matchId of ids) {
      const index = (await store.getArenaMatch(matchId))!.index!;
      expect(manager.get(matchId)!.result!.ratingChange).to.deep.equal(await storedChange(store, league.id, index));
    }
    await manager.close();
    await store.close();
  });

  it("sends +16/-16 (K = 32) on a remote seat's match:end for the first win between fresh agents", async () => {
    const store = new SqliteStore(':memory:');
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    const { matchId, seatTokens } = await manager.create({
      env: 'tic-tac-toe-v1',
      seats: [{ kind: 'remote', agentId: 'x-bot' }, agentSeat('first-legal', 'o-bot')],
    });
    const runner = manager.get(matchId)!;
    const ends: MatchEndMessage[] = [];
    runner.subscribe((event) => {
      if (event.kind !== 'send' || event.sessionId !== 's0') return;
      const message = event.message;
      if (message.type === 'match:end') ends.push(message);
      // Both take the lowest free cell: x (seat 0) completes the 2-4-6 diagonal first.
      if (message.type === 'decision') {
        setImmediate(() =>
          runner.submit('s0', { type: 'act', matchId, stepIndex: message.stepIndex, action: { id: Math.min(...message.legalActions.map((a) => a.id)) } }),
        );
      }
    });
    expect(runner.submit('s0', { type: 'join', matchId, seatToken: seatTokens[0] }).ok).to.equal(true);
    runner.start();
    while (!runner.isOver) await new Promise((resolve) => setImmediate(resolve));
    await runner.whenIdle();
    expect(ends).to.have.length(1);
    expect(ends[0]!.returns).to.deep.equal([1, -1]);
    expect(ends[0]!.ratingChange).to.deep.equal([
      { seat: 0, agentId: 'x-bot', before: 1000, after: 1016 },
      { seat: 1, agentId: 'o-bot', before: 1000, after: 984 },
    ]);
    const league = (await store.getLeague(LEAGUE))!;
    expect(Object.fromEntries(await store.latestRatings(league.id))).to.deep.equal({ 'x-bot': 1016, 'o-bot': 984 });
    await manager.close();
    await store.close();
  });

  it('stores an aborted match without rating it, and rates the next one at the following index', async () => {
    const store = new SqliteStore(':memory:');
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    const { matchId } = await manager.create({
      env: 'tic-tac-toe-v1',
      seats: [
        { kind: 'remote', agentId: 'p' },
        { kind: 'remote', agentId: 'q' },
      ],
    });
    const runner = manager.get(matchId)!;
    runner.abort();
    await runner.whenIdle();
    const league = (await store.getLeague(LEAGUE))!;
    expect((await store.getMatch(league.id, 0))!.status).to.equal('aborted');
    expect(runner.result!.ratingChange).to.equal(undefined);
    expect(await store.ratingHistory(league.id)).to.deep.equal([]);
    const [rated] = await playAll(manager, ROUND.slice(0, 1));
    expect((await store.getArenaMatch(rated!))!.index).to.equal(1);
    expect((await store.ratingHistory(league.id)).map((r) => r.index)).to.deep.equal([1, 1]);
    expect((await store.getLeague(LEAGUE))!.ratedThrough).to.equal(2);
    await manager.close();
    await store.close();
  });

  it('continues the same Elo after a crash: a fresh manager folds the stored matches first', async () => {
    const first = new SqliteStore(dir);
    await playAll(await MatchManager.open({ store: first, clock: new FakeClock() }), ROUND.slice(0, 3));
    const league = (await first.getLeague(LEAGUE))!;
    const latest = await first.latestRatings(league.id);
    await first.close(); // the process dies

    const store = new SqliteStore(dir);
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    const [next] = await playAll(manager, ROUND.slice(3, 4));
    const change = manager.get(next!)!.result!.ratingChange!;
    expect(change.map((c) => c.before)).to.deep.equal(change.map((c) => latest.get(c.agentId!) ?? 1000));
    await playAll(manager, ROUND.slice(4));
    expect(byIndexAndId(await store.ratingHistory(league.id))).to.deep.equal(byIndexAndId(await referenceFold(store, LEAGUE)));
    expect((await store.getLeague(LEAGUE))!.ratedThrough).to.equal(6);
    await manager.close();
    await store.close();
  });

  it('writes the Elo rows a store lacks for matches stored before ratings, on first use', async () => {
    const store = new SqliteStore(':memory:');
    const league = await openArenaLeague(store, getEnv('tic-tac-toe-v1'));
    const old = [
      ['a', 'b', [1, -1]],
      ['b', 'a', [0, 0]],
    ] as const;
    old.forEach(async ([x, y, returns], i) => {
      await store.startArenaMatch({ matchId: `old-${i}`, leagueId: league.id, env: 'tic-tac-toe-v1', seats: [x, y], createdAt: '2026-01-01T00:00:00.000Z' });
      await store.finishArenaMatch(`old-${i}`, { seed: i, seats: [x, y], returns: returns.slice(), length: 5, status: 'finished', fault: null, record: null });
    });
    expect(await store.ratingHistory(league.id)).to.deep.equal([]);
    const manager = await MatchManager.open({ store, clock: new FakeClock() });
    // a beat b (+16/-16), then a draw at 1016 vs 984 moves a down by 32 * (0.5 - E(a)).
    const state = await manager.ratings.state(LEAGUE);
    const expected = 1 / (1 + 10 ** ((984 - 1016) / 400));
    expect(state.elo.rating('a')).to.be.closeTo(1016 + 32 * (0.5 - expected), 1e-9);
    expect((await store.ratingHistory(league.id)).map((r) => r.index)).to.deep.equal([0, 0, 1, 1]);
    expect((await store.getLeague(LEAGUE))!.ratedThrough).to.equal(2);
    await manager.close();
    await store.close();
  });

  it('never loses a match to a rating error: a league whose config cannot rate stores it unrated', async () => {
    const store = new SqliteStore(':memory:');
    await store.openLeague({ name: 'odd', env: 'tic-tac-toe-v1', config: { not: 'a league config' }, configHash: 'h', seed: 0 });
    const errors: unknown[] = [];
    const manager = await MatchManager.open({ store, clock: new FakeClock(), onStoreError: (error) => errors.push(error) });
    const [matchId] = await playAll(manager, [{ ...ROUND[0]!, league: 'odd' }]);
    expect(errors).to.deep.equal([]);
    expect((await store.getArenaMatch(matchId!))!.status).to.equal('finished');
    expect(manager.get(matchId!)!.result!.ratingChange).to.equal(undefined);
    expect(await store.countMatches((await store.getLeague('odd'))!.id)).to.equal(1);
    await manager.close();
    await store.close();
  });
});
