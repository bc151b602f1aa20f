/**
 * Real cluster processes for the tests: each node is `ludus serve --redis ... --database ...
 * --public-address 127.0.0.1:<port>` started through bin/ludus.js as a child process, on
 * its own Redis key prefix and PostgreSQL database (test/helpers/cluster-services.ts). Fast
 * heartbeats, so a killed process is noticed within seconds. `stopAll` ends whatever is left
 * (SIGKILL after a grace period), also after a failed test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from '../../cli/run-cli.ts';
import { createRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, type TestRedisPrefix } from '../../helpers/cluster-services.ts';

export const ADMIN_TOKEN = 'cluster-test-admin-token';
export const HEARTBEAT_MS = 250;
export const NODE_TIMEOUT_MS = 2000;

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface NodeProcess {
  readonly url: string;
  readonly port: number;
  readonly nodeId: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Waits until the output matches `pattern` (or the process exits: rejects). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

export interface StartNodeOptions {
  readonly port?: number;
  readonly league?: string;
  /** Default NODE_TIMEOUT_MS. */
  readonly nodeTimeoutMs?: number;
  readonly args?: readonly string[];
}

export class TestCluster {
  readonly nodes: NodeProcess[] = [];
  database: TestDatabase | undefined;
  redis: TestRedisPrefix | undefined;

  /** Creates the database and the key prefix; call in `before`/`beforeEach`. */
  async setUp(): Promise<void> {
    this.database = await createTestDatabase();
    this.redis = createRedisPrefix();
  }

  get databaseUrl(): string {
    if (this.database === undefined) throw new Error('setUp() first');
    return this.database.url;
  }

  /** Starts one node and waits until it listens. */
  async start(options: StartNodeOptions = {}): Promise<NodeProcess> {
    const port = options.port ?? (await freePort());
    const args = [BIN, 'serve', '--port', String(port), '--public-address', `127.0.0.1:${port}`, '--redis', TEST_REDIS_URL, '--database', this.databaseUrl];
    args.push(
      '--redis-prefix',
      this.redis!.prefix,
      '--heartbeat-ms',
      String(HEARTBEAT_MS),
      '--node-timeout-ms',
      String(options.nodeTimeoutMs ?? NODE_TIMEOUT_MS),
    );
    if (options.league !== undefined) args.push('--league', options.league, '--progress-every', '0.5');
    args.push(...(options.args ?? []));
    const child = spawn(process.execPath, args, {
      env: { ...process.env, LUDUS_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const waiters = new Set<() => void>();
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      for (const wake of [...waiters]) wake();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => {
        resolve({ code, signal });
        for (const wake of [...waiters]) wake();
      }),
    );
    const waitFor = (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern} in the output of node :${port}:\n${out}`)), timeoutMs);
        const check = (): void => {
          const found = pattern.exec(out);
          if (found !== null) done(undefined, found);
          else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`node :${port} exited before ${pattern}:\n${out}`));
        };
        function done(error?: Error, found?: RegExpExecArray): void {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(found!);
        }
        waiters.add(check);
        check();
      });
    const node: NodeProcess = { url: `http://127.0.0.1:${port}`, port, nodeId: `127.0.0.1:${port}`, child, exited, output: () => out, waitFor };
    this.nodes.push(node);
    await waitFor(/listening on http:\/\/\S+/);
    return node;
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  async kill(node: NodeProcess): Promise<void> {
    node.child.kill('SIGKILL');
    await node.exited;
  }

  /** SIGTERM and the process's own shutdown; SIGKILL after `graceMs`. */
  async stop(node: NodeProcess, graceMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGTERM');
      const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
      const result = await node.exited;
      clearTimeout(timer);
      return result;
    }
    return node.exited;
  }

  /** Stops every node, then drops the database and the Redis keys (call in `after`/`afterEach`, whatever happened). */
  async tearDown(): Promise<void> {
    await Promise.all(this.nodes.splice(0).map((node) => this.stop(node, 10_000)));
    await this.database?.drop().catch(() => undefined);
    await this.redis?.clear().catch(() => undefined);
    this.database = undefined;
    this.redis = undefined;
  }

  /** An admin HTTP call to a node. */
  async admin<T>(node: NodeProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}
