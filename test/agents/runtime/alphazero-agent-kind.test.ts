import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSearchAgent } from '../../../agents/agent.ts';
import { createAgent } from '../../../agents/registry.ts';
import '../../../agents/runtime/alphazero-agent-kind.ts';
import { saveModel } from '../../../agents/runtime/model-io.ts';
import { createPolicyModel } from '../../../agents/runtime/policy-model.ts';
import { closeSharedRuntime, sharedInferenceServer } from '../../../agents/runtime/shared-runtime.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { thrownSync, useBackend } from './fixtures.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');

describe('agents/runtime/alphazero-agent-kind', () => {
  let root: string;
  before(async () => {
    await useBackend();
    await (await import('../../../agents/runtime/backend.ts')).selectBackend({ log: () => {} });
    root = mkdtempSync(join(tmpdir(), 'ludus-az-agent-'));
    const model = createPolicyModel(ticTacToe, {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 4 });
    await saveModel(model, join(root, 'ttt'));
    model.dispose();
  });
  after(async () => {
    await closeSharedRuntime();
    rmSync(root, { recursive: true, force: true });
  });

  it('searches from the state: takes an immediate win even with an untrained network', async () => {
    const agent = createAgent({ kind: 'alphazero', options: { model: join(root, 'ttt'), sims: 200 } }, ticTacToe);
    expect(isSearchAgent(agent)).to.equal(true);
    const params = ticTacToe.parseParams({});
    let state = ticTacToe.init(params, 0);
    [0, 3, 1, 4].forEach((cell, i) => {
      state = ticTacToe.apply(state, i % 2, cell);
    });
    await agent.reset?.(0, 1);
    const request = { env: ticTacToe, params, seat: 0, stepIndex: 4, observation: observe(ticTacToe, state, 0), deadline: Infinity };
    if (!isSearchAgent(agent)) throw new Error('not a search agent');
    expect(await agent.actFromState(request, state)).to.equal(2);
  });

  it('plays whole matches, its leaf evaluations batched across concurrent matches', async () => {
    const spec = { kind: 'alphazero', options: { model: join(root, 'ttt'), sims: 8 } };
    sharedInferenceServer().resetStats();
    const matches = await Promise.all(
      [1, 2, 3, 4].map((seed) =>
        playMatch({
          env: ticTacToe,
          seed,
          agents: [createAgent(spec, ticTacToe), createAgent({ kind: 'random' }, ticTacToe)],
        }),
      ),
    );
    for (const m of matches) expect(m.fault).to.equal(undefined);
    expect(sharedInferenceServer().stats().meanBatch).to.be.greaterThan(1);
  });

  it('needs a model and a searchable game', () => {
    expect(thrownSync(() => createAgent({ kind: 'alphazero' }, ticTacToe)).code).to.equal('bad-agent-options');
    expect(thrownSync(() => createAgent({ kind: 'alphazero', options: { model: join(root, 'ttt') } }, getEnv('kuhn-poker-v1'))).code).to.equal(
      'agent-unsupported-env',
    );
  });
});
