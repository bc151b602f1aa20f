/**
 * The arena part of `npm run bench:cluster`: the load of bench/arena.ts (connect-four-v1,
 * one socket.io and one Colyseus agent per match, seeded-random legal moves, a finished match
 * replaced at once) against a cluster of 1 and of 2 arena processes on one Redis and one
 * PostgreSQL store (bench/cluster-arena-server.ts, forked, rate limits lifted). Lane i plays on
 * process i mod N: its matches are created there (POST /api/matches), its socket.io agent is
 * connected there (a match is played on the process that runs it), and its Colyseus agent
 * joins through the next process (the seat is reserved across processes through Redis, the
 * room socket then goes to the owner), as a client behind a load balancer would.
 *
 * `runClusterArenaBench({ processes: [1, 2], ... })` returns `{ "1": {...}, "2": {...} }`,
 * each with decisionsPerSec, matchesPerSec, round-trip percentiles, lost/duplicated and the
 * processes' CPU. Run alone: `node --import tsx bench/cluster-arena.ts [--json]`.
 */
import type { Room } from '@colyseus/sdk';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deriveSeed, Rng } from '../envs/index.ts';
import { ColyseusAgent, LoadStats, MatchPlay, SeatPlay, SocketIoAgent } from './arena-agents.ts';
import { ClusterServers } from './cluster-arena-server-process.ts';
import { flag } from './flags.ts';

export interface ClusterArenaBenchOptions {
  /** Cluster sizes to measure, in order; default [1, 2]. */
  readonly processes?: readonly number[];
  /** Matches in flight at once (2 agents each). Default 64. */
  readonly matches?: number;
  readonly seconds?: number;
  readonly warmupSeconds?: number;
  readonly drainSeconds?: number;
  readonly seed?: number;
  /** Default LUDUS_TEST_REDIS_URL or redis://127.0.0.1:6379. */
  readonly redisUrl?: string;
  /** A PostgreSQL server (a fresh database is created on it and dropped). Default LUDUS_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/postgres. */
  readonly postgresUrl?: string;
}

const ENV_KEY = 'connect-four-v1';
const MATCH_STALL_MS = 60_000;
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Run {
  readonly urls: readonly string[];
  readonly adminToken: string;
  readonly seed: number;
  readonly stats: LoadStats;
  finished: number;
  unfinished: number;
  stopAt: number;
  drainUntil: number;
}

async function createMatch(run: Run, url: string, lane: number, game: number, socketSeat: number): Promise<{ matchId: string; seatTokens: string[] }> {
  const names = [`bench-sio-${lane}`, `bench-col-${lane}`];
  const response = await fetch(`${url}/api/matches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${run.adminToken}` },
    body: JSON.stringify({
      env: ENV_KEY,
      seed: deriveSeed(run.seed, lane, game),
      league: 'bench-cluster-arena',
      seats: [0, 1].map((seat) => ({ kind: 'remote', agentId: names[seat === socketSeat ? 0 : 1] })),
      // Clocks no bench agent can miss, and no per-seat budget: a refusal would hide a lost message.
      settings: { moveTimeMs: 600_000, reconnectWindowMs: 600_000, rateLimit: { capacity: 1e6, refillPerSecond: 1e6, maxViolations: 1e6 } },
    }),
  });
  if (response.status !== 201) throw new Error(`bench: POST /api/matches answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { matchId: string; seatTokens: string[] };
}

/** One lane: matches back to back on process `lane mod N`, its Colyseus seat joined through the next process. */
async function lane(run: Run, index: number, socketio: SocketIoAgent): Promise<void> {
  const n = run.urls.length;
  const owner = run.urls[index % n]!;
  const colyseus = new ColyseusAgent(run.urls[(index + 1) % n]!, run.stats);
  const rngs = { socketio: new Rng(deriveSeed(run.seed, index, 1)), colyseus: new Rng(deriveSeed(run.seed, index, 2)) };
  for (let game = 0; performance.now() < run.stopAt; game++) {
    let room: Room | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const socketSeat = (index + game) % 2;
      const created = await createMatch(run, owner, index, game, socketSeat);
      const match = new MatchPlay(created.matchId);
      const seats = [new SeatPlay(match, 'socketio', rngs.socketio, run.stats), new SeatPlay(match, 'colyseus', rngs.colyseus, run.stats)] as const;
      const played = (async () => {
        const [, joined] = await Promise.all([
          socketio.join(created.matchId, created.seatTokens[socketSeat]!, seats[0]),
          colyseus.join(created.matchId, created.seatTokens[1 - socketSeat]!, seats[1]),
        ]);
        room = joined;
        await Promise.all(seats.map((seat) => seat.settled));
        return 'done' as const;
      })();
      const stalled = new Promise<'stalled'>((resolve) => {
        timer = setTimeout(() => resolve('stalled'), Math.max(0, Math.min(run.drainUntil, performance.now() + MATCH_STALL_MS) - performance.now()));
      });
      if ((await Promise.race([played, stalled])) === 'stalled') {
        run.unfinished++;
        run.stats.error('bench-stalled');
      } else if (run.stats.inWindow(performance.now())) run.finished++;
      socketio.forget(created.matchId);
    } catch (error) {
      run.unfinished++;
      run.stats.error('bench-failed');
      if (process.env['BENCH_DEBUG'] !== undefined) console.error(error);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      clearTimeout(timer);
      void (room as Room | undefined)?.leave().catch(() => undefined);
    }
  }
}

/** One cluster size: start the processes, play for the window, report. */
async function measure(processes: number, options: Required<ClusterArenaBenchOptions>): Promise<Record<string, unknown>> {
  const servers = await ClusterServers.start(processes, { redisUrl: options.redisUrl, postgresUrl: options.postgresUrl });
  const stats = new LoadStats();
  const run: Run = {
    urls: servers.urls,
    adminToken: servers.adminToken,
    seed: options.seed,
    stats,
    finished: 0,
    unfinished: 0,
    stopAt: Infinity,
    drainUntil: Infinity,
  };
  const agents: SocketIoAgent[] = [];
  try {
    for (let i = 0; i < options.matches; i++) agents.push(await SocketIoAgent.connect(run.urls[i % processes]!, stats));
    stats.windowStart = performance.now() + options.warmupSeconds * 1000;
    run.stopAt = stats.windowStart + options.seconds * 1000;
    stats.windowEnd = run.stopAt;
    run.drainUntil = run.stopAt + options.drainSeconds * 1000;
    const lanes = Promise.all(agents.map((agent, i) => lane(run, i, agent)));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stats.windowStart - performance.now())));
    const before = await servers.sample();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, run.stopAt - performance.now())));
    const after = await servers.sample();
    await lanes;
    const windowSec = options.seconds;
    const decisions = stats.windowDecisions.socketio + stats.windowDecisions.colyseus;
    const all = [...stats.roundTrips.socketio, ...stats.roundTrips.colyseus];
    const cpuMs = after.reduce((sum, s, i) => sum + s.cpuMs - before[i]!.cpuMs, 0);
    return {
      processes,
      decisionsPerSec: Math.round(decisions / windowSec),
      matchesPerSec: round(run.finished / windowSec),
      p50Ms: round(percentile(all, 0.5)),
      p99Ms: round(percentile(all, 0.99)),
      socketioP50Ms: round(percentile(stats.roundTrips.socketio, 0.5)),
      colyseusP50Ms: round(percentile(stats.roundTrips.colyseus, 0.5)),
      lost: stats.lostActs + stats.lostDecisions + run.unfinished,
      duplicated: stats.duplicated,
      concurrentMatches: options.matches,
      serverCpuPct: Math.round((100 * cpuMs) / (windowSec * 1000)),
      serverCpuPctPerProcess: after.map((s, i) => Math.round((100 * (s.cpuMs - before[i]!.cpuMs)) / (windowSec * 1000))),
      serverCpuMsPerDecision: decisions > 0 ? round(cpuMs / decisions, 3) : null,
      loadAverage: loadavg().map((x) => round(x)),
      errors: stats.errors,
    };
  } finally {
    for (const agent of agents) agent.close();
    await servers.close();
  }
}

/** The arena under load on 1 and 2 processes (or `processes`): `{ "1": {...}, "2": {...} }`. */
export async function runClusterArenaBench(options: ClusterArenaBenchOptions = {}): Promise<Record<string, Record<string, unknown>>> {
  const resolved: Required<ClusterArenaBenchOptions> = {
    processes: options.processes ?? [1, 2],
    matches: options.matches ?? 64,
    seconds: options.seconds ?? 15,
    warmupSeconds: options.warmupSeconds ?? 3,
    drainSeconds: options.drainSeconds ?? 15,
    seed: options.seed ?? 1,
    redisUrl: options.redisUrl ?? process.env['LUDUS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    postgresUrl: options.postgresUrl ?? process.env['LUDUS_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
  const results: Record<string, Record<string, unknown>> = {};
  for (const n of resolved.processes) results[String(n)] = await measure(n, resolved);
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      matches: { type: 'string', default: '64' },
      seconds: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '3' },
      processes: { type: 'string', default: '1,2' },
      seed: { type: 'string', default: '1' },
    },
  });
  const result = await runClusterArenaBench({
    processes: values.processes.split(',').map((n) => flag('processes', n, true)),
    matches: flag('matches', values.matches, true),
    seconds: flag('seconds', values.seconds),
    warmupSeconds: flag('warmup', values.warmup),
    seed: flag('seed', values.seed, true),
  });
  console.log(values.json ? JSON.stringify({ arena: result }) : JSON.stringify({ arena: result }, null, 2));
  process.exit(0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
