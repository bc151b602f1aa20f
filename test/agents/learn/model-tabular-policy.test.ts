import { expect } from 'chai';
import { tabularPolicyFromModel } from '../../../agents/learn/model-tabular-policy.ts';
import { enumerateInfosets, tensorKey } from '../../../agents/policy/tabular-policy.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../envs/index.ts';
import { useBackend } from './fixtures.ts';

const kuhn = getEnv('kuhn-poker-v1');

describe('agents/learn/model-tabular-policy', () => {
  const models: PolicyModel[] = [];
  before(useBackend);
  after(() => models.forEach((m) => m.dispose()));

  it("has one entry per infoset, equal to the network's masked probabilities there", () => {
    const model = createPolicyModel(kuhn, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 1 });
    models.push(model);
    const policy = tabularPolicyFromModel(model, kuhn);
    const infosets = enumerateInfosets(kuhn);
    expect(infosets).to.have.length(12); // Kuhn: 6 infosets per seat
    expect([...policy.keys()]).to.deep.equal(infosets.map((i) => i.key));
    for (const info of infosets) {
      const { probs } = model.forward(info.tensor, Uint8Array.from([1, 1]), 1);
      const row = policy.get(tensorKey(info.seat, info.tensor))!;
      expect(row[0]).to.be.closeTo(probs[0]!, 1e-7);
      expect(row[1]).to.be.closeTo(probs[1]!, 1e-7);
    }
  });

  it('puts no probability on actions illegal at an infoset (Leduc: fold when not facing a bet)', () => {
    const leduc = getEnv('leduc-poker-v1');
    const model = createPolicyModel(leduc, {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 2 });
    models.push(model);
    const policy = tabularPolicyFromModel(model, leduc);
    const infosets = enumerateInfosets(leduc);
    expect(policy.size).to.equal(936);
    for (const info of infosets) {
      const row = policy.get(info.key)!;
      for (let a = 0; a < 3; a++) if (!info.legal.includes(a)) expect(row[a]).to.equal(0);
    }
  });
});
