import { expect } from 'chai';
import { FirstLegalAgent } from '../../../agents/scripted/first-legal-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';

describe('agents/scripted/first-legal-agent', () => {
  it('plays the lowest legal action id', () => {
    const env = getEnv('tic-tac-toe-v1');
    let state = env.init(env.parseParams({}), 0);
    state = env.apply(state, 0, 0);
    state = env.apply(state, 1, 1);
    const agent = new FirstLegalAgent();
    const action = agent.act({ env, params: state.params, seat: 0, stepIndex: 2, observation: observe(env, state, 0), deadline: Infinity });
    expect(action).to.equal(2);
    expect(agent.name).to.equal('first-legal');
  });
});
