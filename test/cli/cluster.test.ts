/**
 * `ludus cluster`: N `ludus serve` processes on consecutive ports, one Redis and one
 * PostgreSQL store, stopped together by one SIGTERM.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import { CLUSTER_HELP, clusterCommand } from '../../cli/commands/cluster.ts';
import { captureOutput } from '../helpers/capture-output.ts';
import {
  createRedisPrefix,
  createTestDatabase,
  requireServices,
  TEST_REDIS_URL,
  type TestDatabase,
  type TestRedisPrefix,
} from '../helpers/cluster-services.ts';
import { startCli } from './run-cli.ts';

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A base port with `count` free ports from it. */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free ports');
}

describe('cli/commands/cluster', () => {
  it('prints its help and needs --redis and --database', async () => {
    const help = await captureOutput(() => clusterCommand(['--help']));
    expect(help.stdout).to.equal(`${CLUSTER_HELP}\n`);
    const missing = (argv: string[]) =>
      clusterCommand(argv).then(
        () => undefined,
        (error: Error) => error.message,
      );
    const saved = { redis: process.env['LUDUS_REDIS_URL'], db: process.env['LUDUS_DATABASE_URL'] };
    delete process.env['LUDUS_REDIS_URL'];
    delete process.env['LUDUS_DATABASE_URL'];
    try {
      expect(await missing([])).to.include('--redis');
      expect(await missing(['--redis', 'redis://127.0.0.1:6379'])).to.include('--database');
      expect(await missing(['--redis', 'redis://x', '--database', 'postgres://x', '--processes', '0'])).to.include('--processes');
    } finally {
      if (saved.redis !== undefined) process.env['LUDUS_REDIS_URL'] = saved.redis;
      if (saved.db !== undefined) process.env['LUDUS_DATABASE_URL'] = saved.db;
    }
  });

  describe('with Redis and PostgreSQL', function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let redis: TestRedisPrefix | undefined;
    before(async function () {
      await requireServices(this);
      database = await createTestDatabase();
      redis = createRedisPrefix();
    });
    after(async function () {
      this.timeout(30_000);
      await database?.drop();
      await redis?.clear();
    });

    it('runs two processes on consecutive ports sharing one store, and stops both on SIGTERM', async () => {
      const base = await freePorts(2);
      const { child, done } = startCli([
        'cluster',
        '--processes',
        '2',
        '--port',
        String(base),
        '--redis',
        TEST_REDIS_URL,
        '--database',
        database!.url,
        '--redis-prefix',
        redis!.prefix,
      ]);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      try {
        const urls = [`http://127.0.0.1:${base}`, `http://127.0.0.1:${base + 1}`];
        for (let i = 0; i < 600 && !urls.every((url) => out.includes(`listening on ${url}`)); i++) await new Promise((r) => setTimeout(r, 100));
        expect(out).to.include(`  ${urls[0]}   (web viewer:`);
        expect(out).to.include('admin token (set LUDUS_ADMIN_TOKEN to choose your own): ');
        for (const url of urls) expect(out).to.include(`listening on ${url}`);
        const token = /admin token \(set LUDUS_ADMIN_TOKEN to choose your own\): (\S+)/.exec(out)![1]!;
        const created = await fetch(`${urls[1]}/api/matches`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] }),
        });
        expect(created.status).to.equal(201); // the token is the cluster's: every process takes it
        const { matchId } = (await created.json()) as { matchId: string };
        const onFirst = await fetch(`${urls[0]}/api/matches/${matchId}`).then((r) => r.json() as Promise<{ status: string }>);
        expect(onFirst.status).to.equal('live');
      } finally {
        child.kill('SIGTERM');
      }
      const result = await done;
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('SIGTERM: stopping the 2 process(es)');
      expect(await portFree(base)).to.equal(true);
      expect(await portFree(base + 1)).to.equal(true);
    });
  });
});
