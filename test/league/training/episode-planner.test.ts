import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { parseMember, type Member } from '../../../league/population/member.ts';
import { EpisodePlanner } from '../../../league/training/episode-planner.ts';
import { OpponentPool } from '../../../league/training/opponent-pool.ts';
import { parseTrainConfig, type TrainConfigInput } from '../../../league/training/train-config.ts';

const env = getEnv('tic-tac-toe-v1');
const learner = parseMember({ agentId: 'me', kind: 'learner', env: env.key, agent: { kind: 'neural', options: { model: '/nowhere' } }, createdAt: 0 });
const random = parseMember({ agentId: 'random', kind: 'scripted', env: env.key, agent: { kind: 'random' }, createdAt: 0, frozen: true, anchor: true });
const snapshot = (update: number): Member =>
  parseMember({
    agentId: `me-at-${update}`,
    kind: 'snapshot',
    env: env.key,
    agent: { kind: 'neural', options: { model: `/snapshots/${update}` } },
    parentId: 'me',
    createdAt: update,
    frozen: true,
  });

function planner(opponents: TrainConfigInput['opponents'], anchors: Member[] = [random]) {
  const config = parseTrainConfig({
    name: 'me',
    env: env.key,
    opponents: { ...opponents, anchors: anchors.map((a) => ({ agentId: a.agentId, agent: a.agent })) },
    stop: { updates: 1 },
  });
  return new EpisodePlanner({ config, numPlayers: 2, learner, anchors, pool: new OpponentPool(env, {}) });
}

const seatsOf = (p: EpisodePlanner, update: number, n: number) => {
  p.beginUpdate(update);
  return Array.from({ length: n }, (_, i) => p.setup(i, i).agents.map((a) => a?.name ?? 'me'));
};

describe('league/training/episode-planner', () => {
  it('puts the learner in every seat of self-play episodes', () => {
    expect(seatsOf(planner({ selfPlay: 1 }), 0, 20).every((s) => s.join() === 'me,me')).to.equal(true);
  });

  it('matches the learner against anchors in both seats, and mixes in self-play at the configured share', () => {
    const vsAnchors = seatsOf(planner({ selfPlay: 0 }), 0, 40);
    expect(vsAnchors.every((s) => s.filter((x) => x === 'me').length === 1 && s.includes('random'))).to.equal(true);
    expect(new Set(vsAnchors.map((s) => s.indexOf('me')))).to.deep.equal(new Set([0, 1]));
    const mixed = seatsOf(planner({ selfPlay: 0.5 }), 0, 400).filter((s) => s.join() === 'me,me').length / 400;
    expect(mixed).to.be.within(0.4, 0.6);
  });

  it('draws the same opponents for the same (seed, update, episode), and others for another update', () => {
    const a = seatsOf(planner({ selfPlay: 0.5 }), 3, 30);
    expect(seatsOf(planner({ selfPlay: 0.5 }), 3, 30)).to.deep.equal(a);
    expect(seatsOf(planner({ selfPlay: 0.5 }), 4, 30)).to.not.deep.equal(a);
  });

  it('offers only the newest snapshots to the matchmaker', () => {
    const p = planner({ selfPlay: 0, snapshotWindow: 2, matchmaking: { strategy: 'latest-vs-snapshots', q: 0 } }, []);
    p.setSnapshots([1, 2, 3, 4].map(snapshot));
    const opponents = new Set(
      seatsOf(p, 0, 50)
        .flat()
        .filter((id) => id !== 'me'),
    );
    expect(opponents).to.deep.equal(new Set(['me-at-3', 'me-at-4']));
    expect(p.neuralModels().sort()).to.deep.equal(['/snapshots/3', '/snapshots/4']);
  });

  it("feeds the learner's results into the payoff table PFSP reads, and reports the self-play share", () => {
    const p = planner({ selfPlay: 0 });
    p.beginUpdate(0);
    const episodes = Array.from({ length: 20 }, (_, index) => {
      const setup = p.setup(index, index);
      const learnerSeat = setup.agents.indexOf(null);
      const returns = learnerSeat === 0 ? [1, -1] : [-1, 1];
      return { index, seed: index, returns, learnerSeats: [learnerSeat], length: 5 };
    });
    expect(p.finishUpdate(episodes)).to.deep.equal({ selfPlayShare: 0 });
    expect(p.payoff.winRate('me', 'random')).to.equal(1);
    expect(p.payoff.winRate('random', 'me')).to.equal(0);
  });

  it("follows the stages: anchors only in a skill stage, then self-play, then the run's opponents again", () => {
    const mcts = parseMember({
      agentId: 'mcts',
      kind: 'scripted',
      env: env.key,
      agent: { kind: 'mcts', options: { sims: 4 } },
      createdAt: 0,
      frozen: true,
      anchor: true,
    });
    const anchors = [random, mcts];
    const config = parseTrainConfig({
      name: 'me',
      env: env.key,
      stop: { updates: 10 },
      opponents: { selfPlay: 0, anchors: anchors.map((a) => ({ agentId: a.agentId, agent: a.agent })) },
      stages: [
        { name: 'skill', updates: 2, selfPlay: 0, anchors: ['random'], snapshots: false },
        { name: 'co-self-play', updates: 3, selfPlay: 1 },
      ],
    });
    const p = new EpisodePlanner({ config, numPlayers: 2, learner, anchors, pool: new OpponentPool(env, {}) });
    p.setSnapshots([snapshot(1)]);
    const names = (update: number) => new Set(seatsOf(p, update, 40).flat());
    expect(names(0)).to.deep.equal(new Set(['me', 'random']));
    expect(p.stage?.name).to.equal('skill');
    expect(names(1)).to.deep.equal(new Set(['me', 'random']));
    expect(names(2)).to.deep.equal(new Set(['me']));
    expect(p.stage?.name).to.equal('co-self-play');
    expect(names(4)).to.deep.equal(new Set(['me']));
    const after = names(5);
    expect(p.stage).to.equal(undefined);
    expect(after.has('mcts:sims=4') && after.has('me-at-1') && after.has('random')).to.equal(true);
  });

  it('seats a drawn member on every seat of one team in team envs', () => {
    const volley = getEnv('team-volley-v1');
    const params = volley.parseParams({ teamSize: 2, points: 1 });
    const skill = parseMember({
      agentId: 'skill',
      kind: 'scripted',
      env: volley.key,
      agent: { kind: 'volley-skill' },
      createdAt: 0,
      frozen: true,
      anchor: true,
    });
    const me = parseMember({ agentId: 'me', kind: 'learner', env: volley.key, agent: { kind: 'neural', options: { model: '/nowhere' } }, createdAt: 0 });
    const config = parseTrainConfig({
      name: 'me',
      env: volley.key,
      params: { teamSize: 2, points: 1 },
      opponents: { selfPlay: 0, anchors: [{ agentId: 'skill', agent: 'volley-skill' }] },
      stop: { updates: 1 },
    });
    const p = new EpisodePlanner({ config, numPlayers: 4, learner: me, anchors: [skill], pool: new OpponentPool(volley, params), dims: volley.dims(params) });
    const seatings = new Set(seatsOf(p, 0, 30).map((s) => s.join()));
    expect(seatings).to.deep.equal(new Set(['me,me,volley-skill,volley-skill', 'volley-skill,volley-skill,me,me']));
  });

  it('pairs the learner with a partner seat by seat in a one-team cooperative env (FCP)', () => {
    const kitchen = getEnv('overcooked-v1');
    const params = kitchen.parseParams({ layout: 'cramped_room' });
    const member = (agentId: string, kind: 'learner' | 'scripted', agent: Member['agent']) =>
      parseMember({ agentId, kind, env: kitchen.key, agent, createdAt: 0, frozen: kind !== 'learner', anchor: kind !== 'learner' });
    const me = member('me', 'learner', { kind: 'neural', options: { model: '/nowhere' } });
    const greedy = member('greedy', 'scripted', { kind: 'overcooked-greedy', options: {} });
    const config = parseTrainConfig({
      name: 'me',
      env: kitchen.key,
      params: { layout: 'cramped_room' },
      opponents: { selfPlay: 0, anchors: [{ agentId: 'greedy', agent: 'overcooked-greedy' }] },
      stop: { updates: 1 },
    });
    const p = new EpisodePlanner({
      config,
      numPlayers: 2,
      learner: me,
      anchors: [greedy],
      pool: new OpponentPool(kitchen, params),
      dims: kitchen.dims(params),
    });
    const seatings = seatsOf(p, 0, 30).map((s) => s.join());
    expect(new Set(seatings)).to.deep.equal(new Set(['me,overcooked-greedy', 'overcooked-greedy,me']));
  });
});
