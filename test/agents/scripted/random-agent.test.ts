import { expect } from 'chai';
import type { DecisionRequest } from '../../../agents/agent.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { headToHead } from '../head-to-head.ts';

function request(env: AnyEnv, state: { params: unknown }, seat: number): DecisionRequest {
  return { env, params: state.params, seat, stepIndex: 0, observation: observe(env, state, seat), deadline: Infinity };
}

describe('agents/scripted/random-agent', () => {
  const ticTacToe = getEnv('tic-tac-toe-v1');

  it('plays only legal moves (no faults over 100 connect-four games)', async () => {
    const env = getEnv('connect-four-v1');
    const result = await headToHead(
      env,
      () => new RandomAgent(),
      () => new RandomAgent(),
      100,
      1,
    );
    expect(result.faults).to.equal(0);
    expect(result.wins + result.draws + result.losses).to.equal(100);
  });

  it('picks among the legal moves of a part-filled board only', () => {
    let state = ticTacToe.init(ticTacToe.parseParams({}), 0);
    for (const cell of [4, 0, 8]) state = ticTacToe.apply(state, state.moves % 2, cell);
    const agent = new RandomAgent();
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      agent.reset(1, seed);
      seen.add(agent.act(request(ticTacToe, state, 1)));
    }
    expect([...seen].sort()).to.deep.equal([1, 2, 3, 5, 6, 7]);
  });

  it('chooses near-uniformly over many seeded draws (chi-square, 8 df, p = 0.001)', () => {
    const state = ticTacToe.init(ticTacToe.parseParams({}), 0);
    const counts = new Array<number>(9).fill(0);
    const agent = new RandomAgent();
    const draws = 9000;
    for (let seed = 0; seed < draws; seed++) {
      agent.reset(0, seed);
      counts[agent.act(request(ticTacToe, state, 0))]!++;
    }
    const expected = draws / 9;
    const chi2 = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi2).to.be.below(26.12);
  });

  it('repeats its moves for the same seed and differs for another', () => {
    const state = ticTacToe.init(ticTacToe.parseParams({}), 0);
    const run = (seed: number): number[] => {
      const agent = new RandomAgent();
      agent.reset(0, seed);
      return Array.from({ length: 20 }, () => agent.act(request(ticTacToe, state, 0)));
    };
    expect(run(7)).to.deep.equal(run(7));
    expect(run(7)).to.not.deep.equal(run(8));
  });

  it('gives identical match records for the same match seed', async () => {
    const a = await headToHead(
      ticTacToe,
      () => new RandomAgent(),
      () => new RandomAgent(),
      10,
      3,
    );
    const b = await headToHead(
      ticTacToe,
      () => new RandomAgent(),
      () => new RandomAgent(),
      10,
      3,
    );
    expect(a.returns).to.deep.equal(b.returns);
  });
});
