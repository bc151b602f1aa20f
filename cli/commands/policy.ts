/**
 * `ludus policy table`: a saved policy (or the Nash mixture of a training run's snapshots)
 * written out at every decision point of a small game (Kuhn, Leduc poker).
 */
import { tabularPolicyFromModel } from '../../agents/learn/model-tabular-policy.ts';
import { gameTree, type GameTree } from '../../agents/policy/game-tree.ts';
import { PolicyError } from '../../agents/policy/policy-error.ts';
import { policyTable, type PolicyTableRow, type TabularPolicy } from '../../agents/policy/tabular-policy.ts';
import { selectBackend } from '../../agents/runtime/backend.ts';
import { loadModel } from '../../agents/runtime/model-io.ts';
import { readManifest } from '../../agents/runtime/model-manifest.ts';
import { getEnv } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { exploitability } from '../../league/evaluate/exploitability.ts';
import { nashMixtureOfPolicies } from '../../league/training/policy-mixture.ts';
import { findRunDir, readRunConfig, runSnapshots } from '../../league/training/run-snapshots.ts';
import { parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { fixed, formatTable } from '../table.ts';
import { RuntimeError } from '../../agents/runtime/runtime-error.ts';

export const POLICY_HELP = `Usage: ludus policy table --model DIR [--mixture] [--json]

Prints a policy's action probabilities at every decision point of a small game (kuhn-poker,
leduc-poker): one row per information set with the seat, its observation tensor and one
probability per action id.

  --model DIR   a model folder (saveModel / ludus train); with --mixture, a training run
                folder (<store>/models/<run>) or any model folder inside it
  --mixture     the Nash mixture of the run's snapshots (the newest evaluation.mixtureWindow
                of them), as the equivalent behaviour policy: each snapshot weighted by its
                Nash weight times its own probability of reaching the decision point
  --json        a JSON array of {"seat", "tensor": [...], "probs": [...]}`;

export async function policyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    console.log(POLICY_HELP);
    return sub ? 0 : 2;
  }
  if (sub !== 'table') throw new UsageError(`unknown policy command "${sub}"`, 'use: ludus policy table --model DIR');
  const { values } = parseFlags(
    rest,
    { model: { type: 'string' }, mixture: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    'policy table',
  );
  if (values.help) {
    console.log(POLICY_HELP);
    return 0;
  }
  if (!values.model) throw new UsageError('ludus policy table needs --model DIR', 'a model folder written by `ludus train`');
  await selectBackend({ log: () => {} });
  const { env, params, policy, note } = values.mixture ? await mixturePolicy(values.model) : await modelPolicy(values.model);
  const rows = policyTable(env, params, policy);
  if (values.json) console.log(JSON.stringify(rows));
  else console.log(`${note}; exploitability ${fixed(exploitability(env, params, policy), 4)}\n${formatRows(rows)}`);
  return 0;
}

interface LoadedPolicy {
  env: AnyEnv;
  params: unknown;
  policy: TabularPolicy;
  note: string;
}

async function modelPolicy(dir: string): Promise<LoadedPolicy> {
  const manifest = readManifest(dir);
  const env = getEnv(manifest.env);
  const params = env.parseParams(manifest.params ?? {});
  treeOf(env, params);
  const model = await loadModel(dir);
  try {
    return { env, params, policy: tabularPolicyFromModel(model, env, params), note: `${env.key} model ${dir}` };
  } finally {
    model.dispose();
  }
}

async function mixturePolicy(dir: string): Promise<LoadedPolicy> {
  const runDir = findRunDir(dir);
  const config = readRunConfig(runDir);
  const snapshots = runSnapshots(runDir).slice(-config.evaluation.mixtureWindow);
  if (snapshots.length === 0)
    throw new RuntimeError('bad-model', `run ${runDir} has no snapshots yet`, 'train longer (snapshots.every updates), then try again');
  const env = getEnv(config.env);
  const params = env.parseParams(config.params);
  const tree = treeOf(env, params);
  const policies: TabularPolicy[] = [];
  for (const s of snapshots) {
    const model = await loadModel(s.dir, { env: env.key, params });
    try {
      policies.push(tabularPolicyFromModel(model, env, params));
    } finally {
      model.dispose();
    }
  }
  const { weights, behaviour } = nashMixtureOfPolicies(tree, policies);
  const support = snapshots.map((s, i) => [s.agentId, weights[i]!] as const).filter(([, w]) => w > 1e-6);
  return {
    env,
    params,
    policy: behaviour,
    note: `${env.key} Nash mixture of ${snapshots.length} snapshots: ${support.map(([id, w]) => `${id} ${fixed(w, 3)}`).join(', ')}`,
  };
}

function treeOf(env: AnyEnv, params: unknown): GameTree {
  try {
    return gameTree(env, params);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    throw new RuntimeError(
      'bad-model',
      `a policy table needs a small game with a perfect-recall observation (kuhn-poker, leduc-poker): ${error.message}`,
      'use a model trained on such a game',
    );
  }
}

function formatRows(rows: readonly PolicyTableRow[]): string {
  return formatTable(
    ['seat', 'tensor', 'probs'],
    rows.map((r) => [r.seat, r.tensor.join(''), r.probs.map((p) => fixed(p, 3)).join(' ')]),
  );
}
