import { expect } from 'chai';
import type { MemberInput } from '../../../league/population/member.ts';
import { Population } from '../../../league/population/population.ts';
import { PopulationError } from '../../../league/population/population-error.ts';

const ENV = 'connect-four-v1';
const m = (agentId: string, kind: MemberInput['kind'], extra: Partial<MemberInput> = {}): MemberInput => ({
  agentId,
  kind,
  env: ENV,
  agent: { kind: 'mcts', options: { sims: 8 } },
  createdAt: 0,
  frozen: kind === 'snapshot',
  ...extra,
});

function sample(): Population {
  return new Population([
    m('main', 'learner', { role: 'main' }),
    m('exp', 'learner', { role: 'main-exploiter' }),
    m('main-s5', 'snapshot', { parentId: 'main', createdAt: 5, role: 'main' }),
    m('main-s2', 'snapshot', { parentId: 'main', createdAt: 2, role: 'main' }),
    m('exp-s3', 'snapshot', { parentId: 'exp', createdAt: 3 }),
    m('random', 'scripted', { frozen: true, anchor: true, agent: { kind: 'random', options: {} } }),
    m('bot', 'external'),
    m('other-env', 'scripted', { env: 'kuhn-poker-v1' }),
  ]);
}

describe('league/population/population', () => {
  it('rejects a duplicate agentId with a typed error', () => {
    const pop = sample();
    expect(() => pop.add(m('main', 'scripted')))
      .to.throw(PopulationError, /"main"/)
      .with.property('code', 'duplicate-member');
    expect(pop.size).to.equal(8);
  });

  it('get throws for an unknown id; find returns undefined', () => {
    const pop = sample();
    expect(() => pop.get('nobody'))
      .to.throw(PopulationError)
      .with.property('code', 'unknown-member');
    expect(pop.find('nobody')).to.equal(undefined);
    expect(pop.get('random').anchor).to.equal(true);
  });

  it('lists by kind, role, frozen and anchor, in insertion order', () => {
    const pop = sample();
    const ids = (xs: readonly { agentId: string }[]) => xs.map((x) => x.agentId);
    expect(ids(pop.list({ kind: 'snapshot' }))).to.deep.equal(['main-s5', 'main-s2', 'exp-s3']);
    expect(ids(pop.list({ kind: ['learner', 'external'] }))).to.deep.equal(['main', 'exp', 'bot']);
    expect(ids(pop.list({ role: 'main' }))).to.deep.equal(['main', 'main-s5', 'main-s2']);
    expect(ids(pop.list({ frozen: true }))).to.deep.equal(['main-s5', 'main-s2', 'exp-s3', 'random']);
    expect(ids(pop.list({ anchor: true }))).to.deep.equal(['random']);
    expect(ids(pop.learners())).to.deep.equal(['main', 'exp']);
  });

  it('orders snapshots of a learner by createdAt and finds the latest', () => {
    const pop = sample();
    expect(pop.snapshotsOf('main').map((x) => x.agentId)).to.deep.equal(['main-s2', 'main-s5']);
    expect(pop.latestSnapshot('main')?.agentId).to.equal('main-s5');
    expect(pop.latestSnapshot('random')).to.equal(undefined);
  });

  it('activeOpponents are the other members of the same env', () => {
    const ids = sample()
      .activeOpponents('main')
      .map((x) => x.agentId);
    expect(ids).to.deep.equal(['exp', 'main-s5', 'main-s2', 'exp-s3', 'random', 'bot']);
  });

  it('stores a frozen copy: changing the input or the result never changes the population', () => {
    const input = m('l', 'learner', { agent: { kind: 'mcts', options: { sims: 8, deep: { a: 1 } } } });
    const pop = new Population([input]);
    (input.agent.options as { sims: number }).sims = 100;
    expect(pop.get('l').agent.options.sims).to.equal(8);
    expect(() => {
      (pop.get('l').agent.options.deep as { a: number }).a = 2;
    }).to.throw(TypeError);
  });

  it('updateAgent replaces a learner config but refuses frozen members', () => {
    const pop = sample();
    const before = pop.get('main');
    const after = pop.updateAgent('main', { kind: 'mcts', options: { sims: 16 } });
    expect(after.agent.options.sims).to.equal(16);
    expect(before.agent.options.sims).to.equal(8);
    expect(pop.get('main-s5').agent.options.sims).to.equal(8);
    expect(() => pop.updateAgent('main-s5', { kind: 'mcts', options: { sims: 1 } }))
      .to.throw(PopulationError)
      .with.property('code', 'frozen-member');
  });

  it('round-trips through JSON and rejects bad JSON naming the field', () => {
    const pop = sample();
    const copy = Population.fromJSON(JSON.parse(JSON.stringify(pop)));
    expect(copy.toJSON()).to.deep.equal(pop.toJSON());
    expect(() => Population.fromJSON({ members: [{ ...m('x', 'learner'), env: 'nope' }] })).to.throw(PopulationError, /members\.0\.env/);
    expect(() => Population.fromJSON({ members: [m('x', 'learner'), m('x', 'scripted')] }))
      .to.throw(PopulationError)
      .with.property('code', 'duplicate-member');
  });
});
