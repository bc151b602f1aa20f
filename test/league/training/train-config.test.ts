import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrainConfig, parseTrainConfig, shapingFactor, trainConfigHash } from '../../../league/training/train-config.ts';
import { relativeModelPaths, withExampleModels } from '../example-models.ts';

const TTT = { name: 'run', env: 'tic-tac-toe-v1', stop: { updates: 10 } };

function error(input: unknown): { code?: string; message: string } {
  try {
    parseTrainConfig(input);
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('league/training/train-config', () => {
  it('fills every default: self-play PPO with a 64x64 MLP, snapshots, evaluation and checkpoints', () => {
    const config = parseTrainConfig(TTT);
    expect(config.model.arch).to.deep.equal({ kind: 'mlp', hidden: [64, 64] });
    expect(config.ppo).to.include({ gamma: 1, lambda: 0.95, clip: 0.2, epochs: 4 });
    expect(config.ppo.advantage).to.deep.equal({ estimator: 'gae', normalize: 'batch', raeDecay: 0.95 });
    expect(config.opponents).to.deep.include({ selfPlay: 1, anchors: [], snapshotWindow: 20 });
    expect(config.opponents.matchmaking.strategy).to.equal('pfsp');
    expect(config.rollout.episodesPerUpdate).to.equal(256);
  });

  it('names the field of every mistake', () => {
    expect(error({ ...TTT, ppo: { clip: -1 } }).message).to.match(/ppo\.clip/);
    expect(error({ ...TTT, ppo: { advantage: { estimator: 'vtrace' } } }).message).to.match(/ppo\.advantage\.estimator/);
    expect(error({ ...TTT, stop: {} }).message).to.match(/give stop\.minutes, stop\.updates or both/);
    expect(error({ ...TTT, extra: 1 }).message).to.match(/unknown key "extra" \(known keys: name, env, params, seed, model, ppo, rollout/);
    expect(error({ ...TTT, ppo: { learningrate: 0.1 } }).message).to.match(/ppo: unknown key "learningrate" \(known keys: learningRate, adamEpsilon/);
    expect(error({ ...TTT, evaluation: { gams: 3 } }).message).to.match(/evaluation: unknown key "gams" \(known keys: every, games/);
    expect(error({ ...TTT, params: { mark: 'textarena' } }).message).to.match(/unknown param "mark".*known params: marks/);
    expect(error({ ...TTT, opponents: { matchmaking: { strategy: 'uniform' } } }).message).to.match(/opponents\.matchmaking/);
    expect(error({ ...TTT, stop: { updates: 1, target: { metric: 'win-rate', value: 0.9 } } }).message).to.match(/against/);
  });

  it("checks the env, the anchors' agent specs and the ids the config refers to", () => {
    expect(error({ ...TTT, env: 'no-such-env-v1' }).code).to.equal('unknown-env');
    expect(error({ ...TTT, opponents: { anchors: [{ agentId: 'x', agent: 'mcts:sims=0' }] } }).message).to.match(/anchors\.x\.agent/);
    expect(error({ ...TTT, opponents: { anchors: [{ agentId: 'run', agent: 'random' }] } }).message).to.match(/used twice/);
    expect(error({ ...TTT, evaluation: { against: ['minimax'] } }).message).to.match(/"minimax" is not an anchor/);
    expect(error({ ...TTT, env: 'leduc-poker-v1', opponents: { anchors: [{ agentId: 'm', agent: 'mcts' }] } }).code).to.equal('bad-config');
  });

  it('hashes everything but the stopping rule', () => {
    const a = parseTrainConfig(TTT);
    expect(trainConfigHash(parseTrainConfig({ ...TTT, stop: { minutes: 5 } }))).to.equal(trainConfigHash(a));
    expect(trainConfigHash(parseTrainConfig({ ...TTT, seed: 9 }))).to.not.equal(trainConfigHash(a));
  });

  it('loads YAML files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-train-config-'));
    try {
      writeFileSync(
        join(dir, 'c.yaml'),
        'name: y\nenv: tic-tac-toe-v1\nopponents:\n  anchors:\n    - { agentId: random, agent: random }\nstop: { minutes: 1 }\n',
      );
      expect(loadTrainConfig(join(dir, 'c.yaml')).opponents.anchors[0]!.agentId).to.equal('random');
      expect(() => loadTrainConfig(join(dir, 'missing.yaml'))).to.throw(/cannot read train config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts every example config, and passes env params such as connect four's egocentric planes through", async () => {
    const examples = fileURLToPath(new URL('../../../examples/train/', import.meta.url));
    const files = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
    expect(files).to.include('connect-four.yaml');
    // The FCP config's partners are models of other example runs (data/models/...).
    for (const file of files) await withExampleModels(join(examples, file), () => expect(() => loadTrainConfig(join(examples, file)), file).to.not.throw());
    expect(parseTrainConfig({ ...TTT, env: 'connect-four-v1', params: { egocentric: true } }).params).to.deep.equal({ egocentric: true });
    expect(error({ ...TTT, env: 'connect-four-v1', params: { egocentric: 'yes' } }).message).to.match(/egocentric/);
  });

  it('anneals the shaped-reward weight linearly over rewardShaping.updates, then holds the end value; 0 without it', () => {
    const config = parseTrainConfig({ ...TTT, env: 'overcooked-v1', rewardShaping: { updates: 4 } });
    expect(config.rewardShaping).to.deep.equal({ start: 1, end: 0, updates: 4 });
    expect([0, 1, 2, 4, 9].map((u) => shapingFactor(config, u))).to.deep.equal([1, 0.75, 0.5, 0, 0]);
    expect(shapingFactor(parseTrainConfig({ ...TTT, rewardShaping: { start: 0.5, end: 0.1, updates: 2 } }), 1)).to.be.closeTo(0.3, 1e-12);
    expect(shapingFactor(parseTrainConfig(TTT), 0)).to.equal(0);
    expect(error({ ...TTT, rewardShaping: { start: 1 } }).message).to.match(/rewardShaping\.updates/);
  });

  it('trains the FCP agent with seeds 1 and 2 of the population only, seed 3 and the greedy chef held out', async () => {
    const file = fileURLToPath(new URL('../../../examples/train/overcooked-cramped-room-fcp.yaml', import.meta.url));
    const population = fileURLToPath(new URL('../../../examples/leagues/overcooked-fcp.yaml', import.meta.url));
    const config = await withExampleModels(file, () => loadTrainConfig(file));
    expect(config.opponents.selfPlay).to.equal(0);
    const [stage] = config.stages;
    expect(stage).to.include({ selfPlay: 0, snapshots: false });
    const partners = config.opponents.anchors.filter((a) => stage!.anchors!.includes(a.agentId)).map((a) => String(a.agent).replace('neural:model=', ''));
    expect(partners).to.have.length(6);
    expect(partners.every((p) => /quick-s[12]\//.test(p))).to.equal(true);
    // They are members of the population league, checkpoint for checkpoint.
    expect(relativeModelPaths(population)).to.include.members(partners);
    expect(stage!.anchors).to.not.include('overcooked-greedy');
  });
});
