import { expect } from 'chai';
import { createAgent } from '../../../agents/registry.ts';
import { decodeLossless } from '../../../agents/scripted/overcooked-greedy-agent.ts';
import { AgentUnsupportedEnvError } from '../../../agents/errors.ts';
import { Episode, getEnv } from '../../../envs/index.ts';
import { kitchen, LAYOUT_NAMES } from '../../../envs/games/overcooked/kitchen.ts';
import type { OvercookedState } from '../../../envs/games/overcooked/index.ts';
import { playMatch } from '../../../league/play-match.ts';

const env = getEnv('overcooked');
const greedy = (params: unknown) => createAgent({ kind: 'overcooked-greedy' }, env, params);

describe('agents/scripted/overcooked-greedy', () => {
  it('decodes chefs, held items, pots and counter items from its lossless observation', () => {
    const ep = new Episode(env, { layout: 'cramped_room' }, 0);
    // Chef 0 fetches an onion and puts it in the pot; chef 1 fetches an onion and drops it on a counter.
    for (const [a, b] of [
      [0, 2],
      [3, 5],
      [5, 4],
      [2, 3],
      [0, 3],
      [5, 0],
      [4, 5],
    ] as [number, number][])
      ep.stepJoint([a, b]);
    const s = ep.state as OvercookedState;
    const view = decodeLossless(kitchen('cramped_room'), env.observationTensor(s, 1));
    expect(view.me.pos).to.deep.equal(s.chefs[1].pos);
    expect(view.me.dir).to.equal(s.chefs[1].dir);
    expect(view.me.held).to.equal(s.chefs[1].held?.name ?? null);
    expect(view.partner.pos).to.deep.equal(s.chefs[0].pos);
    expect(view.pots).to.deep.equal([{ pos: [2, 0], onions: 1, cooking: false, ready: false }]);
    expect(s.objects.filter((o) => o.name === 'soup')).to.have.length(1);
  });

  for (const layout of LAYOUT_NAMES) {
    it(`serves soups with itself on ${layout} (old rules, seeded, deterministic)`, async () => {
      const params = env.parseParams({ layout });
      const play = () => playMatch({ env, params, seed: 3, agents: [greedy(params), greedy(params)] });
      const first = await play();
      expect(first.returns[0]).to.be.at.least(60);
      expect((await play()).record.history).to.deep.equal(first.record.history);
    });
  }

  it('cooks alone under the new rules while its partner only stays', async () => {
    const params = env.parseParams({ layout: 'cramped_room', oldDynamics: false });
    const stay = { name: 'stay', act: () => 4 };
    const result = await playMatch({ env, params, seed: 1, agents: [greedy(params), stay] });
    expect(result.returns[0]).to.be.at.least(100);
  });

  it('refuses other envs and the featurized observation', () => {
    expect(() => createAgent({ kind: 'overcooked-greedy' }, getEnv('tic-tac-toe'))).to.throw(AgentUnsupportedEnvError);
    expect(() => greedy(env.parseParams({ observation: 'featurized' }))).to.throw(AgentUnsupportedEnvError);
  });
});
