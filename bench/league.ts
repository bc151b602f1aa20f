/**
 * `npm run bench:league [-- --json]`: the league's speed and its ratings' honesty.
 *  1. matchesPerSec: a tic-tac-toe league of 8 random members, PFSP matchmaking, Elo and the
 *     SQLite store (file-backed, replays recorded) on; median of --runs runs.
 *     scaling: the same league with 8 and with 128 members (--scaling-matches each, runs
 *     interleaved), matches/s keyed by size, and CPU µs per match (steadier when other
 *     processes share the cores); --scaling-only prints just that.
 *  2. btFitSeconds: Bradley–Terry fit with 100 bootstrap rounds over 1,000,000 stored results
 *     (grouped in SQLite, then fitted), median of --runs runs.
 *  3. recovery: a tic-tac-toe league of random and 7 MCTS members of increasing strength; is the
 *     final Bradley–Terry ranking in strength order, and which CIs overlap?
 * Prints one JSON object (with --json) or the same object pretty-printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../envs/index.ts';
import { parseLeagueConfig } from '../league/config/league-config.ts';
import { runLeague } from '../league/runner/league-runner.ts';
import { computeStandings } from '../league/standings.ts';
import type { MatchRow } from '../league/storage/league-store.ts';
import { SqliteStore } from '../league/storage/sqlite-store.ts';

/** Population sizes of the scaling check: matchmaking cost per match should not grow with them. */
const SCALING_SIZES = [8, 128] as const;

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function withStore<T>(body: (store: SqliteStore) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-'));
  const store = new SqliteStore(dir);
  try {
    return await body(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Throughput {
  readonly matchesPerSec: number;
  readonly cpuUsPerMatch: number;
}

/** Matches per wall-clock second, and CPU time (all threads) per match: steadier on a busy machine. */
async function throughput(matches: number, members = 8): Promise<Throughput> {
  const config = parseLeagueConfig({
    name: 'throughput',
    env: 'tic-tac-toe-v1',
    seed: 1,
    members: Array.from({ length: members }, (_, i) => ({ agentId: `random-${i + 1}`, agent: 'random' })),
    matchmaking: { strategy: 'pfsp', weighting: 'hard', focal: 'any' },
    schedule: { concurrency: 256 },
    stop: { matches },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-'));
  const store = new SqliteStore(dir);
  try {
    const cpu = process.cpuUsage();
    const result = await runLeague({ store, config });
    const used = process.cpuUsage(cpu);
    return { matchesPerSec: result.played / result.seconds, cpuUsPerMatch: (used.user + used.system) / result.played };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `n` synthetic results among 8 agents of known strength, then times the standings. */
function btFit(n: number): Promise<{ seconds: number; agents: number }> {
  return withStore(async (store) => {
    const config = parseLeagueConfig({
      name: 'bt',
      env: 'tic-tac-toe-v1',
      members: Array.from({ length: 8 }, (_, i) => ({ agentId: `a${i}`, agent: 'random' })),
      stop: { matches: n },
    });
    const league = await store.openLeague({ name: 'bt', env: 'tic-tac-toe-v1', config, configHash: 'bench', seed: 0 });
    const rng = new Rng(5);
    const strength = (i: number) => 100 * i; // Elo points
    const batch: MatchRow[] = [];
    for (let index = 0; index < n; index++) {
      const a = rng.int(8);
      const b = (a + 1 + rng.int(7)) % 8;
      const pA = 1 / (1 + 10 ** ((strength(b) - strength(a)) / 400));
      const x = rng.float();
      const returns = x < 0.1 ? [0, 0] : x < 0.1 + 0.9 * pA ? [1, -1] : [-1, 1];
      batch.push({ index, seed: index, seats: [`a${a}`, `a${b}`], returns, length: 7, status: 'finished', fault: null, record: null });
      if (batch.length === 50_000) await store.commit(league.id, batch.splice(0), []);
    }
    await store.commit(league.id, batch, []);
    const started = performance.now();
    const standings = await computeStandings(store, (await store.getLeague('bt'))!);
    const seconds = (performance.now() - started) / 1000;
    if (standings.length !== 8) throw new Error('bench: expected 8 rated agents');
    return { seconds, agents: standings.length };
  });
}

async function recovery(matches: number) {
  const sims = [2, 4, 8, 16, 32, 64, 256]; // with random: 8 members of known, increasing strength
  const ids = ['random', ...sims.map((s) => `mcts-${s}`)];
  const config = parseLeagueConfig({
    name: 'recovery',
    env: 'tic-tac-toe-v1',
    seed: 3,
    members: [{ agentId: 'random', agent: 'random' }, ...sims.map((s) => ({ agentId: `mcts-${s}`, agent: `mcts:sims=${s}` }))],
    matchmaking: { strategy: 'uniform' },
    schedule: { concurrency: 64 },
    stop: { matches },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ludus-bench-'));
  const store = new SqliteStore(dir);
  try {
    const run = await runLeague({ store, config });
    const standings = await computeStandings(store, (await store.getLeague('recovery'))!);
    const ranking = standings.map((s) => s.agentId);
    const strengthOrder = ids.slice().reverse();
    const overlaps: string[][] = [];
    for (let i = 0; i < standings.length; i++) {
      for (let j = i + 1; j < standings.length; j++) {
        const [a, b] = [standings[i]!, standings[j]!];
        if (a.ci[0] <= b.ci[1] && b.ci[0] <= a.ci[1]) overlaps.push([a.agentId, b.agentId]);
      }
    }
    const rank = (id: string) => strengthOrder.indexOf(id);
    return {
      matches: run.total,
      seconds: run.seconds,
      strengthOrder,
      ranking,
      inStrengthOrder: ranking.join() === strengthOrder.join(),
      overlappingCIs: overlaps,
      overlapsOnlyNeighbours: overlaps.every(([a, b]) => Math.abs(rank(a!) - rank(b!)) === 1),
      standings: standings.map((s) => ({ agentId: s.agentId, elo: Math.round(s.elo), rating: Math.round(s.rating), ci: s.ci.map(Math.round), games: s.games })),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      runs: { type: 'string', default: '3' },
      matches: { type: 'string', default: '100000' },
      results: { type: 'string', default: '1000000' },
      'recovery-matches': { type: 'string', default: '8000' },
      'scaling-matches': { type: 'string', default: '50000' },
      'scaling-only': { type: 'boolean' },
    },
  });
  const runs = Number(values.runs);
  const rates: number[] = [];
  const scaled: Record<number, Throughput[]> = { 8: [], 128: [] };
  for (let i = 0; i < runs; i++) {
    // interleaved, so a change in the machine's load hits both sizes alike
    for (const size of SCALING_SIZES) scaled[size]!.push(await throughput(Number(values['scaling-matches']), size));
  }
  const bySize = (pick: (t: Throughput) => number, digits: number) =>
    Object.fromEntries(SCALING_SIZES.map((size) => [size, Number(median(scaled[size]!.map(pick)).toFixed(digits))]));
  const scaling = bySize((t) => t.matchesPerSec, 0);
  const scalingCpuUsPerMatch = bySize((t) => t.cpuUsPerMatch, 1);
  const scalingReport = {
    scaling,
    ratio128to8: Number((scaling[128]! / scaling[8]!).toFixed(2)),
    scalingCpuUsPerMatch,
    cpuRatio128to8: Number((scalingCpuUsPerMatch[8]! / scalingCpuUsPerMatch[128]!).toFixed(2)),
    scalingRuns: Object.fromEntries(SCALING_SIZES.map((size) => [size, scaled[size]!.map((t) => Math.round(t.matchesPerSec))])),
  };
  if (values['scaling-only']) {
    console.log(JSON.stringify(scalingReport));
    return;
  }
  for (let i = 0; i < runs; i++) rates.push((await throughput(Number(values.matches))).matchesPerSec);
  const fits: number[] = [];
  for (let i = 0; i < runs; i++) fits.push((await btFit(Number(values.results))).seconds);
  const report = {
    matchesPerSec: Math.round(median(rates)),
    matchesPerSecRuns: rates.map(Math.round),
    throughputMatches: Number(values.matches),
    ...scalingReport,
    btFitSeconds: Number(median(fits).toFixed(3)),
    btFitSecondsRuns: fits.map((s) => Number(s.toFixed(3))),
    btResults: Number(values.results),
    recovery: await recovery(Number(values['recovery-matches'])),
  };
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
}

await main();
