import { expect } from 'chai';
import type { Agent } from '../../../agents/agent.ts';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import { forfeitReturns } from '../../../arena/match/timeout-policy.ts';
import { TickStats } from '../../../arena/match/tick-stats.ts';
import { getEnv } from '../../../envs/index.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import type { ServerMessage, TickMessage } from '../../../protocol/messages.ts';
import { act, MATCH_ID, makeHarness, seatAll, type Harness } from './harness.ts';
import { tugOfWar } from './tug-of-war-env.ts';

const PERIOD = 50; // 20 Hz
const input = (action: number, seq: number, seat?: number): unknown => ({
  type: 'input',
  matchId: MATCH_ID,
  action,
  seq,
  ...(seat === undefined ? {} : { seat }),
});
const ticksOf = (messages: readonly ServerMessage[]): TickMessage[] => messages.filter((m): m is TickMessage => m.type === 'tick');
const knotOf = (h: Harness): number => (h.runner.state as { knot: number }).knot;

function started(params: Record<string, unknown> = {}, settings = {}): Harness {
  const h = makeHarness({ env: tugOfWar, params, settings });
  seatAll(h, [0, 1]);
  return h;
}

describe('arena/match/tick-engine: real-time matches', () => {
  it('ticks on its schedule without waiting for anybody, playing default actions', () => {
    const h = started();
    expect(h.runner.realtime).to.deep.include({ tickHz: 20, input: 'held', defaultActions: [0, 0] });
    h.clock.advance(PERIOD * 20 - 1);
    expect(h.runner.tick).to.equal(19);
    h.clock.advance(1);
    expect(h.runner.tick).to.equal(20);
    expect(knotOf(h)).to.equal(0);
    expect(h.runner.pendingSeats()).to.deep.equal([]);
  });

  it('holds an input until the seat changes it (held mode), and the team that pulls wins', () => {
    const h = started({ goal: 3 });
    const ack = h.submit('s1', input(1, 1));
    expect(ack).to.deep.equal({ ok: true, result: { type: 'input', seat: 1, seq: 1, tick: 1 } });
    h.clock.advance(PERIOD * 2);
    expect(knotOf(h)).to.equal(2);
    h.clock.advance(PERIOD);
    expect(h.runner.isOver).to.equal(true);
    expect(h.finished[0]!.returns).to.deep.equal([-1, 1]);
    expect(h.finished[0]!.reason).to.equal('terminal');
    expect(h.finished[0]!.record.end).to.equal('terminal');
  });

  it('applies a consumed input to exactly one tick', () => {
    const h = started({ input: 'consumed' });
    h.submit('s0', input(1, 1));
    h.clock.advance(PERIOD * 5);
    expect(knotOf(h)).to.equal(-1);
  });

  it('never rejects an input as late: one sent between ticks applies at the next tick', () => {
    const h = started();
    h.clock.advance(PERIOD * 3 + 20);
    const ack = h.submit('s0', input(1, 7));
    expect(ack.ok && ack.result.type === 'input' && ack.result.tick).to.equal(4);
    expect(knotOf(h)).to.equal(0);
    h.clock.advance(PERIOD - 20);
    expect(knotOf(h)).to.equal(-1);
  });

  it("orders a seat's inputs by seq: an older one is refused and changes nothing", () => {
    const h = started();
    h.submit('s0', input(1, 5));
    const ack = h.submit('s0', input(0, 4));
    expect(!ack.ok && ack.error.code).to.equal('stale');
    h.clock.advance(PERIOD);
    expect(knotOf(h)).to.equal(-1);
  });

  it('sends each seat its own observation every tick, or every tickEvery ticks, with the last applied seq', () => {
    const h = makeHarness({ env: tugOfWar, params: { goal: 50 } });
    h.submit('s0', { type: 'join', matchId: MATCH_ID, seatToken: 'token-0', states: false });
    h.submit('s1', { type: 'join', matchId: MATCH_ID, seatToken: 'token-1', states: false, tickEvery: 5 });
    h.runner.start();
    h.submit('s0', input(1, 3));
    h.clock.advance(PERIOD * 10);
    const own = ticksOf(h.inbox('s0'));
    expect(own.map((m) => m.tick)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(own.every((m) => m.seat === 0 && m.lastSeq === 3)).to.equal(true);
    expect(own[9]!.tensor).to.deep.equal(Array.from(tugOfWar.observationTensor(h.runner.state as never, 0)));
    const other = ticksOf(h.inbox('s1'));
    expect(other.map((m) => m.tick)).to.deep.equal([5, 10]);
    expect(other.every((m) => m.seat === 1 && m.lastSeq === null)).to.equal(true);
    // Agents that asked for no states get no per-tick state messages.
    expect(h.inbox('s0').filter((m) => m.type === 'state')).to.have.length(0);
  });

  it('sends spectators the view every few ticks, and none to one that syncs it otherwise', () => {
    const h = makeHarness({ env: tugOfWar, params: { goal: 50 }, settings: { realtime: { spectatorEvery: 4 } } });
    h.submit('watcher', { type: 'spectate', matchId: MATCH_ID });
    h.submit('patched', { type: 'spectate', matchId: MATCH_ID, states: false });
    seatAll(h, [0, 1]);
    const before = h.inbox('watcher').filter((m) => m.type === 'state').length;
    h.clock.advance(PERIOD * 12);
    expect(h.inbox('watcher').filter((m) => m.type === 'state').length - before).to.equal(3);
    expect(h.inbox('patched').filter((m) => m.type === 'state')).to.have.length(0);
    expect(h.inbox('patched').filter((m) => m.type === 'match:start')).to.have.length(1);
  });

  it("truncates at the env's step cap and says so in the record", () => {
    const h = started({ maxTicks: 10 });
    h.clock.advance(PERIOD * 10);
    expect(h.runner.isOver).to.equal(true);
    expect(h.finished[0]!.record.end).to.equal('truncated');
    expect(h.finished[0]!.returns).to.deep.equal([0, 0]);
  });

  it("plays a dropped seat's default action at once, never forfeits it, and takes it back on rejoin", () => {
    const h = started({ goal: 50 });
    h.submit('s0', input(1, 1));
    h.clock.advance(PERIOD * 2);
    expect(knotOf(h)).to.equal(-2);
    h.runner.disconnect('s0');
    h.clock.advance(PERIOD * 3);
    expect(knotOf(h)).to.equal(-2);
    expect(h.runner.isOver).to.equal(false);
    h.submit('s0b', { type: 'join', matchId: MATCH_ID, seatToken: 'token-0' });
    h.submit('s0b', input(1, 2));
    h.clock.advance(PERIOD);
    expect(knotOf(h)).to.equal(-3);
  });

  it('lets a fallback agent play a seat while its connection is gone', () => {
    const alwaysPull: Agent = { name: 'puller', act: () => 1 } as unknown as Agent;
    const h = makeHarness({ env: tugOfWar, params: { goal: 50 } }); // for its clock
    const runner = new MatchRunner({
      matchId: 'fallback',
      env: tugOfWar,
      params: { goal: 50 },
      seed: 1,
      clock: h.clock,
      seats: [
        { kind: 'remote', token: 'a' },
        { kind: 'remote', token: 'b' },
      ],
      fallbackAgent: () => alwaysPull,
    });
    runner.submit('x', { type: 'join', matchId: 'fallback', seatToken: 'a' });
    runner.submit('y', { type: 'join', matchId: 'fallback', seatToken: 'b' });
    runner.start();
    runner.disconnect('y');
    return drain(h, 10).then(() => {
      expect((runner.state as { knot: number }).knot).to.be.greaterThan(0);
      expect(runner.log.some((e) => e.kind === 'timeout' && e.seat === 1)).to.equal(true);
      runner.abort();
    });
  });

  it('answers turn-based messages in real time, and inputs in turn-based matches, with typed errors', () => {
    const h = started();
    const acted = h.submit('s0', act(0, { id: 1 }));
    expect(!acted.ok && acted.error.code).to.equal('unknown-message');
    const turnBased = makeHarness({ env: getEnv('tic-tac-toe-v1') });
    seatAll(turnBased, [0, 1]);
    const sent = turnBased.submit('s0', input(4, 1));
    expect(!sent.ok && sent.error.code).to.equal('unknown-message');
  });

  it('validates inputs in the pipeline order: identity, then the action id', () => {
    const h = makeHarness({ env: tugOfWar });
    h.submit('watcher', { type: 'spectate', matchId: MATCH_ID });
    seatAll(h, [0, 1]);
    const codes = [
      h.submit('watcher', input(1, 1)),
      h.submit('nobody', input(1, 1)),
      h.submit('s0', input(1, 1, 1)),
      h.submit('s0', input(2, 1)),
      h.submit('s0', { ...(input(1, 1) as object), matchId: 'elsewhere' }),
    ].map((ack) => (ack.ok ? 'ok' : ack.error.code));
    expect(codes).to.deep.equal(['spectator-cannot-act', 'not-your-seat', 'not-your-seat', 'bad-action', 'unknown-match']);
    h.clock.advance(PERIOD * 2);
    expect(knotOf(h)).to.equal(0);
  });

  it('derives the rate budget from the tick rate', () => {
    const h = makeHarness({
      env: tugOfWar,
      params: { tickHz: 30, goal: 1000, maxTicks: 100000 },
      settings: { rateLimit: { capacity: 20, refillPerSecond: 10 } },
    });
    seatAll(h, [0, 1]);
    // A burst of two seconds' worth at 30 Hz (60) for the seat (the join was the unbound session's), instead of the 20 the settings say.
    const acks = Array.from({ length: 61 }, (_, i) => h.submit('s0', input(i % 2, i + 1)));
    expect(acks.slice(0, 60).every((ack) => ack.ok)).to.equal(true);
    expect(!acks[60]!.ok && acks[60]!.error.code).to.equal('rate-limited');
    h.clock.advance(1000);
    expect(h.submit('s0', input(1, 100)).ok).to.equal(true);
  });

  it('counts ticks on time and input waits in a shared TickStats', () => {
    const stats = new TickStats();
    const h = makeHarness({ env: tugOfWar });
    const runner = new MatchRunner({
      matchId: 'stats',
      env: tugOfWar,
      params: { goal: 50 },
      seed: 1,
      clock: h.clock,
      tickStats: stats,
      seats: [
        { kind: 'remote', token: 'a' },
        { kind: 'remote', token: 'b' },
      ],
    });
    runner.submit('x', { type: 'join', matchId: 'stats', seatToken: 'a' });
    runner.submit('y', { type: 'join', matchId: 'stats', seatToken: 'b' });
    runner.start();
    h.clock.advance(10);
    runner.submit('x', { type: 'input', matchId: 'stats', action: 1, seq: 1 });
    h.clock.advance(PERIOD * 4 - 10);
    const snapshot = stats.snapshot();
    expect(snapshot.ticks).to.equal(4);
    expect(snapshot.onTimeRatio).to.equal(1);
    expect(snapshot.inputsReceived).to.equal(1);
    expect(snapshot.inputsApplied).to.equal(1);
    expect(snapshot.inputToApplyP50Ms).to.be.closeTo(40, 0.11);
    runner.abort();
  });
});

describe('arena/match/tick-engine: a stalled process', () => {
  it('gives up the slots it missed instead of fast-forwarding the game', () => {
    const fake = new FakeClock();
    let stall = 0;
    const clock = { now: () => fake.now() + stall, schedule: (ms: number, fn: () => void) => fake.schedule(ms, fn) };
    const stats = new TickStats();
    const runner = new MatchRunner({
      matchId: 'stall',
      env: tugOfWar,
      params: { goal: 50, maxTicks: 10_000 },
      seed: 1,
      clock,
      tickStats: stats,
      seats: [
        { kind: 'remote', token: 'a' },
        { kind: 'remote', token: 'b' },
      ],
    });
    runner.submit('x', { type: 'join', matchId: 'stall', seatToken: 'a' });
    runner.submit('y', { type: 'join', matchId: 'stall', seatToken: 'b' });
    runner.start();
    fake.advance(PERIOD * 10);
    expect(runner.tick).to.equal(10);
    stall = 1000; // the process was away for a second, i.e. 20 slots
    fake.advance(PERIOD);
    expect(runner.tick, 'one late tick, not a burst of 20').to.equal(11);
    // The stall covered 20 slots: the late tick 11 took one, the other 19 are skipped.
    expect(stats.snapshot().slotsSkipped).to.equal(19);
    fake.advance(PERIOD * 10);
    expect(runner.tick).to.equal(21);
    const snapshot = stats.snapshot();
    expect(snapshot.ticks).to.equal(21);
    expect(snapshot.onTime).to.equal(20);
    runner.abort();
  });
});

describe('arena/match/timeout-policy: forfeits in team games', () => {
  it("gives the forfeiting seat's whole team the minimum and the other team the rest", () => {
    const params = tugOfWar.parseParams({ teamSize: 2 });
    expect(forfeitReturns(tugOfWar, params, 1)).to.deep.equal([-1, -1, 1, 1]);
    expect(forfeitReturns(tugOfWar, params, 2)).to.deep.equal([1, 1, -1, -1]);
  });
});

/** Lets in-process agents (asked on macrotasks) answer between fake-clock ticks. */
async function drain(h: Harness, ticks: number): Promise<void> {
  for (let i = 0; i < ticks; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    h.clock.advance(PERIOD);
  }
}
