/**
 * The parent's handle on bench/arena-server.ts: forks it (tsx, a fresh admin token), waits
 * for its URL, keeps its latest and peak memory samples, and closes it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ServerStatsSample, ServerToBench } from './arena-server.ts';

const SERVER_ENTRY = fileURLToPath(new URL('./arena-server.ts', import.meta.url));
/**
 * The server's V8 flags, as `npm start` runs it: a 32 MB young generation. A server's garbage
 * is almost all short-lived (messages, acks, parsed envelopes); with V8's default 16 MB limit
 * the collector took about a tenth of the arena's CPU under load, with 32 MB about a twenty-fifth.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'] as const;

/** The arena in a child process, with its latest and peak memory and CPU samples. */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly adminToken: string;
  latest: ServerStatsSample | undefined;
  peakRssMb = 0;
  peakHeapUsedMb = 0;

  private constructor(child: ChildProcess, adminToken: string) {
    this.child = child;
    this.adminToken = adminToken;
  }

  static async start(rateLimit: 'default' | 'off', execArgv: readonly string[]): Promise<{ server: ServerProcess; url: string }> {
    const adminToken = `ladm_${randomBytes(18).toString('base64url')}`;
    const child = fork(SERVER_ENTRY, [], {
      execArgv: ['--import', 'tsx', ...SERVER_NODE_FLAGS, ...execArgv],
      env: { ...process.env, BENCH_RATE_LIMIT: rateLimit, LUDUS_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new ServerProcess(child, adminToken);
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench: the arena server exited (${code})`)));
      child.on('message', (message: ServerToBench) => {
        // @colyseus/core loads @pm2/io, which posts its own ('axm:*') messages on any IPC channel.
        if (message.type === 'ready') resolve(message.url);
        else if (message.type === 'stats') server.record(message);
      });
    });
    child.removeAllListeners('exit');
    return { server, url };
  }

  private record(sample: ServerStatsSample): void {
    this.latest = sample;
    this.peakRssMb = Math.max(this.peakRssMb, sample.rssMb);
    this.peakHeapUsedMb = Math.max(this.peakHeapUsedMb, sample.heapUsedMb);
  }

  /** Waits for the next sample (fresh CPU counters). */
  sample(): Promise<ServerStatsSample> {
    return new Promise((resolve) => {
      const listener = (m: ServerToBench): void => {
        if (m.type !== 'stats') return; // other IPC traffic (@pm2/io) passes by
        this.child.off('message', listener);
        resolve(m);
      };
      this.child.on('message', listener);
    });
  }

  /** Starts a CPU profile of the server; `stopProfile` writes it to `file`. */
  startProfile(): void {
    this.child.send({ type: 'profile-start' });
  }

  /** Resolves once the profile is written. */
  stopProfile(file: string): Promise<void> {
    const written = new Promise<void>((resolve) => {
      const listener = (m: ServerToBench): void => {
        if (m.type !== 'profile-written') return;
        this.child.off('message', listener);
        resolve();
      };
      this.child.on('message', listener);
    });
    this.child.send({ type: 'profile-stop', file });
    return written;
  }

  /** Starts the server's tick counters afresh. */
  resetTicks(): void {
    this.child.send({ type: 'reset-ticks' });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
