/**
 * Issue #12, "Unbounded resources": every client-reachable cost has a bound. The queue flood
 * (two agents queueing and never joining), slow header senders, connection caps, paging.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startArenaServer, type ArenaServer } from '../../../arena/main.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { MatchQueue } from '../../../arena/lobby/match-queue.ts';
import { ArenaError } from '../../../arena/arena-error.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { MAX_PAGE_SIZE } from '../../../protocol/http-api.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { ADMIN, makeHttpHarness, type HttpHarness } from '../http/http-harness.ts';

describe('arena security: resource bounds', () => {
  describe('the queue flood', () => {
    it('caps the unfinished matches of an agent and aborts unjoined pairings quickly, freeing the quota', async () => {
      const store = new SqliteStore(':memory:');
      const clock = new FakeClock();
      const matches = await MatchManager.open({ store, clock });
      const queue = new MatchQueue(matches, { maxMatchesPerAgent: 3, startTimeoutMs: 5_000 });
      let assigned = 0;
      const matchIds = new Set<string>();
      const flood = (): { refused: number } => {
        let refused = 0;
        // Two agents that queue again as soon as they are paired, and never join.
        for (let i = 0; i < 200; i++) {
          for (const agentId of ['flood-a', 'flood-b']) {
            try {
              queue.queue({
                agentId,
                sessionId: `${agentId}-conn`,
                env: 'tic-tac-toe-v1',
                send: (message) => {
                  assigned++;
                  matchIds.add(message.matchId);
                },
              });
            } catch (error) {
              expect(error).to.be.instanceOf(ArenaError);
              expect((error as ArenaError).code).to.equal('too-many-matches');
              refused++;
            }
          }
        }
        return { refused };
      };
      const first = flood();
      await queue.whenIdle(); // the pairings' matches are created in the store, then assigned
      expect(assigned).to.equal(6); // three pairings, two seats each
      expect(first.refused).to.be.greaterThan(390);
      expect(matches.activeMatches('flood-a')).to.equal(3);
      expect(await store.listArenaMatches({ statuses: ['live'] })).to.have.length(3);

      clock.advance(5_000); // nobody joined: the pairings are aborted
      await Promise.all([...matchIds].map((id) => matches.get(id)!.whenIdle())); // and stored as aborted
      expect(matches.activeMatches('flood-a')).to.equal(0);
      expect(await store.listArenaMatches({ statuses: ['live'] })).to.have.length(0);
      expect(await store.listArenaMatches({ statuses: ['aborted'] })).to.have.length(3);

      flood(); // the quota is free again, and capped again
      await queue.whenIdle();
      expect(assigned).to.equal(12);
      expect(matches.activeMatches('flood-b')).to.equal(3);
      await matches.close();
      await store.close();
    });
  });

  describe('HTTP paging', () => {
    let h: HttpHarness;
    beforeEach(async () => {
      h = await makeHttpHarness();
    });
    afterEach(async () => {
      await h.close();
    });
    const get = (url: string) => h.arena.app.inject({ method: 'GET', url });

    it('honours `limit` on /api/league/history, caps it, and pages back with `before`', async () => {
      const league = await h.store.openLeague({ name: 'paged', env: 'tic-tac-toe-v1', config: {}, configHash: 'x', seed: 1 });
      const rows = Array.from({ length: 30 }, (_, index) => ({
        index,
        seed: 1000 + index,
        seats: index % 3 === 0 ? ['a', 'c'] : ['a', 'b'],
        returns: [1, -1],
        length: 5,
        status: 'finished' as const,
        fault: null,
        record: null,
      }));
      await h.store.commit(
        league.id,
        rows,
        rows.flatMap((r) => r.seats.map((agentId) => ({ index: r.index, agentId, elo: 1000 + r.index }))),
        30,
      );

      const page = (await get('/api/league/history?league=paged&limit=7')).json() as {
        matches: { index: number; seed?: number }[];
        ratings: { index: number }[];
        next: number | null;
      };
      expect(page.matches.map((m) => m.index)).to.deep.equal([23, 24, 25, 26, 27, 28, 29]);
      expect(page.ratings.every((r) => r.index >= 23)).to.equal(true);
      expect(page.ratings).to.have.length(14);
      expect(page.matches.some((m) => 'seed' in m)).to.equal(false);
      expect(page.next).to.equal(23);
      const older = (await get(`/api/league/history?league=paged&limit=7&before=${page.next}`)).json() as { matches: { index: number }[] };
      expect(older.matches.map((m) => m.index)).to.deep.equal([16, 17, 18, 19, 20, 21, 22]);
      const mine = (await get('/api/league/history?league=paged&limit=4&agentId=c')).json() as { matches: { index: number }[]; ratings: { agentId: string }[] };
      expect(mine.matches.map((m) => m.index)).to.deep.equal([18, 21, 24, 27]);
      expect(mine.ratings.every((r) => r.agentId === 'c')).to.equal(true);
      const tooMany = await get(`/api/league/history?league=paged&limit=${MAX_PAGE_SIZE + 1}`);
      expect(tooMany.statusCode).to.equal(400);
      expect((tooMany.json() as { error: { code: string } }).error.code).to.equal('bad-request');
      const all = (await get('/api/league/history?league=paged')).json() as { matches: unknown[]; next: number | null };
      expect(all.matches).to.have.length(30);
      expect(all.next).to.equal(null);
    });

    it('pages every other list route with a maximum', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await h.arena.app.inject({ method: 'POST', url: '/api/agents', headers: ADMIN, payload: { agentId: `paged-${i}` } });
        expect(res.statusCode).to.equal(201);
        await h.store.openLeague({ name: `league-${i}`, env: 'tic-tac-toe-v1', config: {}, configHash: 'x', seed: i });
      }
      const leagues = (await get('/api/leagues?limit=2&offset=1')).json() as { leagues: { name: string }[]; total: number };
      expect(leagues.leagues.map((l) => l.name)).to.deep.equal(['league-1', 'league-2']);
      expect(leagues.total).to.equal(5);
      const agents = (await get('/api/agents?limit=3')).json() as { agents: unknown[]; total: number };
      expect(agents.agents).to.have.length(3);
      expect(agents.total).to.equal(5);
      for (const url of [
        '/api/leagues',
        '/api/agents',
        '/api/league/members?league=league-0',
        '/api/league/standings?league=league-0',
        '/api/league/history?league=league-0',
      ]) {
        const res = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${MAX_PAGE_SIZE + 1}`);
        expect(res.statusCode, url).to.equal(400);
      }
    });
  });

  describe('the http.Server', () => {
    let server: ArenaServer;
    afterEach(async () => {
      await server.close();
    });

    it('drops a client that trickles its request headers (header timeout)', async () => {
      server = await startArenaServer({
        port: 0,
        storeDir: ':memory:',
        adminToken: 'bounds-test-admin-token',
        socketio: false,
        colyseus: false,
        timeouts: { headersTimeoutMs: 300, checkIntervalMs: 100 },
      });
      const socket = connect(server.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      // One header byte every 50 ms, forever: only the server can end this.
      const trickle = setInterval(() => {
        if (!socket.destroyed) socket.write('X');
      }, 50);
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      clearInterval(trickle);
      expect(answer).to.match(/^HTTP\/1\.1 408/);
      expect(answer).to.include('{"error":{"code":"timeout"');
    });

    it('caps connections per address with a typed too-many-connections answer', async () => {
      server = await startArenaServer({
        port: 0,
        storeDir: ':memory:',
        adminToken: 'bounds-test-admin-token',
        colyseus: false,
        connections: { maxConnectionsPerIp: 3 },
      });
      const held: Socket[] = [];
      for (let i = 0; i < 3; i++) {
        const socket = connect(server.port, '127.0.0.1');
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        held.push(socket);
      }
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).to.equal(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('too-many-connections');
      // socket.io's handshakes too.
      const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
      expect(polling.status).to.equal(503);
      expect(((await polling.json()) as { error: { code: string } }).error.code).to.equal('too-many-connections');
      for (const socket of held) socket.destroy();
      await waitFor(() => server.arena.connections.connections('127.0.0.1') <= 1);
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    });
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(check()).to.equal(true);
}
