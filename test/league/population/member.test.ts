import { expect } from 'chai';
import { MemberSchema, parseMember, snapshotId, snapshotOf, type Member } from '../../../league/population/member.ts';
import { PopulationError } from '../../../league/population/population-error.ts';

const base = {
  agentId: 'mcts-learner',
  kind: 'learner',
  env: 'tic-tac-toe-v1',
  agent: { kind: 'mcts', options: { sims: 64, tree: { c: 1.4 } } },
  createdAt: 0,
  role: 'main',
} as const;

describe('league/population/member', () => {
  it('fills defaults: parentId null, not frozen, not an anchor, empty options', () => {
    const m = parseMember({ agentId: 'r', kind: 'scripted', env: 'kuhn-poker-v1', agent: { kind: 'random' }, createdAt: 3 });
    expect(m).to.deep.equal({
      agentId: 'r',
      kind: 'scripted',
      env: 'kuhn-poker-v1',
      agent: { kind: 'random', options: {} },
      parentId: null,
      createdAt: 3,
      frozen: false,
      anchor: false,
    });
  });

  it('rejects bad ids, env keys and kinds, naming the field', () => {
    const paths = (input: unknown) => MemberSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...base, agentId: 'Bad Id' })).to.deep.equal(['agentId']);
    expect(paths({ ...base, env: 'tictactoe' })).to.deep.equal(['env']);
    expect(paths({ ...base, kind: 'robot' })).to.deep.equal(['kind']);
    expect(paths({ ...base, createdAt: -1 })).to.deep.equal(['createdAt']);
    expect(paths({ ...base, role: 'captain' })).to.deep.equal(['role']);
    expect(paths({ ...base, agent: { kind: '' } })).to.deep.equal(['agent.kind']);
    expect(() => parseMember({ ...base, agentId: 'Bad Id' }))
      .to.throw(PopulationError, /agentId/)
      .with.property('code', 'bad-member');
  });

  it('requires snapshots to be frozen and to name their parent', () => {
    const paths = (input: unknown) => MemberSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...base, kind: 'snapshot', frozen: false, parentId: 'x' })).to.deep.equal(['frozen']);
    expect(paths({ ...base, kind: 'snapshot', frozen: true })).to.deep.equal(['parentId']);
  });

  it('snapshotOf makes a frozen snapshot whose agent options never alias the learner', () => {
    const learner = parseMember(structuredClone(base)) as Member;
    const snap = snapshotOf(learner, { agentId: snapshotId(learner.agentId, 120), createdAt: 120 });
    expect(snap).to.deep.include({
      agentId: 'mcts-learner-at-120',
      kind: 'snapshot',
      parentId: 'mcts-learner',
      createdAt: 120,
      frozen: true,
      anchor: false,
      role: 'main',
      env: 'tic-tac-toe-v1',
    });
    expect(snap.agent).to.deep.equal(learner.agent);
    expect(snap.agent).to.not.equal(learner.agent);
    expect(snap.agent.options).to.not.equal(learner.agent.options);
    expect(snap.agent.options.tree).to.not.equal(learner.agent.options.tree);
    // The learner keeps training: its config changes, deep inside too.
    (learner.agent.options as { sims: number }).sims = 999;
    (learner.agent.options.tree as { c: number }).c = 9;
    expect(snap.agent.options).to.deep.equal({ sims: 64, tree: { c: 1.4 } });
  });

  it('snapshots cannot be changed in place', () => {
    const snap = snapshotOf(parseMember(structuredClone(base)), { agentId: 's', createdAt: 1 });
    expect(Object.isFrozen(snap) && Object.isFrozen(snap.agent) && Object.isFrozen(snap.agent.options.tree)).to.equal(true);
    expect(() => {
      (snap.agent.options as { sims: number }).sims = 1;
    }).to.throw(TypeError);
  });

  it('refuses to snapshot a member that is not a learner', () => {
    const scripted = parseMember({ ...base, kind: 'scripted' });
    expect(() => snapshotOf(scripted, { agentId: 's', createdAt: 1 }))
      .to.throw(PopulationError)
      .with.property('code', 'not-a-learner');
  });
});
