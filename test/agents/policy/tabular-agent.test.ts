import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { TabularAgent } from '../../../agents/policy/tabular-agent.ts';
import { tabularFromFn, uniformPolicy } from '../../../agents/policy/tabular-policy.ts';
import { playMatch } from '../../../league/play-match.ts';

describe('agents/policy/tabular-agent', () => {
  const env = getEnv('leduc-poker-v1');

  it('plays the action a pure table gives (always call: two checked rounds, then showdown)', async () => {
    const alwaysCall = tabularFromFn(env, {}, () => [0, 1, 0]);
    const result = await playMatch({ env, seed: 3, agents: [new TabularAgent(alwaysCall), new TabularAgent(alwaysCall)] });
    expect(result.fault).to.equal(undefined);
    const decisions = result.record.history.filter((h) => h.kind === 'decision');
    expect(decisions.map((h) => h.action)).to.deep.equal([1, 1, 1, 1]);
  });

  it('samples reproducibly from the seed given in reset', async () => {
    const uniform = uniformPolicy(env, {});
    const play = (seed: number) => playMatch({ env, seed, agents: [new TabularAgent(uniform), new TabularAgent(uniform)] });
    const histories = async (seed: number) => (await play(seed)).record.history;
    expect(await histories(11)).to.deep.equal(await histories(11));
    const distinct = new Set<string>();
    for (let seed = 0; seed < 12; seed++) distinct.add(JSON.stringify((await histories(seed)).filter((h) => h.kind === 'decision')));
    expect(distinct.size).to.be.above(1);
  });

  it('faults at an infoset missing from its table, or plays uniformly when told to', async () => {
    const empty = new Map<string, Float64Array>();
    const faulted = await playMatch({ env, seed: 1, agents: [new TabularAgent(empty, { name: 'empty' }), new TabularAgent(uniformPolicy(env, {}))] });
    expect(faulted.fault).to.include({ seat: 0, code: 'agent-error' });
    expect(faulted.fault!.message).to.match(/no policy entry/);
    const lenient = await playMatch({
      env,
      seed: 1,
      agents: [new TabularAgent(empty, { missing: 'uniform' }), new TabularAgent(empty, { missing: 'uniform' })],
    });
    expect(lenient.fault).to.equal(undefined);
  });
});
