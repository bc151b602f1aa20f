import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { AgentUnsupportedEnvError, BadAgentOptionsError } from '../../../agents/errors.ts';
import { TabularAgent } from '../../../agents/policy/tabular-agent.ts';
import { createAgent, parseAgentSpecs } from '../../../agents/registry.ts';
import { cfrAgentKind, cfrPolicy } from '../../../agents/solvers/cfr-agent.ts';
import { exploitability } from '../../../league/evaluate/exploitability.ts';
import { playMatch } from '../../../league/play-match.ts';

describe('agents/solvers/cfr-agent', () => {
  const env = getEnv('leduc-poker-v1');

  it('registers kind cfr with defaults iterations 1000 and variant cfr+', () => {
    expect(cfrAgentKind.optionsSchema.parse({})).to.deep.equal({ iterations: 1000, variant: 'cfr+' });
    const [spec] = parseAgentSpecs('cfr:iterations=30,variant=cfr');
    expect(createAgent(spec!, env)).to.be.instanceOf(TabularAgent);
  });

  it('plays the cached average policy of its options', async () => {
    const agent = createAgent({ kind: 'cfr', options: { iterations: 30 } }, env) as TabularAgent;
    expect(agent.policy).to.equal(cfrPolicy(env, {}, { iterations: 30, variant: 'cfr+' }));
    expect(exploitability(env, {}, agent.policy)).to.be.below(2.373611 / 2);
    const result = await playMatch({ env, seed: 5, agents: [agent, createAgent({ kind: 'random' }, env)] });
    expect(result.fault).to.equal(undefined);
  });

  it('solves a one-shot simultaneous game (one round of rock-paper-scissors: uniform)', () => {
    const rps = getEnv('rock-paper-scissors-v1');
    const agent = createAgent({ kind: 'cfr', options: { iterations: 200 } }, rps, { rounds: 1 }) as TabularAgent;
    expect(exploitability(rps, { rounds: 1 }, agent.policy)).to.be.below(0.01);
  });

  it('rejects unknown options and envs it cannot solve', () => {
    expect(() => createAgent({ kind: 'cfr', options: { sims: 3 } }, env)).to.throw(BadAgentOptionsError);
    // Five rounds of rock-paper-scissors: the tensor shows only the last round.
    expect(() => createAgent({ kind: 'cfr' }, getEnv('rock-paper-scissors-v1'))).to.throw(AgentUnsupportedEnvError, /different own actions/);
    expect(() => createAgent({ kind: 'cfr', options: { iterations: 1 } }, getEnv('tic-tac-toe-v1'))).to.throw(
      AgentUnsupportedEnvError,
      /different own actions/,
    );
  });
});
