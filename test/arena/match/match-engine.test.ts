import { expect } from 'chai';
import { getEnv, type AnyEnv } from '../../../envs/index.ts';
import { parseMatchSettings } from '../../../arena/match/match-config.ts';
import { MatchEngine, type EngineHooks } from '../../../arena/match/match-engine.ts';
import { MatchLog } from '../../../arena/match/match-log.ts';
import { SeatMap } from '../../../arena/match/seat-map.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');

/** An engine on its own: no runner around it, hooks that only count what they are told. */
function engineFor(env: AnyEnv) {
  const clock = new FakeClock();
  const calls = { callbackDone: 0, finished: 0 };
  const hooks: EngineHooks = {
    callbackDone: () => {
      calls.callbackDone++;
    },
    stateChanged: () => {},
    decisionNeeded: () => {},
    timedOut: () => {},
    finished: () => {
      calls.finished++;
    },
  };
  const seats = new SeatMap([
    { kind: 'remote', token: 'a' },
    { kind: 'remote', token: 'b' },
  ]);
  const log = new MatchLog(clock);
  const engine = new MatchEngine({
    env,
    params: {},
    seed: 3,
    seats,
    settings: parseMatchSettings({ moveTimeMs: 1000 }),
    clock,
    log,
    hooks,
  });
  return { engine, clock, calls, log };
}

describe('arena/match/match-engine', () => {
  it('guards its own timers: an env failing at a deadline aborts the match, nothing escapes to the clock', () => {
    const broken: AnyEnv = {
      ...ticTacToe,
      apply: () => {
        throw new Error('apply bug');
      },
    };
    const { engine, clock, calls, log } = engineFor(broken);
    engine.start();
    expect(engine.pendingSeats()).to.deep.equal([0]);
    expect(() => clock.advance(1000)).not.to.throw();
    expect(engine.isOver).to.equal(true);
    expect(engine.outcome?.reason).to.equal('aborted');
    expect(calls).to.deep.equal({ callbackDone: 1, finished: 1 });
    expect(log.entries.some((e) => e.kind === 'internal' && e.message.includes('apply bug'))).to.equal(true);
  });

  it('reports each timer callback it ran, so its owner can deliver the result', () => {
    const { engine, clock, calls } = engineFor(ticTacToe);
    engine.start();
    clock.advance(1000); // seat 0 times out; the random policy moves for it
    expect(engine.episode.stepIndex).to.equal(1);
    expect(calls.callbackDone).to.equal(1);
    expect(engine.isOver).to.equal(false);
  });
});
