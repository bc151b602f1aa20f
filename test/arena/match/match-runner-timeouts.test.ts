import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import type { TicTacToeState } from '../../../envs/games/tic-tac-toe/index.ts';
import type { TimeoutPolicy } from '../../../arena/match/timeout-policy.ts';
import { act, currentDecision, expectRejected, makeHarness, MATCH_ID, seatAll, token, type Harness } from './harness.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');
const board = (h: Harness): number[] => (h.runner.state as TicTacToeState).board;

function ticTacToeWith(timeoutPolicy: TimeoutPolicy, settings = {}, seed = 7): Harness {
  const h = makeHarness({ env: ticTacToe, seed, settings: { moveTimeMs: 1000, reconnectWindowMs: 5000, timeoutPolicy, ...settings } });
  seatAll(h, [0, 1]);
  return h;
}

describe('arena/match/match-runner: clocks and timeouts', () => {
  it('does nothing before the deadline', () => {
    const h = ticTacToeWith('default');
    h.clock.advance(999);
    expect(h.runner.stepIndex).to.equal(0);
    expect(h.runner.log.filter((e) => e.kind === 'timeout')).to.deep.equal([]);
  });

  it("'default' plays the lowest legal id at the deadline and tells the seat", () => {
    const h = ticTacToeWith('default');
    expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
    h.clock.advance(1000);
    expect(board(h)[0], 'o took cell 0, the lowest free one').to.equal(2);
    expect(h.runner.stepIndex).to.equal(2);
    const errors = h.inbox('s1').filter((m) => m.type === 'error');
    expect(errors.map((m) => m.type === 'error' && m.code)).to.deep.equal(['timeout']);
    expect(h.runner.log.filter((e) => e.kind === 'timeout')).to.deep.equal([
      { at: h.clock.now(), kind: 'timeout', seat: 1, stepIndex: 1, cause: 'deadline', policy: 'default', action: 0 },
    ]);
    expectRejected(h, 's1', act(1, { id: 8 }), 'stale');
  });

  it("'random' plays a legal move drawn from the seeded RNG: the same seed gives the same move", () => {
    const moves = [1, 1, 2].map((seed) => {
      const h = ticTacToeWith('random', {}, seed);
      h.clock.advance(1000);
      const entry = h.runner.log.find((e) => e.kind === 'timeout');
      return entry?.kind === 'timeout' ? entry.action : null;
    });
    expect(moves[0]).to.be.a('number').within(0, 8);
    expect(moves[1]).to.equal(moves[0]);
  });

  it("'forfeit' ends the match at the deadline: the seat loses", () => {
    const h = ticTacToeWith('forfeit');
    h.clock.advance(1000);
    expect(h.runner.isOver).to.equal(true);
    const result = h.finished[0]!;
    expect([result.reason, result.forfeitedBy, result.returns]).to.deep.equal(['forfeit', 0, [-1, 1]]);
    expect(h.inbox('s1').filter((m) => m.type === 'match:end')).to.deep.equal([
      { type: 'match:end', matchId: MATCH_ID, returns: [-1, 1], reason: 'forfeit', forfeitedBy: 0 },
    ]);
    expect(result.log.map((e) => e.kind)).to.deep.equal(['start', 'timeout', 'end']);
    expect(h.clock.pending, 'no timer outlives the match').to.equal(0);
  });

  it('cuts the move time short with what is left of the time bank', () => {
    const h = ticTacToeWith('default', { totalTimeMs: 1500 });
    h.clock.advance(800);
    expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
    expect(h.submit('s1', act(1, { id: 0 })).ok).to.equal(true);
    const decision = currentDecision(h, 's0')!;
    expect(decision.deadline - h.clock.now()).to.equal(700);
    h.clock.advance(700);
    expect(h.runner.stepIndex, 'the bank ran out: the policy moved').to.equal(3);
  });

  it('times a simultaneous step out for the seat that did not answer, keeping the held answer', () => {
    const h = makeHarness({ env: getEnv('rock-paper-scissors-v1'), params: { rounds: 1 }, settings: { moveTimeMs: 1000, timeoutPolicy: 'default' } });
    seatAll(h, [0, 1]);
    expect(h.submit('s1', act(0, { text: '[scissors]' })).ok).to.equal(true);
    h.clock.advance(1000);
    expect(h.finished[0]!.record.history).to.deep.equal([{ kind: 'joint', actions: [0, 2] }]);
    expect(h.finished[0]!.returns).to.deep.equal([1, -1]);
  });
});

describe('arena/match/match-runner: disconnects', () => {
  it('rebinds a seat that reconnects within the window and carries on', () => {
    const h = ticTacToeWith('forfeit', { moveTimeMs: 60_000 });
    h.runner.disconnect('s0');
    h.clock.advance(4000);
    const ack = h.runner.reconnect(token(0), 's0-again');
    expect(ack).to.deep.equal({ ok: true, result: { type: 'joined', seats: [0] } });
    const got = h.inbox('s0-again').map((m) => m.type);
    expect(got).to.deep.equal(['match:start', 'state', 'decision']);
    expect(currentDecision(h, 's0-again')!.stepIndex).to.equal(0);
    h.clock.advance(2000);
    expect(h.runner.isOver, 'the closed window no longer applies').to.equal(false);
    expectRejected(h, 's0', act(0, { id: 4 }), 'not-your-seat');
    expect(h.submit('s0-again', act(0, { id: 4 })).ok).to.equal(true);
    expect(h.runner.log.map((e) => e.kind)).to.deep.equal(['start', 'disconnect', 'reconnect']);
  });

  it('shows the others that a seat dropped', () => {
    const h = ticTacToeWith('forfeit');
    h.runner.disconnect('s0');
    const last = h
      .inbox('s1')
      .filter((m) => m.type === 'state')
      .pop();
    expect(last?.type === 'state' && last.connected).to.deep.equal([false, true]);
  });

  it("forfeits a seat whose window closes under the 'forfeit' policy, and refuses it afterwards", () => {
    const h = ticTacToeWith('forfeit', { moveTimeMs: 60_000 });
    expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
    h.runner.disconnect('s0'); // seat 0 is not even to act
    h.clock.advance(5000);
    expect([h.finished[0]?.reason, h.finished[0]?.forfeitedBy, h.finished[0]?.returns]).to.deep.equal(['forfeit', 0, [-1, 1]]);
    const late = h.runner.reconnect(token(0), 's0-late');
    expect(!late.ok && late.error.code).to.equal('game-over');
  });

  it("lets the 'random' policy play an abandoned seat's moves at once, until it reconnects", () => {
    const h = ticTacToeWith('random', { moveTimeMs: 60_000 });
    h.runner.disconnect('s0');
    h.clock.advance(5000);
    expect(h.runner.stepIndex, 'seat 0 moved for itself when its window closed').to.equal(1);
    expect(h.submit('s1', act(1, { id: board(h).indexOf(0) })).ok).to.equal(true);
    expect(h.runner.stepIndex, 'and again as soon as it was its turn').to.equal(3);
    expect(h.runner.reconnect(token(0), 's0-back').ok).to.equal(true);
    expect(h.submit('s1', act(3, { id: board(h).indexOf(0) })).ok).to.equal(true);
    expect(h.runner.stepIndex, 'a returned seat plays for itself again').to.equal(4);
    expect(currentDecision(h, 's0-back')?.stepIndex).to.equal(4);
    const kinds = h.runner.log.map((e) => (e.kind === 'timeout' ? `timeout:${e.cause}` : e.kind));
    expect(kinds).to.deep.equal(['start', 'disconnect', 'abandon', 'timeout:abandoned', 'timeout:abandoned', 'reconnect']);
  });

  it('still applies the per-move deadline while a seat is away within its window', () => {
    const h = ticTacToeWith('default', { moveTimeMs: 1000, reconnectWindowMs: 10_000 });
    h.runner.disconnect('s0');
    h.clock.advance(1000);
    expect(board(h)[0]).to.equal(1);
    expect(h.runner.isOver).to.equal(false);
  });

  it('drops a spectator without touching the seats', () => {
    const h = ticTacToeWith('default');
    h.submit('spec', { type: 'spectate', matchId: MATCH_ID });
    h.runner.disconnect('spec');
    expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
    expect(h.inbox('spec').filter((m) => m.type === 'state' && m.stepIndex === 1)).to.deep.equal([]);
    expect(h.runner.log.map((e) => e.kind)).to.deep.equal(['start']);
  });
});
