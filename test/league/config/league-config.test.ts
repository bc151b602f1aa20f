import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { leagueConfigHash, loadLeagueConfig, parseLeagueConfig, LeagueConfigError } from '../../../league/config/league-config.ts';
import { loadTrainConfig } from '../../../league/training/train-config.ts';
import { relativeModelPaths, withExampleModels } from '../example-models.ts';

const base = () => ({
  name: 'ttt',
  env: 'tic-tac-toe-v1',
  members: [
    { agentId: 'random', agent: 'random' },
    { agentId: 'mcts-4', agent: 'mcts:sims=4' },
  ],
  stop: { matches: 10 },
});

const errorOf = (fn: () => unknown): LeagueConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof LeagueConfigError) return error;
    throw error;
  }
  throw new Error('expected a LeagueConfigError');
};

describe('league/config/league-config', () => {
  it('fills every default when the config gives only the essentials', () => {
    const config = parseLeagueConfig(base());
    expect(config.seed).to.equal(0);
    expect(config.matchmaking.strategy).to.equal('uniform');
    expect(config.ratings.elo.k).to.be.a('number');
    expect(config.ratings.faults).to.equal('forfeit');
    expect(config.schedule).to.deep.equal({ concurrency: 64, recordReplays: true });
  });

  it('names the field when a value is wrong', () => {
    const bad = { ...base(), schedule: { concurrency: 0 } };
    expect(errorOf(() => parseLeagueConfig(bad)).message).to.match(/schedule\.concurrency/);
    expect(errorOf(() => parseLeagueConfig({ ...base(), matchmaking: { strategy: 'best' } })).message).to.match(/matchmaking\.strategy/);
  });

  it('rejects unknown fields, so typos do not pass silently, naming the known ones', () => {
    expect(errorOf(() => parseLeagueConfig({ ...base(), stpo: { matches: 3 } })).message).to.include(
      'unknown key "stpo" (known keys: name, env, params, seed, members, matchmaking, ratings, schedule, snapshots, stop)',
    );
    const members = [
      { agentId: 'a', agent: 'random', anchr: true },
      { agentId: 'b', agent: { kind: 'mcts', option: { sims: 4 } } },
    ];
    const message = errorOf(() => parseLeagueConfig({ ...base(), members })).message;
    expect(message).to.include('members.0: unknown key "anchr" (known keys: agentId, agent, kind, anchor, role)');
    expect(message).to.include('members.1.agent: unknown key "option" (known keys: kind, options)');
    expect(errorOf(() => parseLeagueConfig({ ...base(), ratings: { elo: { kk: 3 } } })).message).to.match(/ratings\.elo: unknown key "kk" \(known keys: .*k/);
  });

  it('rejects unknown env params and agent options, naming the known ones', () => {
    expect(() => parseLeagueConfig({ ...base(), params: { mark: 'textarena' } })).to.throw(/unknown param "mark".*known params: marks/);
    const members = [
      { agentId: 'a', agent: 'random' },
      { agentId: 'b', agent: 'mcts:simz=4' },
    ];
    expect(errorOf(() => parseLeagueConfig({ ...base(), members })).message).to.match(/members\.b\.agent: .*unknown option "simz".*options of mcts: sims/);
  });

  it('plays in-process saved models with their training params when the config gives none, and refuses others', () => {
    const model = fileURLToPath(new URL('../../../examples/models/connect-four-ppo', import.meta.url));
    const members = [
      { agentId: 'random', agent: 'random' },
      { agentId: 'ppo', agent: `neural:model=${model}` },
    ];
    const c4 = { ...base(), env: 'connect-four-v1', members };
    expect(parseLeagueConfig(c4).params).to.deep.equal({ rows: 6, columns: 7, xInRow: 4, egocentric: true });
    expect(parseLeagueConfig({ ...c4, params: { egocentric: true } }).params).to.deep.equal({ egocentric: true });
    expect(errorOf(() => parseLeagueConfig({ ...c4, params: {} })).message).to.match(
      /members\.ppo\.agent: model .* was trained on connect-four-v1 with params/,
    );
  });

  it('needs a stopping rule', () => {
    expect(errorOf(() => parseLeagueConfig({ ...base(), stop: {} })).message).to.match(/stopping rule/);
  });

  it('rejects duplicate agentIds, unknown agents and bad agent options with the member named', () => {
    const dup = {
      ...base(),
      members: [
        { agentId: 'a', agent: 'random' },
        { agentId: 'a', agent: 'random' },
      ],
    };
    expect(errorOf(() => parseLeagueConfig(dup)).message).to.match(/"a" appears twice/);
    const unknown = {
      ...base(),
      members: [
        { agentId: 'a', agent: 'random' },
        { agentId: 'b', agent: 'alphazero' },
      ],
    };
    expect(errorOf(() => parseLeagueConfig(unknown)).message).to.match(/members\.b\.agent/);
    const options = {
      ...base(),
      members: [
        { agentId: 'a', agent: 'random' },
        { agentId: 'b', agent: 'mcts:simz=3' },
      ],
    };
    expect(errorOf(() => parseLeagueConfig(options)).message).to.match(/members\.b\.agent.*simz/);
  });

  it('throws UnknownEnvError for an unknown env', () => {
    expect(() => parseLeagueConfig({ ...base(), env: 'chess-v9' })).to.throw(/unknown env "chess-v9"/);
  });

  it('reads YAML and JSON files and reports syntax errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ludus-config-'));
    try {
      writeFileSync(
        join(dir, 'a.yaml'),
        'name: ttt\nenv: tic-tac-toe-v1\nmembers:\n  - {agentId: r, agent: random}\n  - {agentId: f, agent: first-legal}\nstop: {matches: 5}\n',
      );
      writeFileSync(join(dir, 'b.json'), JSON.stringify(base()));
      writeFileSync(join(dir, 'c.yaml'), 'name: [unclosed\n');
      expect(loadLeagueConfig(join(dir, 'a.yaml')).members.map((m) => m.agentId)).to.deep.equal(['r', 'f']);
      expect(loadLeagueConfig(join(dir, 'b.json')).name).to.equal('ttt');
      expect(errorOf(() => loadLeagueConfig(join(dir, 'c.yaml'))).message).to.match(/c\.yaml is not valid YAML/);
      expect(errorOf(() => loadLeagueConfig(join(dir, 'missing.yaml'))).message).to.match(/cannot read league config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hashes everything but the stopping rule', () => {
    const a = parseLeagueConfig(base());
    expect(leagueConfigHash({ ...a, stop: { matches: 99 } })).to.equal(leagueConfigHash(a));
    expect(leagueConfigHash({ ...a, seed: 1 })).to.not.equal(leagueConfigHash(a));
  });

  it('accepts every example league config', async () => {
    const examples = fileURLToPath(new URL('../../../examples/leagues/', import.meta.url));
    const files = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
    expect(files).to.include('overcooked-fcp.yaml');
    // The FCP population's members are models of example training runs (data/models/...).
    for (const file of files) await withExampleModels(join(examples, file), () => expect(() => loadLeagueConfig(join(examples, file)), file).to.not.throw());
  });

  it("names in the FCP population only checkpoints its training config writes: three seeds' early, middle and final", () => {
    const file = fileURLToPath(new URL('../../../examples/leagues/overcooked-fcp.yaml', import.meta.url));
    const train = loadTrainConfig(fileURLToPath(new URL('../../../examples/train/overcooked-cramped-room-quick.yaml', import.meta.url)));
    const paths = relativeModelPaths(file);
    expect(paths).to.have.length(9);
    for (const seed of [1, 2, 3]) {
      const run = `data/models/${train.name}-s${seed}`;
      const mine = paths.filter((p) => p.startsWith(`${run}/`));
      expect(mine, run).to.have.length(3);
      expect(mine).to.include(`${run}/final`);
      const updates = mine.filter((p) => p !== `${run}/final`).map((p) => Number(/-at-(\d+)$/.exec(p)?.[1]));
      expect(
        updates.every((u) => u % train.snapshots.every === 0 && u < train.stop.updates!),
        `${updates}`,
      ).to.equal(true);
      expect(mine.every((p) => p === `${run}/final` || p.startsWith(`${run}/snapshots/${train.name}-s${seed}-at-`))).to.equal(true);
    }
  });
});
