import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentKinds, createAgent } from '../../../agents/registry.ts';
import { InferenceServer } from '../../../agents/runtime/inference-server.ts';
import { saveModel } from '../../../agents/runtime/model-io.ts';
import { NeuralAgent } from '../../../agents/runtime/neural-agent.ts';
import { neuralAgentKind } from '../../../agents/runtime/neural-agent-kind.ts';
import { createPolicyModel, type PolicyModel } from '../../../agents/runtime/policy-model.ts';
import { closeSharedRuntime, sharedInferenceServer } from '../../../agents/runtime/shared-runtime.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { Episode, getEnv, observe } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { thrown, thrownSync, useBackend } from './fixtures.ts';

const connectFour = getEnv('connect-four-v1');
const ticTacToe = getEnv('tic-tac-toe-v1');

describe('agents/runtime/neural-agent', () => {
  let model: PolicyModel;
  let root: string;
  before(async () => {
    await useBackend();
    // Mocha require()s test files while the runtime import()s model-io lazily, so the lazy
    // side has its own copy of backend.ts: select there too, quietly.
    await (await import('../../../agents/runtime/backend.ts')).selectBackend({ log: () => {} });
    model = createPolicyModel(connectFour, {}, { arch: { kind: 'mlp', hidden: [32, 32] }, seed: 7 });
    root = mkdtempSync(join(tmpdir(), 'ludus-neural-'));
  });
  after(async () => {
    model.dispose();
    await closeSharedRuntime();
    rmSync(root, { recursive: true, force: true });
  });

  const agents = (server: InferenceServer) => [0, 1].map((seat) => new NeuralAgent({ policy: { server, policyId: 'c4' }, name: `neural-${seat}` }));

  it('plays a full connect-four match with legal moves only, reproducibly from the seed', async () => {
    const server = new InferenceServer();
    server.register('c4', model);
    const first = await playMatch({ env: connectFour, seed: 11, agents: agents(server) });
    expect(first.fault).to.equal(undefined);
    expect(first.length).to.be.within(7, 42);
    expect(first.returns[0]! + first.returns[1]!).to.equal(0);
    expect(Episode.replay(connectFour, first.record).isTerminal).to.equal(true); // every move legal
    const again = await playMatch({ env: connectFour, seed: 11, agents: agents(server) });
    expect(again.record).to.deep.equal(first.record);
    expect(server.stats().requests).to.equal(first.length + again.length);
    server.close();
  });

  it('batches the decisions of concurrent matches into shared forward passes', async () => {
    const server = new InferenceServer();
    server.register('c4', model);
    const matches = 8;
    const results = await Promise.all(Array.from({ length: matches }, (_, i) => playMatch({ env: connectFour, seed: 100 + i, agents: agents(server) })));
    const decisions = results.reduce((sum, r) => sum + r.length, 0);
    const stats = server.stats();
    expect(results.every((r) => r.fault === undefined)).to.equal(true);
    expect(stats.requests).to.equal(decisions);
    expect(stats.batchSizes[matches]).to.be.at.least(7); // lock-step: all 8 matches ask together until the first ends
    expect(stats.flushes).to.be.at.most(42);
    server.close();
  });

  it('takes the argmax when greedy', async () => {
    const server = new InferenceServer();
    server.register('c4', model);
    const agent = new NeuralAgent({ policy: { server, policyId: 'c4' }, greedy: true });
    const state = connectFour.apply(connectFour.init(connectFour.parseParams({}), 0), 0, 3);
    const observation = observe(connectFour, state, 1);
    agent.reset(1, 0);
    const action = await agent.act({ env: connectFour, params: state.params, seat: 1, stepIndex: 1, observation, deadline: Infinity });
    const { probs } = model.forward(observation.tensor, observation.mask, 1);
    expect(action).to.equal([...probs].indexOf(Math.max(...probs)));
    server.close();
  });

  it('fails a match on another env with model-mismatch instead of guessing', async () => {
    const server = new InferenceServer();
    server.register('c4', model);
    const result = await playMatch({ env: ticTacToe, seed: 1, agents: agents(server) });
    expect(result.fault?.code).to.equal('agent-error');
    expect(result.fault?.message).to.include('connect-four-v1').and.to.include('tic-tac-toe-v1');
    server.close();
  });

  describe('agent kind neural', () => {
    it('is registered and parses {} like every kind', () => {
      expect(agentKinds().map((k) => k.kind)).to.include('neural');
      expect(neuralAgentKind.optionsSchema.safeParse({}).success).to.equal(true);
    });

    it('loads a saved model once and plays it through the shared server', async () => {
      const dir = join(root, 'c4');
      await saveModel(model, dir);
      const spec = { kind: 'neural', options: { model: dir, greedy: true } };
      const results = await Promise.all(
        [0, 1].map((i) =>
          playMatch({
            env: connectFour,
            seed: i,
            agents: [createAgent(spec, connectFour), new RandomAgent()],
          }),
        ),
      );
      expect(results.map((r) => r.fault)).to.deep.equal([undefined, undefined]);
      const server = sharedInferenceServer();
      expect(server.has(dir)).to.equal(true);
      expect(server.stats().requests).to.equal(results.reduce((s, r) => s + Math.ceil(r.length / 2), 0));
    });

    it('refuses a model for another env when the agent is created', async () => {
      const dir = join(root, 'c4-kind');
      await saveModel(model, dir);
      const error = thrownSync(() => createAgent({ kind: 'neural', options: { model: dir } }, ticTacToe));
      expect(error.code).to.equal('model-mismatch');
      expect(error.message).to.include('connect-four-v1').and.to.include('tic-tac-toe-v1');
    });

    it('refuses env params the model was not trained with, at creation and at play', async () => {
      const dir = join(root, 'c4-params');
      await saveModel(model, dir); // trained with absolute planes
      const error = thrownSync(() => createAgent({ kind: 'neural', options: { model: dir } }, connectFour, { egocentric: true }));
      expect(error.code).to.equal('model-mismatch');
      expect(error.message).to.include('"egocentric":false').and.to.include('"egocentric":true');
      // An agent created for the right params, then seated in a match with other params.
      const agent = createAgent({ kind: 'neural', options: { model: dir } }, connectFour);
      const result = await playMatch({ env: connectFour, params: connectFour.parseParams({ egocentric: true }), seed: 0, agents: [agent, new RandomAgent()] });
      expect(result.fault?.message).to.include('was trained on connect-four-v1 with params').and.to.include('"egocentric":true');
    });

    it('needs a model option and a folder that exists', async () => {
      expect(thrownSync(() => createAgent({ kind: 'neural', options: {} }, connectFour)).code).to.equal('bad-agent-options');
      expect(thrownSync(() => createAgent({ kind: 'neural', options: { model: join(root, 'missing') } }, connectFour)).code).to.equal('bad-model');
      expect((await thrown(async () => createAgent({ kind: 'neural', options: { model: 3 } }, connectFour))).code).to.equal('bad-agent-options');
    });
  });
});
