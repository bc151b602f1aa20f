/**
 * The bench's handle on a cluster of N forked bench/cluster-arena-server.ts processes: a
 * fresh PostgreSQL database and Redis key prefix for the run (both removed at `close`), one
 * admin token for all, free loopback ports, CPU samples on demand.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { ClusterBenchServerConfig, ClusterServerToBench } from './cluster-arena-server.ts';

const SERVER_ENTRY = fileURLToPath(new URL('./cluster-arena-server.ts', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class ClusterServers {
  readonly urls: string[] = [];
  readonly adminToken = `ladm_${randomBytes(18).toString('base64url')}`;
  private readonly children: ChildProcess[] = [];
  private readonly postgresUrl: string;
  private readonly redisUrl: string;
  private readonly database = `ludus_bench_${randomBytes(5).toString('hex')}`;
  private readonly keyPrefix = `ludus-bench-${randomBytes(5).toString('hex')}:`;

  private constructor(redisUrl: string, postgresUrl: string) {
    this.redisUrl = redisUrl;
    this.postgresUrl = postgresUrl;
  }

  /** Creates the database, then starts the processes one after the other (the first one migrates the store). */
  static async start(processes: number, options: { readonly redisUrl: string; readonly postgresUrl: string }): Promise<ClusterServers> {
    const servers = new ClusterServers(options.redisUrl, options.postgresUrl);
    await servers.admin(`CREATE DATABASE ${servers.database}`);
    try {
      for (let i = 0; i < processes; i++) servers.urls.push(await servers.fork());
    } catch (error) {
      await servers.close();
      throw error;
    }
    return servers;
  }

  /** Each process's cumulative CPU (ms), in process order. */
  sample(): Promise<{ cpuMs: number; rssMb: number }[]> {
    return Promise.all(
      this.children.map(
        (child) =>
          new Promise<{ cpuMs: number; rssMb: number }>((resolve) => {
            const listener = (message: ClusterServerToBench): void => {
              if (message.type !== 'stats') return;
              child.off('message', listener);
              resolve(message);
            };
            child.on('message', listener);
            child.send({ type: 'sample' });
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.splice(0).map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.admin(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => undefined);
    const redis = new Redis(this.redisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  private async fork(): Promise<string> {
    const url = new URL(this.postgresUrl);
    url.pathname = `/${this.database}`;
    const config: ClusterBenchServerConfig = { port: await freePort(), redisUrl: this.redisUrl, keyPrefix: this.keyPrefix, databaseUrl: url.toString() };
    const child = fork(SERVER_ENTRY, [], {
      // BENCH_CLUSTER_NODE_ARGS: extra node flags for every process (e.g. --cpu-prof --cpu-prof-dir=DIR).
      execArgv: ['--import', 'tsx', ...(process.env['BENCH_CLUSTER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])],
      env: { ...process.env, BENCH_CLUSTER: JSON.stringify(config), LUDUS_ADMIN_TOKEN: this.adminToken },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.children.push(child);
    return new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench: a cluster process exited (${code})`)));
      const listener = (message: ClusterServerToBench): void => {
        // @colyseus/core loads @pm2/io, which posts its own messages on any IPC channel.
        if (message.type !== 'ready') return;
        child.off('message', listener);
        child.removeAllListeners('exit');
        resolve(message.url);
      };
      child.on('message', listener);
    });
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.postgresUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
