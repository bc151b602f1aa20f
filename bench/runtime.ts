/**
 * `npm run bench:runtime [-- --json]`: the policy runtime's speed (median of --runs runs each),
 * with every pass in the main thread (workers 0) and split across worker threads (--workers,
 * default 0,1,2: that many workers beside the main thread, which computes a shard too).
 *  1. decisionsPerSec: forward passes of a 2x256 MLP over connect-four observations
 *     (126 floats -> 7 logits + value) at batch 1, 16, 256, 1024 on every backend that loads,
 *     from the best worker count per batch size; decisionsPerSecByWorkers has each count.
 *  2. batchingSpeedup: wasm decisions/s at batch 256 over batch 1 (best counts), and per count.
 *  3. leagueDecisionsPerSec: 256 concurrent neural-vs-neural connect-four matches stepped
 *     through playMatch, every NeuralAgent on one InferenceServer (self-play: one policy),
 *     best worker count; leagueDecisionsPerSecByWorkers has each count.
 * Other processes share the CPUs: loadAverage (1-minute, before and after) says how busy,
 * coresUsedByWorkers how many cores' worth of CPU time the bench got per configuration
 * (workers cannot help when the scheduler grants this process one core in all).
 * With --json prints one JSON object; the league's time breakdown goes to stderr.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../agents/runtime/backend.ts';
import { InferencePool } from '../agents/runtime/inference-pool.ts';
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
async function forwardRate(forward: Forward, sizes: { S: number; A: number }, batch: number, seconds: number, seed: number): Promise<{ rate: number; cores: number }> {
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

/**
 * Decisions/s per worker count (0: in-thread) and batch size. The counts' runs are
 * interleaved, so a change in the machine's load hits every count alike.
 */
async function backendRates(workerCounts: readonly number[], runs: number, seconds: number): Promise<{ rates: Record<string, Rates>; cores: Record<string, Rates> }> {
  const model = createPolicyModel(env, {}, { arch: ARCH, seed: 1 });
  const pools = await Promise.all(workerCounts.map((workers) => (workers > 0 ? InferencePool.start({ workers }) : undefined)));
  try {
    const forwards: Forward[] = [];
    for (const pool of pools) {
      const pooled = await pool?.load(model);
      forwards.push(pooled ? (o, m, b) => pooled.forward(o, m, b) : (o, m, b) => model.forward(o, m, b));
    }
    const samples = workerCounts.map(() => BATCHES.map((): number[] => []));
    const cores = workerCounts.map(() => BATCHES.map((): number[] => []));
    for (const [b, batch] of BATCHES.entries()) {
      for (let run = 0; run < runs; run++) {
        for (const [w, forward] of forwards.entries()) {
          const { rate, cores: used } = await forwardRate(forward, { S: model.observationSize, A: model.numActions }, batch, seconds, run);
          samples[w]![b]!.push(rate);
          cores[w]![b]!.push(used);
        }
      }
    }
    const table = (values: number[][][], round: (x: number) => number) => Object.fromEntries(workerCounts.map((workers, w) =>
      [workers, Object.fromEntries(BATCHES.map((batch, b) => [batch, round(median(values[w]![b]!))]))]));
    return { rates: table(samples, Math.round), cores: table(cores, (x) => Number(x.toFixed(2))) };
  } finally {
    await Promise.all(pools.map((pool) => pool?.close()));
    model.dispose();
  }
}

/** Per batch size, the best rate over worker counts. */
const bestRates = (byWorkers: Record<string, Rates>): Rates =>
  Object.fromEntries(BATCHES.map((batch) => [batch, Math.max(...Object.values(byWorkers).map((rates) => rates[batch]!))]));

const speedup = (rates: Rates | undefined): number | null => (rates ? Number((rates['256']! / rates['1']!).toFixed(1)) : null);

interface LeagueRun { decisionsPerSec: number; seconds: number; matches: number; stats: InferenceStats }

/** `lanes` matches in flight at all times (a finished match is replaced) for about `seconds`. */
async function leagueRate(lanes: number, seconds: number, seed: number, workers: number): Promise<LeagueRun> {
  const model = createPolicyModel(env, {}, { arch: ARCH, seed: 2 });
  const server = new InferenceServer({ maxBatch: 1024, workers });
  server.register('self', model);
  if (workers > 0 && (await server.startWorkers()) !== workers) throw new Error(`bench: ${workers} inference workers did not start`);
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
  return `league (${run.stats.workers} workers): ${Math.round(run.decisionsPerSec)} decisions/s, ${run.matches} matches, mean batch ${run.stats.meanBatch.toFixed(1)}, `
    + `${perDecisionUs.toFixed(1)} us/decision of which forward ${forwardUs.toFixed(1)} us (${(100 * forwardShare).toFixed(0)}%), `
    + `other ${(perDecisionUs - forwardUs).toFixed(1)} us (envs, observations, agents, promises, batching)`
    + (run.stats.workers > 0 ? '; with workers, forward is the wall time of flushes that overlap with stepping and each other' : '');
}

/** Worker threads only pay where a backend computes on one core; libtensorflow uses them all already. */
const poolable = (name: BackendName): boolean => name === 'wasm' || name === 'cpu';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' }, runs: { type: 'string', default: '3' }, seconds: { type: 'string', default: '0.5' },
      'league-seconds': { type: 'string', default: '3' }, lanes: { type: 'string', default: '256' },
      workers: { type: 'string', default: '0,1,2' },
    },
  });
  const runs = Number(values.runs);
  const workerCounts = [...new Set([0, ...values.workers.split(',').map(Number)])];
  const loadBefore = loadavg()[0]!;
  const best = await selectBackend({ log: quiet });
  const decisionsPerSec: Record<string, Rates> = {};
  const decisionsPerSecByWorkers: Record<string, Record<string, Rates>> = {};
  const coresUsedByWorkers: Record<string, Record<string, Rates>> = {};
  for (const name of BACKEND_NAMES) {
    if (!best.backends[name].available) continue;
    await selectBackend({ force: name, log: quiet });
    const { rates: byWorkers, cores } = await backendRates(poolable(name) ? workerCounts : [0], runs, Number(values.seconds));
    decisionsPerSecByWorkers[name] = byWorkers;
    coresUsedByWorkers[name] = cores;
    decisionsPerSec[name] = bestRates(byWorkers);
  }
  await selectBackend({ force: best.chosen, log: quiet });
  const byWorkers = decisionsPerSecByWorkers.wasm ?? {};
  const batchingSpeedupByWorkers = Object.fromEntries(Object.entries(byWorkers).map(([workers, rates]) => [workers, speedup(rates)]));
  const leagueCounts = poolable(best.chosen) ? workerCounts : [0];
  const leagueRuns = leagueCounts.map((): LeagueRun[] => []);
  for (let run = 0; run < runs; run++) { // interleaved, like the forward passes
    for (const [w, workers] of leagueCounts.entries()) leagueRuns[w]!.push(await leagueRate(Number(values.lanes), Number(values['league-seconds']), run, workers));
  }
  const leagueByWorkers: Record<string, LeagueRun> = Object.fromEntries(leagueCounts.map((workers, w) => {
    const sorted = leagueRuns[w]!.sort((a, b) => a.decisionsPerSec - b.decisionsPerSec);
    return [workers, sorted[Math.floor(sorted.length / 2)]!];
  }));
  const league = Object.values(leagueByWorkers).sort((a, b) => b.decisionsPerSec - a.decisionsPerSec)[0]!;
  const report = {
    decisionsPerSec,
    batchingSpeedup: speedup(decisionsPerSec.wasm),
    leagueDecisionsPerSec: Math.round(league.decisionsPerSec),
    backend: best.chosen,
    decisionsPerSecByWorkers,
    batchingSpeedupByWorkers,
    coresUsedByWorkers,
    leagueDecisionsPerSecByWorkers: Object.fromEntries(Object.entries(leagueByWorkers).map(([w, run]) => [w, Math.round(run.decisionsPerSec)])),
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  };
  for (const run of Object.values(leagueByWorkers)) console.error(breakdown(run));
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
