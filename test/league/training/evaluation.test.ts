import { expect } from 'chai';
import { createPolicyModel } from '../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../envs/index.ts';
import { parseMember } from '../../../league/population/member.ts';
import { evaluateAgainstAnchors } from '../../../league/training/evaluation.ts';
import { OpponentPool } from '../../../league/training/opponent-pool.ts';
import { useBackend } from '../../agents/runtime/fixtures.ts';

describe('league/training/evaluation', () => {
  before(() => useBackend());

  it("seats the anchor as the learner's partner in a one-team cooperative env, the learner's seat alternating", async () => {
    const kitchen = getEnv('overcooked-v1');
    const params = kitchen.parseParams({ layout: 'cramped_room', horizon: 200 });
    const greedy = parseMember({
      agentId: 'greedy',
      kind: 'scripted',
      env: kitchen.key,
      agent: { kind: 'overcooked-greedy' },
      createdAt: 0,
      frozen: true,
      anchor: true,
    });
    const model = createPolicyModel(kitchen, params, { arch: { kind: 'mlp', hidden: [16] }, seed: 3 });
    const pool = new OpponentPool(kitchen, params);
    try {
      const result = await evaluateAgainstAnchors({
        env: kitchen,
        params,
        model,
        learnerId: 'me',
        anchors: [greedy],
        games: 4,
        greedy: false,
        pool,
        seed: 5,
        update: 1,
      });
      expect(result.matches.map((m) => m.seats.join())).to.deep.equal(['me,greedy', 'greedy,me', 'me,greedy', 'greedy,me']);
      // The greedy chef cooks and serves next to an untrained partner; the team's return is the score.
      const returns = result.matches.map((m) => m.returns[0]!);
      expect(result.matches.every((m) => m.returns[0] === m.returns[1])).to.equal(true);
      expect(returns.reduce((s, r) => s + r, 0)).to.be.greaterThan(0);
      expect(result.vs.greedy).to.include({ games: 4, draws: 4 });
      expect(result.vs.greedy!.meanReturn).to.equal(returns.reduce((s, r) => s + r, 0) / 4);
    } finally {
      model.dispose();
      await pool.close();
    }
  });
});
