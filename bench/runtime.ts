/**
 * `npm run bench:runtime [-- --json]`: the policy runtime's speed (median of --runs runs each).
 *  1. decisionsPerSec: forward passes of a 2x256 MLP over connect-four observations
 *     (126 floats -> 7 logits + value) at batch 1, 16, 256, 1024 on every backend that loads.
 *  2. batchingSpeedup: wasm decisions/s at batch 256 over batch 1.
 *  3. leagueDecisionsPerSec: 256 concurrent neural-vs-neural connect-four matches stepped
 *     through playMatch, every NeuralAgent on one InferenceServer (self-play: one policy).
 * With --json prints one JSON object; the league's time breakdown goes to stderr.
 */
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../agents/runtime/backend.ts';
import { InferenceServer, type InferenceStats } from '../agents/runtime/inference-server.ts';
import { NeuralAgent } from '../agents/runtime/neural-agent.ts';
import { createPolicyModel } from '../agents/runtime/policy-model.ts';
import { deriveSeed, getEnv, Rng } from '../envs/index.ts';
import { playMatch } from '../league/play-match.ts';

const BATCHES = [1, 16, 256, 1024] as const;
const ARCH = { kind: 'mlp', hidden: [256, 256] } as const;
const env = getEnv('connect-four-v1');
const quiet = () => {};

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Forward passes at one batch size for about `seconds`; decisions (rows) per second. */
function forwardRate(model: ReturnType<typeof createPolicyModel>, batch: number, seconds: number, seed: number): number {
  const rng = new Rng(seed);
  const observations = new Float32Array(batch * model.observationSize);
  for (let i = 0; i < observations.length; i++) observations[i] = rng.int(2);
  const masks = new Uint8Array(batch * model.numActions).fill(1);
  // Warm-up: tfjs's JS paths need a few hundred calls before V8 optimizes them (batch 1 runs 2x slower before).
  const warm = performance.now();
  for (let i = 0; i < 3 || performance.now() - warm < 200; i++) model.forward(observations, masks, batch);
  let passes = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000 || passes < 3) {
    model.forward(observations, masks, batch);
    passes++;
    elapsed = performance.now() - started;
  }
  return (passes * batch) / (elapsed / 1000);
}

async function backendRates(name: BackendName, runs: number, seconds: number): Promise<Record<string, number>> {
  await selectBackend({ force: name, log: quiet });
  const model = createPolicyModel(env, {}, { arch: ARCH, seed: 1 });
  try {
    const rates: Record<string, number> = {};
    for (const batch of BATCHES) {
      const samples = Array.from({ length: runs }, (_, run) => forwardRate(model, batch, seconds, run));
      rates[batch] = Math.round(median(samples));
    }
    return rates;
  } finally {
    model.dispose();
  }
}

interface LeagueRun { decisionsPerSec: number; seconds: number; matches: number; stats: InferenceStats }

/** `lanes` matches in flight at all times (a finished match is replaced) for about `seconds`. */
async function leagueRate(lanes: number, seconds: number, seed: number): Promise<LeagueRun> {
  const model = createPolicyModel(env, {}, { arch: ARCH, seed: 2 });
  const server = new InferenceServer({ maxBatch: 1024 });
  server.register('self', model);
  const agent = (seat: number) => new NeuralAgent({ policy: { server, policyId: 'self' }, name: `neural-${seat}` });
  let decisions = 0;
  let matches = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const lane = async (index: number): Promise<void> => {
    for (let game = 0; performance.now() < deadline; game++) {
      const result = await playMatch({ env, seed: deriveSeed(seed, index, game), agents: [agent(0), agent(1)] });
      if (result.fault) throw new Error(`bench: match faulted: ${result.fault.message}`);
      decisions += result.length;
      matches++;
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
    const elapsed = (performance.now() - started) / 1000;
    return { decisionsPerSec: decisions / elapsed, seconds: elapsed, matches, stats: server.stats() };
  } finally {
    server.close();
    model.dispose();
  }
}

/** Where league time goes: the share spent in forward passes (the rest is envs, agents, promises). */
function breakdown(run: LeagueRun): string {
  const forwardShare = run.stats.forwardMs / 1000 / run.seconds;
  const perDecisionUs = (1e6 * run.seconds) / run.stats.requests;
  const forwardUs = (1000 * run.stats.forwardMs) / run.stats.requests;
  return `league: ${Math.round(run.decisionsPerSec)} decisions/s, ${run.matches} matches, mean batch ${run.stats.meanBatch.toFixed(1)}, `
    + `${perDecisionUs.toFixed(1)} us/decision of which forward ${forwardUs.toFixed(1)} us (${(100 * forwardShare).toFixed(0)}%), `
    + `other ${(perDecisionUs - forwardUs).toFixed(1)} us (envs, observations, agents, promises, batching)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' }, runs: { type: 'string', default: '3' }, seconds: { type: 'string', default: '0.5' },
      'league-seconds': { type: 'string', default: '3' }, lanes: { type: 'string', default: '256' },
    },
  });
  const runs = Number(values.runs);
  const best = await selectBackend({ log: quiet });
  const decisionsPerSec: Record<string, Record<string, number>> = {};
  for (const name of BACKEND_NAMES) {
    if (best.backends[name].available) decisionsPerSec[name] = await backendRates(name, runs, Number(values.seconds));
  }
  await selectBackend({ force: best.chosen, log: quiet });
  const wasm = decisionsPerSec.wasm;
  const batchingSpeedup = wasm ? Number((wasm['256']! / wasm['1']!).toFixed(1)) : null;
  const leagueRuns: LeagueRun[] = [];
  for (let run = 0; run < runs; run++) leagueRuns.push(await leagueRate(Number(values.lanes), Number(values['league-seconds']), run));
  leagueRuns.sort((a, b) => a.decisionsPerSec - b.decisionsPerSec);
  const middle = leagueRuns[Math.floor(leagueRuns.length / 2)]!;
  const report = { decisionsPerSec, batchingSpeedup, leagueDecisionsPerSec: Math.round(middle.decisionsPerSec), backend: best.chosen };
  console.error(breakdown(middle));
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
