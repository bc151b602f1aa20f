/**
 * `npm run bench:envs`: random legal games through the public Env API, as OpenSpiel's
 * benchmark plays them: at every decision, legal actions + checked apply + the observation
 * tensor of the acting seat. Chance nodes are sampled from `chanceOutcomes`.
 * Prints one JSON line per env (median of --runs runs of --seconds each):
 * {"env","games","steps","stepsPerSec","gamesPerSec",...}. `steps` counts every transition
 * (chance included); `decisionSteps` counts decisions and joint moves only.
 * With `--peer <path to OpenSpiel's benchmark_game>`: Ludus and the peer interleaved, --runs
 * rotations per game it knows (default tic-tac-toe, connect-four, kuhn-poker, leduc-poker),
 * one line per game with both medians and the ratio (bench/envs-vs-peer.ts).
 */
import { parseArgs } from 'node:util';
import { listEnvs, getEnv } from '../envs/index.ts';
import { run, type RunResult } from './env-random-play.ts';
import { OPENSPIEL_NAMES, runAgainstPeer } from './envs-vs-peer.ts';

function main(): void {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      seconds: { type: 'string', default: '1' },
      runs: { type: 'string', default: '5' },
      json: { type: 'boolean' },
      peer: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  if (values.peer) {
    const envs = values.env ? [getEnv(values.env)] : Object.keys(OPENSPIEL_NAMES).map((id) => getEnv(id));
    for (const env of envs) {
      const line = runAgainstPeer(env, { bin: values.peer, seconds, rotations: runs });
      console.log(JSON.stringify(line ?? { env: env.key, peer: null, note: 'OpenSpiel has no such game' }));
    }
    return;
  }
  const envs = values.env ? [getEnv(values.env)] : listEnvs();
  for (const env of envs) {
    run(env, Math.min(seconds, 0.3), 999); // warm up the JIT
    const results = Array.from({ length: runs }, (_, i) => run(env, seconds, i + 1));
    const rate = (r: RunResult) => r.steps / r.seconds;
    const mid = results.slice().sort((a, b) => rate(a) - rate(b))[Math.floor(runs / 2)]!;
    console.log(
      JSON.stringify({
        env: env.key,
        games: mid.games,
        steps: mid.steps,
        stepsPerSec: Math.round(rate(mid)),
        gamesPerSec: Math.round(mid.games / mid.seconds),
        decisionStepsPerSec: Math.round(mid.decisionSteps / mid.seconds),
        runs,
        stepsPerSecRuns: results.map((r) => Math.round(rate(r))),
        medianOf: runs,
        secondsPerRun: seconds,
      }),
    );
  }
}

main();
