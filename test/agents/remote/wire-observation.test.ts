import { expect } from 'chai';
import { WireObservation } from '../../../agents/remote/wire-observation.ts';
import { RemoteAgentError } from '../../../agents/remote/ludus-agent-client.ts';
import type { DecisionMessage } from '../../../protocol/index.ts';

const base: DecisionMessage = { type: 'decision', matchId: 'm1', seat: 1, stepIndex: 3, deadline: 0, legalActions: [{ id: 0 }, { id: 4 }] };

describe('agents/remote/wire-observation', () => {
  it('gives the legal ids and mask of a bare decision, and a typed error for the parts it does not carry', () => {
    const observation = new WireObservation(base, 6);
    expect(observation.seat).to.equal(1);
    expect(observation.legal).to.deep.equal([0, 4]);
    expect(Array.from(observation.mask)).to.deep.equal([1, 0, 0, 0, 1, 0]);
    for (const read of [() => observation.tensor, () => observation.shape, () => observation.text]) {
      expect(read).to.throw(RemoteAgentError).with.property('code', 'client-observation');
    }
  });

  it('reads the tensor, shape and text a decision carries', () => {
    const observation = new WireObservation({ ...base, observation: { tensor: [0.5, 1], shape: [2], text: 'you are seat 1' } }, 6);
    expect(observation.tensor).to.be.instanceOf(Float32Array);
    expect(Array.from(observation.tensor)).to.deep.equal([0.5, 1]);
    expect(observation.shape).to.deep.equal([2]);
    expect(observation.text).to.equal('you are seat 1');
  });
});
