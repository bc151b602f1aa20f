import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { evaluationMatches, playEvaluation } from '../../../league/evaluate/evaluation-games.ts';
import { parseMember, type Member } from '../../../league/population/member.ts';
import { LocalMatchPlayer, type PlayContext } from '../../../league/runner/match-player.ts';
import type { LeagueRow } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

const member = (agentId: string, kind: Member['kind'], agent = 'random', env = 'tic-tac-toe-v1'): Member =>
  parseMember({ agentId, kind, env, agent: { kind: agent, options: {} }, createdAt: 0, frozen: kind === 'scripted' });

const members = [member('a', 'scripted'), member('b', 'scripted', 'first-legal'), member('c', 'scripted')];

function context(envKey: string): PlayContext {
  const env = getEnv(envKey);
  const league: LeagueRow = { id: 1, name: 'l', env: envKey, config: {}, configHash: 'h', seed: 9, createdAt: '2024-01-01T00:00:00.000Z', ratedThrough: 0 };
  return { league, env, params: env.parseParams({}), recordReplays: false };
}

describe('league/evaluate/evaluation-games', () => {
  it('plans every ordered pair (and each member with itself for cross-play), each game with its own seed', () => {
    const payoff = evaluationMatches({ members, games: 2, seed: 9, selfPlay: false });
    expect(payoff).to.have.length(3 * 2 * 2);
    expect(payoff.filter((m) => m.seats[0] === 'a' && m.seats[1] === 'b')).to.have.length(2);
    expect(payoff.filter((m) => m.seats[0] === m.seats[1])).to.be.empty;
    expect(new Set(payoff.map((m) => m.seed)).size).to.equal(payoff.length);
    expect(payoff[0]!.agents).to.deep.equal([members[0]!.agent, members[1]!.agent]);
    const crossplay = evaluationMatches({ members, games: 2, seed: 9, selfPlay: true });
    expect(crossplay).to.have.length(3 * 3 * 2);
    expect(evaluationMatches({ members, games: 2, seed: 9, selfPlay: false })).to.deep.equal(payoff);
    expect(evaluationMatches({ members, games: 2, seed: 10, selfPlay: false })[0]!.seed).to.not.equal(payoff[0]!.seed);
    expect(() => evaluationMatches({ members, games: 0, seed: 9, selfPlay: false })).to.throw(/from 1 to/);
  });

  it('plays the plan and leaves external members out; refuses envs that are not two-seat', async () => {
    const store = new SqliteStore(':memory:');
    const player = new LocalMatchPlayer(store);
    const evaluation = await playEvaluation(player, context('tic-tac-toe-v1'), [...members, member('remote', 'external')], { games: 1, selfPlay: false });
    expect(evaluation.members).to.deep.equal(['a', 'b', 'c']);
    expect(evaluation.excluded).to.deep.equal(['remote']);
    expect(evaluation.results).to.have.length(6);
    expect(evaluation.results.map((r) => r.seats)).to.deep.equal(evaluationMatches({ members, games: 1, seed: 9, selfPlay: false }).map((m) => m.seats));
    const volley = [member('x', 'scripted', 'random', 'team-volley-v1')];
    let error: unknown;
    try {
      await playEvaluation(player, context('team-volley-v1'), volley, { games: 1, selfPlay: false });
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).to.equal('not-two-seat');
    await store.close();
  });
});
