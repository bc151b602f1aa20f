/**
 * One process of the cluster that bench/cluster-arena.ts measures, forked by
 * bench/cluster-arena-server-process.ts: `startArenaServer` on the port, Redis, key prefix
 * and PostgreSQL database given in BENCH_CLUSTER (JSON), with the per-address caps and rate
 * limits lifted (hundreds of simulated clients share one loopback address). Over IPC: `ready`
 * once listening, a `stats` sample (cumulative CPU) on each `sample` request, exit on `close`.
 */
import { startArenaServer } from '../arena/main.ts';

export interface ClusterBenchServerConfig {
  readonly port: number;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly databaseUrl: string;
}

export type ClusterServerToBench =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'stats'; readonly cpuMs: number; readonly rssMb: number };

const UNLIMITED = { capacity: 1e9, refillPerSecond: 1e9, maxViolations: 1e9 };

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('bench/cluster-arena-server.ts runs as a forked child of bench/cluster-arena.ts');
  const config = JSON.parse(process.env['BENCH_CLUSTER'] ?? '{}') as ClusterBenchServerConfig;
  const server = await startArenaServer({
    port: config.port,
    host: '127.0.0.1',
    database: config.databaseUrl,
    cluster: { redisUrl: config.redisUrl, publicAddress: `127.0.0.1:${config.port}`, keyPrefix: config.keyPrefix },
    logger: false,
    viewerDir: false,
    connections: { maxConnections: 100_000, maxConnectionsPerIp: 100_000 },
    socketio: { rateLimit: UNLIMITED },
    rates: { http: UNLIMITED, matchmake: UNLIMITED, gateway: UNLIMITED, rooms: UNLIMITED },
  });
  const send = (message: ClusterServerToBench): void => {
    process.send?.(message);
  };
  send({ type: 'ready', url: server.url });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'sample') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1024 / 1024 });
    }
    if (message.type === 'close') void server.close().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}

await main();
