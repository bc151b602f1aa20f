/**
 * `ludus train`: trains a PPO or AlphaZero learner from a train config (self-play, league-style opponents,
 * snapshots, evaluation against anchors), resumable after a crash with --resume.
 */
import { BACKEND_NAMES, isBackendName } from '../../agents/runtime/backend.ts';
import { DATABASE_HELP, databaseOption } from '../../league/storage/open-league-store.ts';
import { loadTrainConfig } from '../../league/training/train-config.ts';
import { runTraining, type TrainProgress, type TrainResult } from '../../league/training/train-run.ts';
import { intFlag, numberFlag, parseFlags } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { createProgress } from '../progress.ts';
import { fixed } from '../table.ts';

export const TRAIN_HELP = `Usage: ludus train --config FILE [--store DIR] [--database URL] [--minutes N] [--seed N] [--resume] [--backend NAME] [--json]

Trains a neural policy with PPO on the env of FILE (YAML or JSON, see examples/train/):
self-play and/or league-style opponents (its own snapshots and fixed anchors, matched by
PFSP or latest-vs-snapshots), snapshots every N updates, evaluation against the anchors
(and exact exploitability in small poker games), until the stopping rule. With
\`algorithm: alphazero\` (two-player board games): PUCT self-play guided by the network,
every game's leaf evaluations batched, a replay buffer, evaluation with search.

Everything goes to <store>/models/<run>/: snapshots/ and final/ (model folders, playable as
neural:model=DIR), metrics.jsonl, learning-curve.svg, summary.json, checkpoint/. Snapshots
and the learner are members of the league <run> in the store: \`ludus league standings
--league <run>\` ranks them from the evaluation games.

  --config FILE   train config (required)
  --store DIR     league store and model folders (default ./data)
${DATABASE_HELP}
  --minutes N     stop after N minutes of training in total (replaces stop.minutes)
  --seed N        train with seed N as the run <name>-s<N> (independent seeds of one
                  config, e.g. an FCP partner population)
  --resume        continue the run from its last checkpoint (after Ctrl-C or a crash)
  --backend NAME  tfjs backend: tfjs-node-gpu, tfjs-node, wasm or cpu (default: the best
                  available; wasm cannot train convolutional networks)
  --json          no progress bar; the last line printed is a JSON summary with
                  finalModel and snapshots (model folder paths)`;

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      config: { type: 'string' },
      store: { type: 'string' },
      database: { type: 'string' },
      minutes: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'train',
  );
  if (values.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  if (!values.config) throw new UsageError('ludus train needs --config FILE', 'e.g. --config examples/train/kuhn-poker.yaml');
  const loaded = loadTrainConfig(values.config);
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 32 - 1);
  const config = seed === undefined ? loaded : { ...loaded, seed, name: `${loaded.name}-s${seed}` };
  const minutes = numberFlag(values.minutes, 'minutes');
  if (values.backend !== undefined && !isBackendName(values.backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got "${values.backend}"`);
  }
  const json = values.json === true;
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: the last checkpoint is on disk
    abort.abort();
    process.stderr.write('\nstopping after the current update (Ctrl-C again to quit now); the run can continue with --resume\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const byUpdates = config.stop.updates !== undefined && (minutes ?? config.stop.minutes) === undefined;
  const total = byUpdates ? config.stop.updates! : Math.round((minutes ?? config.stop.minutes!) * 60);
  const progress = createProgress({
    total,
    label: `train ${config.name} (${byUpdates ? 'updates' : 'seconds'})`,
    fields: ['update', 'eps', 'loss', 'eval'],
    quiet: json,
  });
  try {
    const result = await runTraining({
      config,
      storeDir: values.store ?? './data',
      ...databaseOption(values.database),
      minutes,
      resume: values.resume === true,
      signal: abort.signal,
      ...(values.backend === undefined ? {} : { backend: values.backend }),
      onProgress: (p) => progress.update(byUpdates ? p.update : Math.min(total, Math.round(p.seconds)), progressFields(p)),
    });
    progress.stop();
    console.log(json ? JSON.stringify({ ...result, env: config.env }) : formatResult(result, config.env, values.store));
    return result.stoppedBy === 'interrupted' ? 130 : 0;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function progressFields(p: TrainProgress): Record<string, string | number> {
  return {
    update: p.update,
    eps: `${Math.round(p.episodesPerSec)}/s`,
    loss: `pi ${fixed(p.stats.policyLoss)} v ${fixed(p.stats.valueLoss)} H ${fixed(p.stats.entropy, 2)}`,
    eval: p.lastEval ? describeEval(p.lastEval) : '-',
  };
}

function describeEval(e: NonNullable<TrainResult['lastEval']>): string {
  const parts = Object.entries(e.vs).map(([id, r]) => `${id} ${Math.round(100 * r.winRate)}%${r.draws > 0 ? `/${Math.round(100 * r.noLossRate)}%` : ''}`);
  if (e.exploitability !== undefined) parts.push(`expl ${fixed(e.exploitability, 3)}`);
  if (e.mixtureExploitability !== undefined) parts.push(`mix ${fixed(e.mixtureExploitability, 3)}`);
  return parts.join(', ') || '-';
}

function formatResult(r: TrainResult, env: string, store: string | undefined): string {
  const lines = [
    `trained ${r.run} (${env}): ${r.updates} updates, ${r.episodes} episodes in ${fixed(r.seconds, 1)} s${r.resumedFrom !== null ? ` (resumed at update ${r.resumedFrom})` : ''}; stopped by ${r.stoppedBy}`,
  ];
  if (r.lastEval) lines.push(`last evaluation (update ${r.lastEval.update}): ${describeEval(r.lastEval)}`);
  if (r.target) lines.push(r.target.reached ? `target reached at update ${r.target.update} (${fixed(r.target.seconds ?? 0, 1)} s)` : 'target not reached');
  lines.push(
    `final model: ${r.finalModel}`,
    `snapshots:   ${r.snapshots.length} in ${r.runDir}/snapshots`,
    `metrics:     ${r.metricsFile}`,
    `curve:       ${r.curveFile}`,
    `standings:   ludus league standings --league ${r.run}${store === undefined ? '' : ` --store ${store}`}`,
  );
  return lines.join('\n');
}
