import { expect } from 'chai';
import { createAgent } from '../../../agents/registry.ts';
import { courtFromObservation } from '../../../agents/scripted/volley-skill-agent.ts';
import { getEnv, type AnyEnv } from '../../../envs/index.ts';
import type { TeamVolleyState } from '../../../envs/games/team-volley/index.ts';
import { playMatch } from '../../../league/play-match.ts';

const env = getEnv('team-volley-v1');

/** Team 0's mean return over seeded games, team 0 played by spec a and team 1 by spec b. */
async function meanReturn(game: AnyEnv, a: string, b: string, games: number): Promise<number> {
  let total = 0;
  for (let seed = 0; seed < games; seed++) {
    const agents = [a, a, a, b, b, b].map((kind) => createAgent({ kind }, game));
    const result = await playMatch({ env: game, agents, seed, params: { firstServer: seed % 2 } });
    total += result.returns[0]!;
  }
  return total / games;
}

describe('agents/scripted/volley-skill-agent', () => {
  it("rebuilds the court from a seat's observation, in that seat's frame", () => {
    let state = env.init(env.parseParams(), 4) as TeamVolleyState;
    for (let i = 0; i < 45; i++) state = env.applyJoint(state, [1, 2, 4, 5, 6, 0]) as TeamVolleyState;
    // Team 1's frame is the world frame: the rebuilt court is the true one, up to float32 rounding.
    const { court, seat } = courtFromObservation(env.observationTensor(state, 4));
    expect(seat).to.equal(4);
    state.players.forEach((p, i) => {
      expect(court.players[i]!.x).to.be.closeTo(p.x, 1e-5);
      expect(court.players[i]!.vy).to.be.closeTo(p.vy, 1e-5);
    });
    expect(court.ball.x).to.be.closeTo(state.ball.x, 1e-5);
    expect(court.possession).to.equal(state.possession === 1 ? 1 : 0);
    // Team 0's frame is mirrored: its own front player appears at +x.
    const mirrored = courtFromObservation(env.observationTensor(state, 0));
    expect(mirrored.seat).to.equal(3);
    expect(mirrored.court.players[3]!.x).to.be.closeTo(-state.players[0]!.x, 1e-5);
  });

  it('beats a team of random players and a team that stands still', async () => {
    expect(await meanReturn(env, 'volley-skill', 'random', 6)).to.be.greaterThan(3);
    expect(await meanReturn(env, 'first-legal', 'volley-skill', 6)).to.be.lessThan(-3);
  });

  it('is created by name for team volley only', () => {
    expect(createAgent({ kind: 'volley-skill', options: { role: 'setter' } }, env).name).to.equal('volley-skill:role=setter');
    expect(() => createAgent({ kind: 'volley-skill' }, getEnv('slime-volleyball-v1'))).to.throw(/cannot play slime-volleyball-v1/);
    expect(() => createAgent({ kind: 'volley-skill', options: { role: 'libero' } }, env)).to.throw(/role/);
  });
});
