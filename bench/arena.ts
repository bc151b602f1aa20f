/**
 * `npm run bench:arena [-- --json]`: the arena under load. A forked child process runs the
 * arena server (bench/arena-server.ts: in-memory store, loopback, its own CPU and memory);
 * this process runs 2 x --matches external agents, half socket.io, half Colyseus, keeping
 * --matches connect-four-v1 matches in flight (one socket.io seat and one Colyseus seat in
 * each, a finished match replaced by a new one, created over HTTP) for --seconds after
 * --warmup seconds, then drains. Every agent answers each decision at once with a
 * seeded-random legal action. Definitions (see bench/arena-agents.ts):
 *  - decisionsPerSec: commits acked inside the measured window / its length.
 *  - p50Ms/p99Ms: decision round trip, client time from sending `act` to its Ack.
 *  - handoffP50Ms/handoffP99Ms: one seat's `act` sent -> the other seat's next `decision`.
 *  - lost: acts never acked + decisions refused or unroutable + matches not finished.
 *  - duplicated: a step committed twice, or a decision repeated after it was answered.
 *  - replaysVerified: finished matches whose stored replay has as many moves as the client
 *    committed (a mismatch counts as duplicated).
 *  - serverCpuMsPerDecision: server CPU in the window / decisions (match setup included); on a
 *    shared machine a steadier figure than decisionsPerSec.
 * Flags: --matches 200, --per-connection 1 (matches each socket.io connection plays at once: one
 * connection holding many matches is where coalescing writes pays), --seconds 20 (or --games N), --warmup 3, --drain 15, --runs 1 (N: the
 * run with the median decisionsPerSec is printed, with every run's summary), --seed 1,
 * --states (agents also take the per-step state messages; by default they join with states: false), --rate-limit off (lift the server's per-connection and per-seat budgets), --server-prof
 * (V8 CPU profile of the server child over the measured window, into .bench/arena-profiles/),
 * --syscalls (the server's writev/write/read/epoll_pwait calls per decision over the window,
 * counted by `perf stat`; null where perf cannot trace), --json (one line).
 */
import type { Room } from '@colyseus/sdk';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deriveSeed, Rng } from '../envs/index.ts';
import type { ServerStatsSample } from './arena-server.ts';
import { SERVER_NODE_FLAGS, ServerProcess } from './arena-server-process.ts';
import { ColyseusAgent, LoadStats, MatchPlay, SeatPlay, SocketIoAgent, TRANSPORTS, type TransportName } from './arena-agents.ts';
import { UsageError } from '../cli/cli-error.ts';
import { flag } from './flags.ts';
import { SyscallCounter, type SyscallCounts } from './syscall-count.ts';

export interface ArenaBenchOptions {
  /** Matches in flight at once; 2 agents each. */
  readonly matches: number;
  /** Matches each socket.io connection plays at once (default 1: one connection per agent). */
  readonly perConnection?: number;
  readonly seconds: number;
  /** Stop after this many games instead of --seconds (the window then ends when the last one does). */
  readonly games?: number;
  readonly warmupSeconds: number;
  /** Longest wait for the matches in flight once the window closed. */
  readonly drainSeconds: number;
  readonly seed: number;
  /** 'off' lifts the server's rate limits (socket.io per connection, runner per seat). */
  readonly rateLimit: 'default' | 'off';
  /** Agents also take the per-step state messages (default: decisions and match:end only, as agents join). */
  readonly states?: boolean;
  /** Write a V8 CPU profile of the server over the measured window to this file. */
  readonly profileFile?: string;
  /** Count the server's system calls over the window (perf stat; null where perf cannot). */
  readonly syscalls?: boolean;
}

const ENV_KEY = 'connect-four-v1';
/** A match still unfinished this long after it was created is given up (and counted lost). */
const MATCH_STALL_MS = 60_000;
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface LaneContext {
  readonly url: string;
  readonly server: ServerProcess;
  readonly options: ArenaBenchOptions;
  readonly stats: LoadStats;
  readonly finished: { matchId: string; moves: number }[];
  started: number;
  unfinished: number;
  stopAt: number;
  drainUntil: number;
}

async function createMatch(ctx: LaneContext, lane: number, game: number, socketSeat: number): Promise<{ matchId: string; seatTokens: string[] }> {
  const unlimited = { capacity: 1_000_000, refillPerSecond: 1_000_000, maxViolations: 1_000_000 };
  const names = [`bench-sio-${lane}`, `bench-col-${lane}`];
  const body = {
    env: ENV_KEY,
    seed: deriveSeed(ctx.options.seed, lane, game),
    league: 'bench-arena',
    seats: [0, 1].map((seat) => ({ kind: 'remote', agentId: names[seat === socketSeat ? 0 : 1] })),
    // Clocks no bench agent can miss: a timeout would hide a lost message.
    settings: { moveTimeMs: 600_000, reconnectWindowMs: 600_000, ...(ctx.options.rateLimit === 'off' ? { rateLimit: unlimited } : {}) },
  };
  const response = await fetch(`${ctx.url}/api/matches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.server.adminToken}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`bench: POST /api/matches answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { matchId: string; seatTokens: string[] };
}

const keepGoing = (ctx: LaneContext): boolean => (ctx.options.games === undefined ? performance.now() < ctx.stopAt : ctx.started < ctx.options.games);

interface LaneAgents {
  readonly socketio: SocketIoAgent;
  readonly colyseus: ColyseusAgent;
  readonly rngs: Record<TransportName, Rng>;
}

/** Where a match stands, so a stuck one can be reported by stage. */
interface Attempt {
  stage: 'create' | 'join' | 'play';
  /** Counted as unfinished already: a late end must not count it twice. */
  givenUp?: boolean;
  seats?: readonly SeatPlay[];
  room?: Room;
}

/** One match: create it, take both seats, play until both seats have their match:end and every Ack. */
async function playOne(ctx: LaneContext, index: number, game: number, agents: LaneAgents, attempt: Attempt): Promise<void> {
  const socketSeat = (index + game) % 2;
  const created = await createMatch(ctx, index, game, socketSeat);
  attempt.stage = 'join';
  const match = new MatchPlay(created.matchId);
  const seats = [new SeatPlay(match, 'socketio', agents.rngs.socketio, ctx.stats), new SeatPlay(match, 'colyseus', agents.rngs.colyseus, ctx.stats)] as const;
  attempt.seats = seats;
  try {
    const [, room] = await Promise.all([
      agents.socketio.join(created.matchId, created.seatTokens[socketSeat]!, seats[0]),
      agents.colyseus.join(created.matchId, created.seatTokens[1 - socketSeat]!, seats[1]),
    ]);
    attempt.room = room;
    attempt.stage = 'play';
    await Promise.all(seats.map((seat) => seat.settled));
    if (!attempt.givenUp) ctx.finished.push({ matchId: created.matchId, moves: match.committed.size });
  } finally {
    agents.socketio.forget(created.matchId);
  }
}

/** Plays matches back to back on one socket.io agent and one Colyseus agent. */
async function lane(ctx: LaneContext, index: number, socketio: SocketIoAgent): Promise<void> {
  const agents: LaneAgents = {
    socketio,
    colyseus: new ColyseusAgent(ctx.url, ctx.stats, ctx.options.states === true),
    rngs: { socketio: new Rng(deriveSeed(ctx.options.seed, index, 1)), colyseus: new Rng(deriveSeed(ctx.options.seed, index, 2)) },
  };
  for (let game = 0; keepGoing(ctx); game++) {
    ctx.started++;
    const attempt: Attempt = { stage: 'create' };
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), Math.max(0, Math.min(ctx.drainUntil, performance.now() + MATCH_STALL_MS) - performance.now()));
    });
    try {
      if ((await Promise.race([playOne(ctx, index, game, agents, attempt), stalled])) === 'stalled') {
        attempt.givenUp = true;
        ctx.unfinished++;
        ctx.stats.error(`bench-stalled-${attempt.stage}`);
        ctx.stats.lostActs += (attempt.seats ?? []).filter((seat) => seat.hasPendingAct).length;
      }
    } catch (error) {
      ctx.unfinished++;
      ctx.stats.error(`bench-failed-${attempt.stage}`);
      if (process.env['BENCH_DEBUG'] !== undefined) console.error(error);
      if (attempt.stage === 'create') await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      clearTimeout(timer);
      void attempt.room?.leave().catch(() => undefined);
    }
  }
}

/** Replays from the server against the client-side commits; returns the mismatches. */
async function verify(ctx: LaneContext): Promise<{ verified: number; mismatched: number }> {
  let verified = 0;
  let mismatched = 0;
  const queue = ctx.finished.slice();
  const worker = async (): Promise<void> => {
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      const response = await fetch(`${ctx.url}/api/replays/${item.matchId}`);
      const record = response.ok ? ((await response.json()) as { history: unknown[] }) : undefined;
      if (record?.history.length === item.moves) verified++;
      else mismatched++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { verified, mismatched };
}

export async function runArenaBench(options: ArenaBenchOptions): Promise<Record<string, unknown>> {
  const { server, url } = await ServerProcess.start(options.rateLimit, []);
  const stats = new LoadStats();
  const ctx: LaneContext = { url, server, options, stats, finished: [], started: 0, unfinished: 0, stopAt: Infinity, drainUntil: Infinity };
  const socketAgents: SocketIoAgent[] = [];
  try {
    const perConnection = Math.max(1, options.perConnection ?? 1);
    for (let i = 0; i < Math.ceil(options.matches / perConnection); i++) socketAgents.push(await SocketIoAgent.connect(url, stats, options.states === true));
    const begin = performance.now();
    stats.windowStart = begin + options.warmupSeconds * 1000;
    ctx.stopAt = stats.windowStart + options.seconds * 1000;
    ctx.drainUntil = options.games === undefined ? ctx.stopAt + options.drainSeconds * 1000 : Infinity;
    if (options.games === undefined) stats.windowEnd = ctx.stopAt;
    const lanes = Promise.all(Array.from({ length: options.matches }, (_, i) => lane(ctx, i, socketAgents[Math.floor(i / perConnection)]!)));
    const before = await sampleAt(server, stats.windowStart);
    if (options.profileFile !== undefined) server.startProfile();
    const syscalls = options.syscalls === true ? SyscallCounter.start(server.child.pid!) : undefined;
    const cpuBefore = process.cpuUsage();
    // CPU is measured over the window only (the drain runs at falling concurrency).
    const timed = options.games === undefined ? await sampleAt(server, ctx.stopAt) : undefined;
    let cpuAfter = process.cpuUsage(cpuBefore);
    const counted = timed === undefined ? undefined : await syscalls?.stop();
    const profiled = options.profileFile !== undefined && timed !== undefined ? server.stopProfile(options.profileFile) : undefined;
    await lanes;
    await (profiled ?? (options.profileFile === undefined ? undefined : server.stopProfile(options.profileFile)));
    const syscallCounts = timed === undefined ? await syscalls?.stop() : counted;
    if (timed === undefined) cpuAfter = process.cpuUsage(cpuBefore);
    const windowEnd = Math.min(stats.windowEnd, performance.now());
    stats.windowEnd = windowEnd;
    const after = timed ?? server.latest!;
    const checked = await verify(ctx);
    return report(ctx, {
      before,
      after,
      windowSec: (windowEnd - stats.windowStart) / 1000,
      benchCpuMs: (cpuAfter.user + cpuAfter.system) / 1000,
      checked,
      syscalls: syscallCounts,
    });
  } finally {
    for (const agent of socketAgents) agent.close();
    await server.close();
  }
}

async function sampleAt(server: ServerProcess, at: number): Promise<ServerStatsSample> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
  return server.sample();
}

interface Measured {
  readonly before: ServerStatsSample;
  readonly after: ServerStatsSample;
  readonly windowSec: number;
  readonly benchCpuMs: number;
  readonly checked: { verified: number; mismatched: number };
  readonly syscalls: SyscallCounts | undefined;
}

function syscallsPer(counts: SyscallCounts | undefined, decisions: number): Record<string, number> | null {
  if (counts === undefined || decisions === 0) return null;
  return Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, round(count / decisions, 3)]));
}

function report(ctx: LaneContext, m: Measured): Record<string, unknown> {
  const { stats, server, options } = ctx;
  const all = [...stats.roundTrips.socketio, ...stats.roundTrips.colyseus];
  const windowDecisions = stats.windowDecisions.socketio + stats.windowDecisions.colyseus;
  const transports = Object.fromEntries(
    TRANSPORTS.map((t) => [
      t,
      {
        decisions: stats.windowDecisions[t],
        p50Ms: round(percentile(stats.roundTrips[t], 0.5)),
        p99Ms: round(percentile(stats.roundTrips[t], 0.99)),
      },
    ]),
  );
  const loopActive = m.after.activeMs - m.before.activeMs;
  const loopTotal = loopActive + m.after.idleMs - m.before.idleMs;
  return {
    decisionsPerSec: Math.round(windowDecisions / m.windowSec),
    p50Ms: round(percentile(all, 0.5)),
    p99Ms: round(percentile(all, 0.99)),
    maxMs: round(percentile(all, 1)),
    handoffP50Ms: round(percentile(stats.handoffs, 0.5)),
    handoffP99Ms: round(percentile(stats.handoffs, 0.99)),
    lost: stats.lostActs + stats.lostDecisions + ctx.unfinished,
    lostBreakdown: { acts: stats.lostActs, decisions: stats.lostDecisions, unfinishedMatches: ctx.unfinished },
    duplicated: stats.duplicated + m.checked.mismatched,
    matches: ctx.finished.length,
    concurrentMatches: options.matches,
    agents: 2 * options.matches,
    socketIoConnections: Math.ceil(options.matches / Math.max(1, options.perConnection ?? 1)),
    totalDecisions: stats.totalDecisions,
    replaysVerified: m.checked.verified,
    replayMismatches: m.checked.mismatched,
    transports,
    serverMemory: {
      rssMb: round(m.after.rssMb, 1),
      heapUsedMb: round(m.after.heapUsedMb, 1),
      peakRssMb: round(server.peakRssMb, 1),
      peakHeapUsedMb: round(server.peakHeapUsedMb, 1),
    },
    serverCpuPct: Math.round((100 * (m.after.cpuMs - m.before.cpuMs)) / (m.windowSec * 1000)),
    // Robust to a shared machine: what one decision costs the server (match setup included).
    serverCpuMsPerDecision: windowDecisions > 0 ? round((m.after.cpuMs - m.before.cpuMs) / windowDecisions, 3) : null,
    serverEventLoopUtilization: loopTotal > 0 ? round(loopActive / loopTotal) : null,
    serverNodeFlags: SERVER_NODE_FLAGS.join(' '),
    ...(options.syscalls === true ? { serverSyscallsPerDecision: syscallsPer(m.syscalls, windowDecisions) } : {}),
    benchCpuPct: Math.round((100 * m.benchCpuMs) / (m.windowSec * 1000)),
    loadAverage: loadavg().map((x) => round(x)),
    durationSec: round(m.windowSec),
    warmupSec: options.warmupSeconds,
    rateLimit: options.rateLimit,
    states: options.states === true,
    errors: stats.errors,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      matches: { type: 'string', default: '200' },
      'per-connection': { type: 'string', default: '1' },
      seconds: { type: 'string', default: '20' },
      games: { type: 'string' },
      runs: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '3' },
      drain: { type: 'string', default: '15' },
      seed: { type: 'string', default: '1' },
      'rate-limit': { type: 'string', default: 'default' },
      'server-prof': { type: 'boolean' },
      syscalls: { type: 'boolean' },
      states: { type: 'boolean' },
    },
  });
  const rateLimit = values['rate-limit'];
  if (rateLimit !== 'off' && rateLimit !== 'default') throw new UsageError(`--rate-limit ${rateLimit}`, 'use --rate-limit off or default');
  const options: ArenaBenchOptions = {
    matches: flag('matches', values.matches, true),
    perConnection: Math.max(1, flag('per-connection', values['per-connection'], true)),
    seconds: flag('seconds', values.seconds),
    warmupSeconds: flag('warmup', values.warmup),
    drainSeconds: flag('drain', values.drain),
    seed: flag('seed', values.seed, true),
    rateLimit,
    states: values.states === true,
    syscalls: values.syscalls === true,
    ...(values.games === undefined ? {} : { games: flag('games', values.games, true) }),
    ...(values['server-prof'] ? { profileFile: `.bench/arena-profiles/server-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile` } : {}),
  };
  const runs: Record<string, unknown>[] = [];
  for (let run = 0; run < flag('runs', values.runs, true); run++) {
    runs.push(await runArenaBench({ ...options, seed: options.seed + run }));
    if (!values.json) console.error(`run ${run + 1}: ${runs[run]!.decisionsPerSec} decisions/s, p99 ${runs[run]!.p99Ms} ms`);
  }
  const sorted = runs.slice().sort((a, b) => (a.decisionsPerSec as number) - (b.decisionsPerSec as number));
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const result =
    runs.length === 1
      ? median
      : {
          ...median,
          runs: runs.map((r) => ({ decisionsPerSec: r.decisionsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, lost: r.lost, duplicated: r.duplicated })),
        };
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
  // A Colyseus room of a stalled match may still hold the event loop open.
  process.exit(0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
