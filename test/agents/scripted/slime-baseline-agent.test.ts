import { expect } from 'chai';
import { createAgent } from '../../../agents/registry.ts';
import { SlimeBaselineAgent } from '../../../agents/scripted/slime-baseline-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { slimeTraces } from '../../envs/games/slime-volleyball-traces.ts';

const env = getEnv('slime-volleyball-v1');

describe('agents/scripted/slime-baseline-agent', () => {
  for (const trace of slimeTraces().filter((t) => t.left === 'baseline' || t.right === 'baseline')) {
    it(`chooses the reference baseline's every action in ${trace.name}`, () => {
      const agents = [0, 1].map(() => new SlimeBaselineAgent());
      agents.forEach((a, seat) => a.reset(seat, 0));
      let state = env.init(env.parseParams(trace.params), 0);
      let compared = 0;
      trace.steps.forEach((step, i) => {
        for (const seat of [0, 1]) {
          if ((seat === 0 ? trace.left : trace.right) !== 'baseline') continue;
          const observation = observe(env, state, seat);
          const action = agents[seat]!.act({ env, params: state.params, seat, stepIndex: i, observation, deadline: Infinity });
          expect(action, `${trace.name} step ${i} seat ${seat}`).to.equal(step.a[seat]);
          compared++;
        }
        state = env.applyJoint(state, [step.a[0], step.a[1]]);
      });
      expect(compared).to.be.at.least(trace.steps.length);
    });
  }

  it('is created by name for slime volleyball only, and starts each episode with a blank memory', async () => {
    const agent = createAgent({ kind: 'slime-baseline' }, env);
    expect(agent.name).to.equal('slime-baseline');
    expect(() => createAgent({ kind: 'slime-baseline' }, getEnv('tic-tac-toe-v1'))).to.throw(/cannot play tic-tac-toe-v1/);
    const first = await playMatch({ env, agents: [createAgent({ kind: 'slime-baseline' }, env), agent], seed: 9, params: { maxSteps: 400 } });
    const second = await playMatch({ env, agents: [createAgent({ kind: 'slime-baseline' }, env), agent], seed: 9, params: { maxSteps: 400 } });
    expect(second.returns).to.deep.equal(first.returns);
  });
});
