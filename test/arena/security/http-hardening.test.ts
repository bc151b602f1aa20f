/**
 * Issue #12, the smaller items of "Security and fairness": WebSocket Origin checks, security
 * headers, the admin token's minimum length and Bearer scheme, one error format everywhere,
 * 128-character match ids.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import WebSocket from 'ws';
import { buildArena } from '../../../arena/build-arena.ts';
import { startArenaServer, type ArenaServer } from '../../../arena/main.ts';
import { LudusError } from '../../../envs/index.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { ARENA_ERROR_CODE_LIST } from '../../../protocol/errors.ts';
import { ADMIN, ADMIN_TOKEN, makeHttpHarness, type HttpHarness } from '../http/http-harness.ts';

interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

/** The status and body of a WebSocket upgrade the server refused (or 101 when it accepted). */
function upgrade(url: string, origin?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.on('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('error', () => undefined);
  });
}

describe('arena security: HTTP and WebSocket hardening', () => {
  describe('over the network', () => {
    let server: ArenaServer;
    afterEach(async () => {
      await server.close();
    });
    const start = (connections?: { allowedOrigins: string[] }) =>
      startArenaServer({
        port: 0,
        storeDir: ':memory:',
        adminToken: 'hardening-admin-token',
        ...(connections === undefined ? {} : { connections }),
      });

    it('refuses WebSocket upgrades from other origins on both transports, with the typed error', async () => {
      server = await start();
      const ws = server.url.replace('http', 'ws');
      for (const path of ['/socket.io/?EIO=4&transport=websocket', '/colyseus/abc/def']) {
        const refused = await upgrade(`${ws}${path}`, 'http://evil.example');
        expect(refused.status, path).to.equal(403);
        expect((JSON.parse(refused.body) as ErrorBody).error.code).to.equal('forbidden');
      }
      // Same origin (a page the server serves), and clients that send no Origin (agents), are let through.
      expect((await upgrade(`${ws}/socket.io/?EIO=4&transport=websocket`, server.url)).status).to.equal(101);
      expect((await upgrade(`${ws}/socket.io/?EIO=4&transport=websocket`)).status).to.equal(101);
      // socket.io's long-polling handshake too.
      const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
      expect(polling.status).to.equal(403);
      expect(((await polling.json()) as ErrorBody).error.code).to.equal('forbidden');
    });

    it('allows the origins the operator lists', async () => {
      server = await start({ allowedOrigins: ['https://viewer.example.org'] });
      const ws = server.url.replace('http', 'ws');
      expect((await upgrade(`${ws}/socket.io/?EIO=4&transport=websocket`, 'https://viewer.example.org')).status).to.equal(101);
      expect((await upgrade(`${ws}/socket.io/?EIO=4&transport=websocket`, 'http://evil.example')).status).to.equal(403);
    });
  });

  describe('the admin token', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ludus-admin-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses to start with a short admin token, before touching the store', async () => {
      const store = new SqliteStore(':memory:');
      const error = await buildArena({ store, adminToken: 'short', socketio: false, colyseus: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(LudusError);
      expect((error as LudusError).code).to.equal('bad-admin-token');
      await store.close();
      const storeDir = join(dir, 'store');
      const started = await startArenaServer({ port: 0, storeDir, adminToken: '0123456789abcde' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((started as LudusError).code).to.equal('bad-admin-token');
      expect(existsSync(storeDir)).to.equal(false);
    });
  });

  describe('in-process', () => {
    let h: HttpHarness;
    beforeEach(async () => {
      h = await makeHttpHarness();
    });
    afterEach(async () => {
      await h.close();
    });
    const match = { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] };
    const inject = (options: InjectOptions) => h.arena.app.inject(options);

    it('matches the Bearer scheme in any case', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
        const res = await inject({ method: 'POST', url: '/api/matches', headers: { authorization: `${scheme} ${ADMIN_TOKEN}` }, payload: match });
        expect(res.statusCode, scheme).to.equal(201);
      }
      for (const header of [`Basic ${ADMIN_TOKEN}`, ADMIN_TOKEN, `Bearer${ADMIN_TOKEN}`, 'Bearer ']) {
        const res = await inject({ method: 'POST', url: '/api/matches', headers: { authorization: header }, payload: match });
        expect(res.statusCode, header).to.equal(401);
      }
    });

    it("sends security headers, with a CSP that allows the server's own scripts only", async () => {
      const res = await inject({ method: 'GET', url: '/healthz' });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.include("default-src 'self'");
      expect(csp).to.include("script-src 'self'");
      expect(csp).to.include("frame-ancestors 'self'");
      expect(csp).to.not.include('upgrade-insecure-requests'); // the arena usually serves plain http
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['x-frame-options']).to.equal('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).to.equal(undefined);
      // Error answers carry them too.
      expect((await inject({ method: 'GET', url: '/nope' })).headers['x-content-type-options']).to.equal('nosniff');
    });

    it('answers every client mistake in the documented error format', async () => {
      const mistakes: InjectOptions[] = [
        { method: 'GET', url: '/nope' },
        { method: 'DELETE', url: '/api/matches' },
        { method: 'PUT', url: '/healthz' },
        { method: 'GET', url: '/api/matches/%E0%A4%A' },
        { method: 'GET', url: `/api/matches/${'x'.repeat(129)}` },
        { method: 'GET', url: `/api/matches/${'x'.repeat(600)}` },
        { method: 'GET', url: '/api/league/history?limit=-1' },
        { method: 'GET', url: '/api/league/history?limit=abc' },
        { method: 'POST', url: '/api/matches', headers: ADMIN, payload: '{"env":' },
        { method: 'POST', url: '/api/matches', headers: { ...ADMIN, 'content-type': 'text/plain' }, payload: 'hello' },
        { method: 'POST', url: '/api/matches', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: 'x'.repeat(70_000) },
        { method: 'POST', url: '/api/agents', headers: ADMIN, payload: { agentId: 'UPPER' } },
        { method: 'POST', url: '/api/agents', payload: { agentId: 'x' } },
        { method: 'GET', url: '/api/replays/nope' },
        { method: 'GET', url: '/api/envs/nope' },
        { method: 'GET', url: '/api/league/standings?league=nope' },
      ];
      for (const request of mistakes) {
        const res = await inject(request);
        const what = `${request.method} ${String(request.url).slice(0, 60)}`;
        expect(res.statusCode, what).to.be.within(400, 499);
        const body = res.json() as ErrorBody;
        expect(Object.keys(body), what).to.deep.equal(['error']);
        expect((ARENA_ERROR_CODE_LIST as string[]).includes(body.error.code), `${what}: ${body.error.code}`).to.equal(true);
        expect(body.error.message, what).to.be.a('string').and.not.equal('');
        expect(body.error.hint, what).to.be.a('string');
      }
    });

    it('accepts match ids up to the documented 128 characters', async () => {
      for (const url of [`/api/matches/${'a'.repeat(128)}`, `/api/replays/${'a'.repeat(128)}`]) {
        const res = await inject({ method: 'GET', url });
        expect(res.statusCode, url).to.equal(404);
        expect((res.json() as ErrorBody).error.code, url).to.equal('unknown-match');
      }
      const tooLong = await inject({ method: 'GET', url: `/api/matches/${'a'.repeat(129)}` });
      expect(tooLong.statusCode).to.equal(400);
      expect((tooLong.json() as ErrorBody).error.code).to.equal('bad-request');
    });
  });
});
