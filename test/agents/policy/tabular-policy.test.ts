import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { buildGameTree, NODE_DECISION } from '../../../agents/policy/game-tree.ts';
import { PolicyError } from '../../../agents/policy/policy-error.ts';
import {
  enumerateInfosets,
  infosetKey,
  policyTable,
  slotsFromPolicy,
  tabularFromFn,
  tabularPolicyFn,
  uniformPolicy,
} from '../../../agents/policy/tabular-policy.ts';

describe('agents/policy/tabular-policy', () => {
  it('keys an infoset as seat|tensor', () => {
    const env = getEnv('leduc-poker-v1');
    let state = env.init(env.parseParams({}), 0);
    state = env.apply(state, 'chance', 5);
    state = env.apply(state, 'chance', 0);
    const tensor = env.observationTensor(state, 0);
    expect(infosetKey(env, state, 0)).to.equal(`0|${Array.from(tensor).join(',')}`);
  });

  it('enumerates the 936 Leduc infosets, 468 per seat, each with its legal actions', () => {
    const env = getEnv('leduc-poker-v1');
    const infosets = enumerateInfosets(env, {});
    expect(infosets).to.have.length(936);
    expect(infosets.filter((i) => i.seat === 0)).to.have.length(468);
    expect(new Set(infosets.map((i) => i.key)).size).to.equal(936);
    for (const info of infosets) {
      expect(info.key).to.equal(`${info.seat}|${Array.from(info.tensor).join(',')}`);
      expect(info.legal.length).to.be.within(2, 3); // fold only when facing a bet; raise only below the cap
    }
    // The opening decision (seat 0, nothing bet yet): check/call or raise, no fold.
    expect(infosets[0]).to.include({ seat: 0 });
    expect(infosets[0]!.legal).to.deep.equal([1, 2]);
  });

  it('enumerates the 12 Kuhn infosets, 6 per seat, pass and bet everywhere', () => {
    const infosets = enumerateInfosets(getEnv('kuhn-poker-v1'), {});
    expect(infosets).to.have.length(12);
    expect(infosets.filter((i) => i.seat === 1)).to.have.length(6);
    for (const info of infosets) expect(info.legal).to.deep.equal([0, 1]);
  });

  it('builds the uniform policy over legal actions, zero on illegal ones', () => {
    const env = getEnv('leduc-poker-v1');
    const policy = uniformPolicy(env, {});
    const infosets = enumerateInfosets(env, {});
    expect(policy.size).to.equal(infosets.length);
    for (const info of infosets) {
      const probs = policy.get(info.key)!;
      expect(probs).to.have.length(3);
      for (let a = 0; a < 3; a++) expect(probs[a]).to.equal(info.legal.includes(a) ? 1 / info.legal.length : 0);
    }
  });

  it('tabulates a policy function and reads a table back as a function', () => {
    const env = getEnv('leduc-poker-v1');
    // Always raise when allowed, else call: a pure policy of legal actions only.
    const fn = (state: unknown, seat: number) => {
      const legal = env.legalActions(state, seat);
      return [0, 1, 2].map((a) => (a === (legal.includes(2) ? 2 : 1) ? 1 : 0));
    };
    const table = tabularFromFn(env, {}, fn);
    const back = tabularPolicyFn(env, table);
    let state = env.init(env.parseParams({}), 0);
    state = env.apply(env.apply(state, 'chance', 1), 'chance', 4);
    expect(Array.from(back(state, 0))).to.deep.equal([0, 0, 1]);
    state = env.apply(env.apply(state, 0, 2), 1, 2);
    expect(Array.from(back(state, 0))).to.deep.equal([0, 1, 0]); // two raises: the round cap
    expect(() => tabularPolicyFn(env, new Map())(state, 0))
      .to.throw(PolicyError)
      .with.property('code', 'missing-infoset');
  });

  it('writes a policy table row {seat, tensor, probs} per decision point', () => {
    const env = getEnv('leduc-poker-v1');
    const rows = policyTable(env, {}, uniformPolicy(env, {}));
    expect(rows).to.have.length(936);
    expect(rows[0]).to.deep.equal({ seat: 0, tensor: Array.from(enumerateInfosets(env, {})[0]!.tensor), probs: [0, 0.5, 0.5] });
    expect(JSON.parse(JSON.stringify(rows[1]))).to.have.keys(['seat', 'tensor', 'probs']);
  });

  it('renormalises near-1 sums and rejects sums far from 1', () => {
    const tree = buildGameTree(getEnv('rock-paper-scissors-v1'), { rounds: 1 });
    const slots = slotsFromPolicy(tree, () => [0.5, 0.5 + 1e-9, 0]);
    expect(slots[0]! + slots[1]! + slots[2]!).to.be.closeTo(1, 1e-15);
    expect(() => slotsFromPolicy(tree, () => [0.5, 0.4, 0]))
      .to.throw(PolicyError)
      .with.property('code', 'bad-policy');
    expect(() => slotsFromPolicy(tree, () => [1, Number.NaN, 0]))
      .to.throw(PolicyError)
      .with.property('code', 'bad-policy');
  });

  describe('game tree', () => {
    it("sequentialises a simultaneous node: seat 1 decides without seeing seat 0's choice", () => {
      const tree = buildGameTree(getEnv('rock-paper-scissors-v1'), { rounds: 1 });
      // Root (seat 0), 3 nodes of seat 1 sharing one infoset, 9 terminals.
      expect(tree.numNodes).to.equal(13);
      expect(tree.numInfosets).to.equal(2);
      const seatOneNodes = Array.from(tree.kind.keys()).filter((n) => tree.kind[n] === NODE_DECISION && tree.infosetSeat[tree.infoset[n]!] === 1);
      expect(seatOneNodes).to.have.length(3);
      expect(new Set(seatOneNodes.map((n) => tree.infoset[n])).size).to.equal(1);
    });

    it('numbers nodes in preorder: every child after its parent', () => {
      const tree = buildGameTree(getEnv('leduc-poker-v1'), {});
      for (let n = 0; n < tree.numNodes; n++) {
        for (let e = tree.edgeStart[n]!; e < tree.edgeStart[n + 1]!; e++) expect(tree.edgeChild[e]).to.be.above(n);
      }
    });

    it('detects imperfect recall (3 rounds of rock-paper-scissors only show the last round)', () => {
      expect(() => buildGameTree(getEnv('rock-paper-scissors-v1'), { rounds: 3 }))
        .to.throw(PolicyError)
        .with.property('code', 'imperfect-recall');
    });

    it('refuses trees above maxNodes', () => {
      expect(() => buildGameTree(getEnv('connect-four-v1'), {}, { maxNodes: 10 }))
        .to.throw(PolicyError)
        .with.property('code', 'tree-too-large');
    });
  });
});
