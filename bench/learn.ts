/**
 * `npm run bench:learn -- --env kuhn-poker [--minutes N] [--store DIR] [--json]`: runs the
 * example train config of that env (examples/train/<env>.yaml) for its time budget (or N
 * minutes) and prints one JSON object: the target, whether and when it was reached, the final
 * value of the target metric, and the paths of the learning curve (SVG) and the final model.
 * Without --store the run goes to a fresh temporary folder, which is kept (it holds the SVG).
 * Targets: kuhn-poker exploitability of the snapshot Nash mixture <= 0.05 within 10 minutes;
 * tic-tac-toe >= 95% draws or wins against minimax within 10 minutes; connect-four >= 80%
 * wins against mcts:sims=200 within 60 minutes. `--algorithm alphazero` runs
 * examples/train/<env>-alphazero.yaml instead (tic-tac-toe: never lose to minimax;
 * connect-four: >= 80% against mcts:sims=200 within 60 minutes).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getEnv } from '../envs/index.ts';
import { loadTrainConfig } from '../league/training/train-config.ts';
import { metricValue } from '../league/training/train-evaluation.ts';
import { runTraining } from '../league/training/train-run.ts';

const EXAMPLES = fileURLToPath(new URL('../examples/train/', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { env: { type: 'string' }, minutes: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' }, algorithm: { type: 'string' } },
  });
  if (!values.env) throw new Error('bench:learn needs --env, e.g. --env kuhn-poker (examples/train/*.yaml)');
  const id = getEnv(values.env).spec.id;
  if (values.algorithm !== undefined && values.algorithm !== 'ppo' && values.algorithm !== 'alphazero')
    throw new Error('bench:learn: --algorithm is ppo or alphazero');
  const file = join(EXAMPLES, values.algorithm === 'alphazero' ? `${id}-alphazero.yaml` : `${id}.yaml`);
  if (!existsSync(file)) throw new Error(`bench:learn: no example config ${file}`);
  const config = loadTrainConfig(file);
  const target = config.stop.target;
  if (!target) throw new Error(`bench:learn: ${file} has no stop.target`);
  const storeDir = values.store ?? mkdtempSync(join(tmpdir(), `ludus-bench-learn-${id}-`));
  const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
  const started = performance.now();
  const result = await runTraining({ config, storeDir, ...(minutes === undefined ? {} : { minutes }) });
  const report = {
    env: config.env,
    config: file,
    budgetMinutes: minutes ?? config.stop.minutes ?? null,
    target,
    reached: result.target?.reached ?? false,
    secondsToTarget: result.target?.seconds ?? null,
    updatesToTarget: result.target?.update ?? null,
    finalMetric: result.lastEval ? (metricValue(target, result.lastEval) ?? null) : null,
    lastEval: result.lastEval,
    trainingSeconds: result.seconds,
    wallSeconds: (performance.now() - started) / 1000,
    updates: result.updates,
    episodes: result.episodes,
    stoppedBy: result.stoppedBy,
    curve: result.curveFile,
    finalModel: result.finalModel,
    metrics: result.metricsFile,
  };
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
