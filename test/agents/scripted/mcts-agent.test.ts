import { expect } from 'chai';
import type { Agent } from '../../../agents/agent.ts';
import { createAgent } from '../../../agents/registry.ts';
import { MctsAgent } from '../../../agents/scripted/mcts-agent.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { headToHead } from '../head-to-head.ts';
import { coinGamble } from './coin-games.ts';

/** Seat `seat`'s choices at the first decision over several seeds. */
function firstChoices(env: AnyEnv, params: unknown, seat: number, seeds: number, sims: number): number[] {
  let state = env.init(env.parseParams(params), 0);
  for (let s = 0; s < seat; s++) state = env.apply(state, s, 0);
  const agent = new MctsAgent(env, { sims });
  return Array.from({ length: seeds }, (_, seed) => {
    agent.reset(seat, seed);
    const request = { env, params: state.params, seat, stepIndex: 0, observation: observe(env, state, seat), deadline: Infinity };
    return agent.actFromState(request, state) as number;
  });
}

describe('agents/scripted/mcts-agent', () => {
  it('beats random at tic-tac-toe (mean return >= 0.6 over 40 games, alternating seats)', async () => {
    const env = getEnv('tic-tac-toe-v1');
    const result = await headToHead(
      env,
      () => new MctsAgent(env),
      () => new RandomAgent(),
      40,
      21,
    );
    const mean = result.returns.reduce((a, b) => a + b, 0) / result.returns.length;
    expect(result.faults).to.equal(0);
    expect(mean).to.be.at.least(0.6);
  });

  it('with 1000 simulations wins at least 19 of 20 connect-four games against random', async function () {
    this.timeout(120_000);
    const env = getEnv('connect-four-v1');
    const result = await headToHead(
      env,
      () => createAgent({ kind: 'mcts', options: { sims: 1000 } }, env),
      () => new RandomAgent(),
      20,
      31,
    );
    expect(result.faults).to.equal(0);
    expect(result.wins).to.be.at.least(19);
  });

  it('plays simultaneous rock-paper-scissors without error, against random and itself', async () => {
    const env = getEnv('rock-paper-scissors-v1');
    const vsRandom = await headToHead(
      env,
      () => new MctsAgent(env, { sims: 50 }),
      () => new RandomAgent(),
      10,
      41,
    );
    expect(vsRandom.faults).to.equal(0);
    const selfPlay = await playMatch({ env, seed: 3, agents: [new MctsAgent(env, { sims: 50 }), new MctsAgent(env, { sims: 50 })] });
    expect(selfPlay.fault).to.equal(undefined);
    expect(selfPlay.returns[0]! + selfPlay.returns[1]!).to.equal(0);
    expect(selfPlay.length).to.equal(5);
  });

  it('weighs chance outcomes by probability and plays for its own seat in a 3-seat game', () => {
    // Gambling is worth p against 0.5 for playing safe, for every seat.
    for (const seat of [0, 1, 2]) {
      const favourable = firstChoices(coinGamble, { seats: 3, p: 0.8 }, seat, 10, 300);
      const unfavourable = firstChoices(coinGamble, { seats: 3, p: 0.25 }, seat, 10, 300);
      expect(favourable.filter((a) => a === 1).length, `seat ${seat}, p 0.8`).to.be.at.least(9);
      expect(unfavourable.filter((a) => a === 0).length, `seat ${seat}, p 0.25`).to.be.at.least(9);
    }
  });

  it('plays a whole 3-seat game with chance through playMatch', async () => {
    const agents: Agent[] = [0, 1, 2].map(() => createAgent({ kind: 'mcts', options: { sims: 100 } }, coinGamble, { seats: 3 }));
    const result = await playMatch({ env: coinGamble, params: { seats: 3 }, seed: 9, agents });
    expect(result.fault).to.equal(undefined);
    expect(result.record.history.map((h) => h.kind)).to.deep.equal(['decision', 'decision', 'decision', 'chance']);
  });

  it('repeats its moves for the same seed', async () => {
    const env = getEnv('connect-four-v1');
    const play = () => playMatch({ env, seed: 5, agents: [new MctsAgent(env, { sims: 50 }), new RandomAgent()] });
    expect((await play()).record).to.deep.equal((await play()).record);
  });
});
