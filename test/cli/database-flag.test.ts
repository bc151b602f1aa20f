/**
 * The store commands on PostgreSQL: `--database URL` or LUDUS_DATABASE_URL instead of the
 * SQLite file in --store (which then holds no store and no lock), and two servers on one
 * database at once (the SQLite directory lock does not apply).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LOCK_FILE } from '../../league/storage/store-lock.ts';
import { PgStore } from '../../league/storage/pg-store.ts';
import { STORE_FILE } from '../../league/storage/sqlite-store.ts';
import { usePostgres } from '../helpers/postgres.ts';
import { runCli, startCli } from './run-cli.ts';

const CONFIG = `name: pg-league
env: tic-tac-toe-v1
seed: 5
members:
  - { agentId: random, agent: random }
  - { agentId: first, agent: first-legal }
schedule: { concurrency: 8 }
stop: { matches: 40 }
`;
const ADMIN = 'database-flag-test-admin-token';

/** Starts `ludus serve` and resolves with its URL once it listens. */
async function serve(args: string[]) {
  const { child, done } = startCli(['serve', '--port', '0', ...args], undefined, { LUDUS_ADMIN_TOKEN: ADMIN });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+) /.exec(out);
      if (found) resolve(found[1]!);
    });
    done.then((r) => reject(new Error(`serve exited early: ${r.stderr}`)));
  });
  const stop = () => {
    child.kill('SIGTERM');
    return done;
  };
  return { url, stop };
}

describe('cli: --database and LUDUS_DATABASE_URL', function () {
  this.timeout(120_000);
  const db = usePostgres();
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-cli-pg-'));
    writeFileSync(join(dir, 'league.yaml'), CONFIG);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a league into PostgreSQL and reads it back with the league commands', async () => {
    const data = join(dir, 'data');
    const run = await runCli(['league', 'run', '--config', join(dir, 'league.yaml'), '--store', data, '--database', db().url, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.include({ league: 'pg-league', total: 40, played: 40 });
    expect(existsSync(join(data, STORE_FILE))).to.equal(false);

    const standings = await runCli(['league', 'standings', '--json'], dir, { LUDUS_DATABASE_URL: db().url });
    expect(standings.code, standings.stderr).to.equal(0);
    expect((JSON.parse(standings.stdout) as { agentId: string }[]).map((r) => r.agentId)).to.have.members(['random', 'first']);
    const csv = await runCli(['league', 'export', '--format', 'csv', '--database', db().url]);
    expect(csv.code, csv.stderr).to.equal(0);
    expect(csv.stdout.trim().split('\n')).to.have.length(41);
    // The flag wins over the variable.
    const matches = await runCli(['league', 'matches', '--limit', '3', '--json', '--database', db().url], dir, {
      LUDUS_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(JSON.parse(matches.stdout).map((m: { index: number }) => m.index)).to.deep.equal([39, 38, 37]);
  });

  it('serves two arena processes on one database, each storing its matches there', async () => {
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    const servers = await Promise.all([serve(['--store', a, '--database', db().url]), serve(['--store', b, '--database', db().url])]);
    try {
      const ids: string[] = [];
      for (const server of servers) {
        const created = await fetch(`${server.url}/api/matches`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({
            env: 'tic-tac-toe-v1',
            seats: [
              { kind: 'agent', agent: 'random' },
              { kind: 'agent', agent: 'first-legal' },
            ],
          }),
        });
        expect(created.status).to.equal(201);
        ids.push(((await created.json()) as { matchId: string }).matchId);
      }
      // Each server answers for the other's finished match too: the store is shared.
      for (const [i, server] of servers.entries()) {
        const other = ids[1 - i]!;
        let status = '';
        for (let tries = 0; tries < 1500 && status !== 'finished'; tries++) {
          const view = await fetch(`${server.url}/api/matches/${other}`);
          status = ((await view.json()) as { status: string }).status;
          if (status !== 'finished') await new Promise((resolve) => setTimeout(resolve, 20)); // poll the other process's result
        }
        expect(status).to.equal('finished');
      }
    } finally {
      for (const server of servers) expect((await server.stop()).code).to.equal(0);
    }
    expect([a, b].some((d) => existsSync(join(d, LOCK_FILE)) || existsSync(join(d, STORE_FILE)))).to.equal(false);
    const store = await PgStore.open(db().url);
    try {
      const league = (await store.getLeague('arena-tic-tac-toe-v1'))!;
      expect(await store.countMatches(league.id)).to.equal(2);
      expect(league.ratedThrough).to.equal(2);
    } finally {
      await store.close();
    }
  });
});
