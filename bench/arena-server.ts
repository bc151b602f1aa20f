/**
 * The arena server of `bench/arena.ts`, run as a forked child process so that its CPU and
 * memory are its own: an in-memory store, a free loopback port, the admin token from
 * `LUDUS_ADMIN_TOKEN`. Over IPC it sends `{ type: 'ready', url }` once listening, then a
 * `stats` sample (memory, cumulative CPU, event-loop utilization) every 250 ms, and closes
 * on `{ type: 'close' }`; `{ type: 'reset-ticks' }` starts the tick counters afresh. `BENCH_RATE_LIMIT=off` lifts the socket.io per-connection budget.
 * `{ type: 'profile-start' }` / `{ type: 'profile-stop', file }` take a V8 CPU profile of the
 * measured window only (start-up, warm-up, drain and the replay checks stay out of it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { startArenaServer, type ArenaServer } from '../arena/main.ts';
import type { TickStatsSnapshot } from '../arena/match/tick-stats.ts';

export interface ServerStatsSample {
  readonly type: 'stats';
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** Cumulative user + system CPU of the server process, ms. */
  readonly cpuMs: number;
  /** Cumulative event-loop idle and active time, ms (performance.eventLoopUtilization). */
  readonly idleMs: number;
  readonly activeMs: number;
  /** Real-time matches: tick timings since the last `reset-ticks`. */
  readonly ticks: TickStatsSnapshot;
}

export type ServerToBench = { readonly type: 'ready'; readonly url: string } | { readonly type: 'profile-written'; readonly file: string } | ServerStatsSample;

const MB = 1024 * 1024;
const UNLIMITED = { capacity: 1e9, refillPerSecond: 1e9, maxViolations: 1e9 };

function sample(server: ArenaServer): ServerStatsSample {
  // Not process.memoryUsage(): it costs milliseconds a call in a busy server (about 1% of its CPU at four samples a second).
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  return {
    type: 'stats',
    rssMb: process.memoryUsage.rss() / MB,
    heapUsedMb: getHeapStatistics().used_heap_size / MB,
    cpuMs: (cpu.user + cpu.system) / 1000,
    idleMs: loop.idle,
    activeMs: loop.active,
    ticks: server.arena.matches.tickStats.snapshot(),
  };
}

async function startProfile(session: Session): Promise<void> {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}

async function stopProfile(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('bench/arena-server.ts runs as a forked child of bench/arena.ts');
  const server = await startArenaServer({
    port: 0,
    storeDir: ':memory:',
    logger: false,
    // Hundreds of simulated clients share one loopback address: the per-address caps would count them as one.
    connections: { maxConnections: 100_000, maxConnectionsPerIp: 100_000 },
    // The bench is the admin here: its match creations and replay checks are not an HTTP flood.
    rates: { http: UNLIMITED },
    ...(process.env['BENCH_RATE_LIMIT'] === 'off'
      ? { socketio: { rateLimit: UNLIMITED }, rates: { http: UNLIMITED, matchmake: UNLIMITED, gateway: UNLIMITED, rooms: UNLIMITED } }
      : {}),
  });
  const send = (message: ServerToBench): void => {
    process.send?.(message);
  };
  send({ type: 'ready', url: server.url });
  const timer = setInterval(() => send(sample(server)), 250);
  const profiler = new Session();
  process.on('message', (message: { type?: string; file?: string }) => {
    if (message.type === 'reset-ticks') server.arena.matches.tickStats.reset();
    if (message.type === 'profile-start') void startProfile(profiler);
    if (message.type === 'profile-stop' && message.file !== undefined) {
      const file = message.file;
      void stopProfile(profiler, file).then(() => send({ type: 'profile-written', file }));
    }
    if (message.type !== 'close') return;
    clearInterval(timer);
    send(sample(server));
    void server.close().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}

await main();
