/**
 * `npm run bench:runtime [-- --json]`: the policy runtime's speed (median of --runs runs each).
 *  1. decisionsPerSec: forward passes of a 2x256 MLP over connect-four observations
 *     (126 floats -> 7 logits + value) at batch 1, 16, 256, 1024 on every backend that loads.
 *  2. batchingSpeedup: wasm decisions/s at batch 256 over batch 1.
 *  3. leagueDecisionsPerSec: 256 concurrent neural-vs-neural connect-four matches stepped
 *     through playMatch, every NeuralAgent on one InferenceServer (self-play: one policy).
 * Other processes share the CPUs: loadAverage (1-minute, before and after) says how busy,
 * coresUsed how many cores' worth of CPU time the bench got per backend and batch size.
 * With --json prints one JSON object; the league's time breakdown goes to stderr.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, selectBackend } from '../agents/runtime/backend.ts';
import { InferenceServer, type InferenceStats } from '../agents/runtime/inference-server.ts';
import { NeuralAgent } from '../agents/runtime/neural-agent.ts';
import { createPolicyModel, type PolicyOutput } from '../agents/runtime/policy-model.ts';
import { deriveSeed, getEnv, Rng } from '../envs/index.ts';
import { playMatch } from '../league/play-match.ts';

const BATCHES = [1, 16, 256, 1024] as const;
const ARCH = { kind: 'mlp', hidden: [256, 256] } as const;
const env = getEnv('connect-four-v1');
const quiet = () => {};

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Forward = (observations: Float32Array, masks: Uint8Array, batch: number) => PolicyOutput | Promise<PolicyOutput>;
type Rates = Record<string, number>;

/**
 * Forward passes at one batch size for about `seconds`: decisions (rows) per second, and
 * the cores the process got (CPU time of all its threads over wall time).
 */
async function forwardRate(
  forward: Forward,
  sizes: { S: number; A: number },
  batch: number,
  seconds: number,
  seed: number,
): Promise<{ rate: number; cores: number }> {
  const rng = new Rng(seed);
  const observations = new Float32Array(batch * sizes.S);
  for (let i = 0; i < observations.length; i++) observations[i] = rng.int(2);
  const masks = new Uint8Array(batch * sizes.A).fill(1);
  // Warm-up: tfjs's JS paths need a few hundred calls before V8 optimizes them (batch 1 runs 2x slower before).
  const warm = performance.now();
  for (let i = 0; i < 3 || performance.now() - warm < 200; i++) await forward(observations, masks, batch);
  let passes = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < seconds * 1000 || passes < 3) {
    await forward(observations, masks, batch);
    passes++;
    elapsed = performance.now() - started;
  }
  const used = process.cpuUsage(cpu);
  return { rate: (passes * batch) / (elapsed / 1000), cores: (used.user + used.system) / 1000 / elapsed };
}

/** Decisions/s per batch size (median of `runs`), and the cores the process got. */
async function backendRates(runs: number, seconds: number): Promise<{ rates: Rates; cores: Rates }> {
  const model = createPolicyModel(env, {}, { arch: ARCH, seed: 1 });
  try {
    const forward: Forward = (o, m, b) => model.forward(o, m, b);
    const rates: Rates = {};
    const cores: Rates = {};
    for (const batch of BATCHES) {
      const samples: number[] = [];
      const used: number[] = [];
      for (let run = 0; run < runs; run++) {
        const r = await forwardRate(forward, { S: model.observationSize, A: model.numActions }, batch, seconds, run);
        samples.push(r.rate);
        used.push(r.cores);
      }
      rates[batch] = Math.round(median(samples));
      cores[batch] = Number(median(used).toFixed(2));
    }
    return { rates, cores };
  } finally {
    model.dispose();
  }
}

const speedup = (rates: Rates | undefined): number | null => (rates ? Number((rates['256']! / rates['1']!).toFixed(1)) : null);

interface LeagueRun {
  decisionsPerSec: number;
  seconds: number;
  matches: number;
  stats: InferenceStats;
}

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
    await server.close();
    model.dispose();
  }
}

/** Where league time goes: the share spent in forward passes (the rest is envs, agents, promises). */
function breakdown(run: LeagueRun): string {
  const forwardShare = run.stats.forwardMs / 1000 / run.seconds;
  const perDecisionUs = (1e6 * run.seconds) / run.stats.requests;
  const forwardUs = (1000 * run.stats.forwardMs) / run.stats.requests;
  return (
    `league: ${Math.round(run.decisionsPerSec)} decisions/s, ${run.matches} matches, mean batch ${run.stats.meanBatch.toFixed(1)}, ` +
    `${perDecisionUs.toFixed(1)} us/decision of which forward ${forwardUs.toFixed(1)} us (${(100 * forwardShare).toFixed(0)}%), ` +
    `other ${(perDecisionUs - forwardUs).toFixed(1)} us (envs, observations, agents, promises, batching)`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '0.5' },
      'league-seconds': { type: 'string', default: '3' },
      lanes: { type: 'string', default: '256' },
    },
  });
  const runs = Number(values.runs);
  const loadBefore = loadavg()[0]!;
  const best = await selectBackend({ log: quiet });
  const decisionsPerSec: Record<string, Rates> = {};
  const coresUsed: Record<string, Rates> = {};
  for (const name of BACKEND_NAMES) {
    if (!best.backends[name].available) continue;
    await selectBackend({ force: name, log: quiet });
    const { rates, cores } = await backendRates(runs, Number(values.seconds));
    decisionsPerSec[name] = rates;
    coresUsed[name] = cores;
  }
  await selectBackend({ force: best.chosen, log: quiet });
  const leagueRuns: LeagueRun[] = [];
  for (let run = 0; run < runs; run++) leagueRuns.push(await leagueRate(Number(values.lanes), Number(values['league-seconds']), run));
  const league = leagueRuns.sort((a, b) => a.decisionsPerSec - b.decisionsPerSec)[Math.floor(leagueRuns.length / 2)]!;
  const report = {
    decisionsPerSec,
    batchingSpeedup: speedup(decisionsPerSec.wasm),
    leagueDecisionsPerSec: Math.round(league.decisionsPerSec),
    backend: best.chosen,
    coresUsed,
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  };
  console.error(breakdown(league));
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
