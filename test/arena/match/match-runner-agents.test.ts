import { expect } from 'chai';
import type { Agent, DecisionRequest } from '../../../agents/agent.ts';
import { FirstLegalAgent } from '../../../agents/scripted/first-legal-agent.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv } from '../../../envs/index.ts';
import type { ActionId } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { act, currentDecision, makeHarness, seatAll, token } from './harness.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');

/** An agent whose answers the test releases by hand. */
class HeldAgent implements Agent {
  readonly name = 'held';
  readonly requests: DecisionRequest[] = [];
  private release: ((action: ActionId) => void) | undefined;

  act(request: DecisionRequest): Promise<ActionId> {
    this.requests.push(request);
    return new Promise((resolve) => {
      this.release = resolve;
    });
  }

  answer(action: ActionId): void {
    this.release?.(action);
  }
}

describe('arena/match/match-runner: in-process agent seats', () => {
  it('plays a remote session against an in-process agent to the end', async () => {
    const h = makeHarness({
      env: ticTacToe,
      seats: [
        { kind: 'remote', token: token(0) },
        { kind: 'agent', agent: new FirstLegalAgent() },
      ],
    });
    seatAll(h, [0]);
    for (const cell of [4, 8, 6, 7]) {
      if (h.runner.isOver) break;
      const decision = currentDecision(h, 's0')!;
      expect(h.submit('s0', act(decision.stepIndex, { id: cell })).ok).to.equal(true);
      await h.runner.whenIdle();
    }
    // x: 4, 8, 6 -> o (lowest free): 0, 1, 2 -> o completes the top row first.
    expect(h.finished[0]!.record.history.map((e) => (e.kind === 'decision' ? e.action : -1))).to.deep.equal([4, 0, 8, 1, 6, 2]);
    expect(h.finished[0]!.returns).to.deep.equal([-1, 1]);
    expect(h.finished[0]!.players.map((p) => p.kind)).to.deep.equal(['remote', 'agent']);
  });

  it('gives two in-process agents the same match as league playMatch with the same seed', async () => {
    for (const key of ['connect-four-v1', 'leduc-poker-v1', 'rock-paper-scissors-v1']) {
      const env = getEnv(key);
      const h = makeHarness({
        env,
        seed: 11,
        seats: [
          { kind: 'agent', agent: new RandomAgent() },
          { kind: 'agent', agent: new RandomAgent() },
        ],
      });
      h.runner.start();
      await h.runner.whenIdle();
      const league = await playMatch({ env, seed: 11, agents: [new RandomAgent(), new RandomAgent()] });
      expect(h.finished[0]!.record, key).to.deep.equal(league.record);
      expect(h.finished[0]!.returns, key).to.deep.equal(league.returns);
    }
  });

  it('applies the timeout policy when an agent throws or answers an illegal action', async () => {
    const throwing: Agent = {
      name: 'throws',
      act: () => {
        throw new Error('agent bug');
      },
    };
    const illegal: Agent = { name: 'illegal', act: () => 99 };
    const h = makeHarness({
      env: ticTacToe,
      settings: { timeoutPolicy: 'default' },
      seats: [
        { kind: 'agent', agent: throwing },
        { kind: 'agent', agent: illegal },
      ],
    });
    h.runner.start();
    await h.runner.whenIdle();
    expect(h.runner.isOver).to.equal(true);
    expect(h.finished[0]!.record.history.map((e) => (e.kind === 'decision' ? e.action : -1))).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    const errors = h.runner.log.filter((e) => e.kind === 'agent-error').map((e) => e.kind === 'agent-error' && e.message);
    expect(errors.slice(0, 2)).to.deep.equal(['agent bug', 'illegal action 99']);
  });

  it("holds an in-process agent's move until agentMoveDelayMs after its turn began", async () => {
    const h = makeHarness({
      env: ticTacToe,
      settings: { agentMoveDelayMs: 300 },
      seats: [
        { kind: 'agent', agent: new FirstLegalAgent() },
        { kind: 'remote', token: token(1) },
      ],
    });
    seatAll(h, [1]);
    await h.runner.whenIdle(); // the agent has answered: its move waits on the clock
    expect(h.runner.stepIndex).to.equal(0);
    h.clock.advance(299);
    expect(h.runner.stepIndex).to.equal(0);
    h.clock.advance(1);
    expect(h.runner.stepIndex).to.equal(1);
    expect(h.runner.record().history).to.deep.equal([{ kind: 'decision', seat: 0, action: 0 }]);
  });

  it('times a slow agent out at its deadline and ignores its late answer', async () => {
    const slow = new HeldAgent();
    const h = makeHarness({
      env: ticTacToe,
      settings: { moveTimeMs: 500, timeoutPolicy: 'default' },
      seats: [
        { kind: 'agent', agent: slow },
        { kind: 'remote', token: token(1) },
      ],
    });
    seatAll(h, [1]);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve)); // the request reaches the agent a macrotask later
    expect(slow.requests.map((r) => [r.stepIndex, r.deadline - h.clock.now()])).to.deep.equal([[0, 500]]);
    h.clock.advance(500);
    expect(h.runner.stepIndex).to.equal(1);
    slow.answer(4);
    await h.runner.whenIdle();
    expect(h.runner.record().history).to.deep.equal([{ kind: 'decision', seat: 0, action: 0 }]);
    expect(currentDecision(h, 's1')?.stepIndex).to.equal(1);
  });

  it('waits for an asynchronous reset before the first decision, and tells agents the result', async () => {
    const calls: string[] = [];
    const agent: Agent = {
      name: 'tracked',
      reset: async (seat) => {
        await Promise.resolve();
        calls.push(`reset ${seat}`);
      },
      act: (request) => {
        calls.push(`act ${request.stepIndex}`);
        return request.observation.legal[0]!;
      },
      observeEnd: (returns, seat) => {
        calls.push(`end ${seat} ${returns.join(',')}`);
      },
    };
    const h = makeHarness({
      env: getEnv('rock-paper-scissors-v1'),
      params: { rounds: 1 },
      seats: [
        { kind: 'agent', agent },
        { kind: 'agent', agent },
      ],
    });
    h.runner.start();
    await h.runner.whenIdle();
    expect(calls).to.deep.equal(['reset 0', 'reset 1', 'act 0', 'act 0', 'end 0 0,0', 'end 1 0,0']);
  });
});
