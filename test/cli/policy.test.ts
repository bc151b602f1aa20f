import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY_HELP, policyCommand } from '../../cli/commands/policy.ts';
import { tabularPolicyFromModel } from '../../agents/learn/model-tabular-policy.ts';
import { gameTree } from '../../agents/policy/game-tree.ts';
import { policyTable, type PolicyTableRow } from '../../agents/policy/tabular-policy.ts';
import { loadModel } from '../../agents/runtime/model-io.ts';
import { createPolicyModel } from '../../agents/runtime/policy-model.ts';
import { saveModel } from '../../agents/runtime/model-io.ts';
import { getEnv } from '../../envs/index.ts';
import { nashMixtureOfPolicies } from '../../league/training/policy-mixture.ts';
import { parseTrainConfig } from '../../league/training/train-config.ts';
import { runTraining, type TrainResult } from '../../league/training/train-run.ts';
import { useBackend } from '../agents/learn/fixtures.ts';

const leduc = getEnv('leduc-poker-v1');

async function printed(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.join(' '));
  };
  try {
    return { code: await policyCommand(argv), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

async function tableOf(dir: string) {
  const model = await loadModel(dir);
  try {
    return tabularPolicyFromModel(model, leduc);
  } finally {
    model.dispose();
  }
}

describe('cli policy', () => {
  let dir: string;
  let run: TrainResult;
  before(async () => {
    await useBackend();
    dir = mkdtempSync(join(tmpdir(), 'ludus-cli-policy-'));
    run = await runTraining({
      storeDir: dir,
      config: parseTrainConfig({
        name: 'leduc',
        env: 'leduc-poker-v1',
        seed: 4,
        model: { arch: { kind: 'mlp', hidden: [16] } },
        rollout: { episodesPerUpdate: 16 },
        snapshots: { every: 1 },
        evaluation: { every: 3, games: 0 },
        stop: { updates: 3 },
      }),
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the model's probabilities at every Leduc infoset, with the seat's tensor", async () => {
    const { code, out } = await printed(['table', '--model', run.finalModel, '--json']);
    expect(code).to.equal(0);
    const rows = JSON.parse(out) as PolicyTableRow[];
    expect(rows).to.have.length(936);
    expect(rows.every((r) => r.tensor.length === 30 && r.probs.length === 3 && Math.abs(r.probs[0]! + r.probs[1]! + r.probs[2]! - 1) < 1e-6)).to.equal(true);
    expect(rows).to.deep.equal(JSON.parse(JSON.stringify(policyTable(leduc, {}, await tableOf(run.finalModel)))));
  });

  it("prints the Nash mixture of the run's snapshots as one behaviour policy", async () => {
    const { out } = await printed(['table', '--model', run.runDir, '--mixture', '--json']);
    const policies = await Promise.all(run.snapshots.map(tableOf));
    expect(policies).to.have.length(3);
    const expected = policyTable(leduc, {}, nashMixtureOfPolicies(gameTree(leduc), policies).behaviour);
    expect(JSON.parse(out)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    const fromInside = await printed(['table', '--model', run.snapshots[0]!, '--mixture', '--json']); // a model folder inside the run
    expect(fromInside.out).to.equal(out);
  });

  it('refuses games without a walkable tree, and models outside a run for --mixture', async () => {
    const ttt = getEnv('tic-tac-toe-v1');
    const model = createPolicyModel(ttt, {}, { arch: { kind: 'mlp', hidden: [4] } });
    const folder = join(dir, 'ttt-model');
    await saveModel(model, folder);
    model.dispose();
    const error = await policyCommand(['table', '--model', folder]).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).to.equal('bad-model');
    expect(error?.message).to.match(/small game/);
    const outside = await policyCommand(['table', '--model', folder, '--mixture']).then(
      () => undefined,
      (e: unknown) => e as { code: string },
    );
    expect(outside?.code).to.equal('bad-model');
  });

  it('prints its usage without a subcommand', async () => {
    expect(await printed([])).to.deep.equal({ code: 2, out: POLICY_HELP });
  });
});
