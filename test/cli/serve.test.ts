import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVE_HELP, serveCommand } from '../../cli/commands/serve.ts';
import { SqliteStore } from '../../league/storage/sqlite-store.ts';

import { BIN } from './run-cli.ts';
import { captureOutput } from '../helpers/capture-output.ts';

describe('cli/commands/serve', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ludus-serve-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its help', async () => {
    expect(SERVE_HELP).to.include('--port');
    const help = await captureOutput(() => serveCommand(['--help']));
    expect(help.result).to.equal(0);
    expect(help.stdout).to.equal(`${SERVE_HELP}\n`);
  });

  it('rejects a bad port naming the flag', async () => {
    let error: unknown;
    try {
      await serveCommand(['--port', 'http']);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.include('--port');
  });

  it('stores a running match as aborted when stopped with SIGTERM, and exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', dir], {
      env: { ...process.env, LUDUS_ADMIN_TOKEN: 'sigterm-test-admin-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /listening on (http:\/\/\S+) /.exec(out);
        if (found) resolve(found[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const created = await fetch(`${url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sigterm-test-admin-token' },
      body: JSON.stringify({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] }),
    });
    const { matchId } = (await created.json()) as { matchId: string };
    child.kill('SIGTERM');
    expect(await exited, stderr).to.equal(0);
    const store = new SqliteStore(dir);
    try {
      expect((await store.getArenaMatch(matchId))!.status).to.equal('aborted');
      expect((await store.getArenaMatch(matchId))!.index).to.equal(0);
    } finally {
      await store.close();
    }
  });
});
