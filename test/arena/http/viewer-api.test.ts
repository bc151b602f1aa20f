import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArena, type Arena } from '../../../arena/build-arena.ts';
import { openArenaLeague } from '../../../arena/league/arena-league.ts';
import { getEnv } from '../../../envs/index.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { PayoffResponseSchema, PlayStartedSchema, RunListSchema, RunMetricsSchema } from '../../../protocol/viewer-api.ts';

const ADMIN = { authorization: 'Bearer viewer-api-admin' };

interface Harness {
  arena: Arena;
  store: SqliteStore;
  dir: string;
  close(): Promise<void>;
}

async function harness(options: { built?: boolean; playBurst?: number; perClient?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ludus-viewer-api-'));
  const viewerDir = join(dir, 'dist');
  if (options.built !== false) {
    mkdirSync(join(viewerDir, 'assets'), { recursive: true });
    writeFileSync(join(viewerDir, 'index.html'), '<!doctype html><title>Ludus</title><div id="app"></div>');
    writeFileSync(join(viewerDir, 'assets', 'app-1234.js'), 'console.log(1)');
  }
  const runsDir = join(dir, 'models');
  mkdirSync(join(runsDir, 'run-a'), { recursive: true });
  writeFileSync(join(runsDir, 'run-a', 'run.json'), JSON.stringify({ name: 'run-a', env: 'kuhn-poker-v1' }));
  writeFileSync(
    join(runsDir, 'run-a', 'metrics.jsonl'),
    [
      JSON.stringify({ type: 'update', update: 1, seconds: 2, meanReturn: -0.2 }),
      JSON.stringify({ type: 'eval', update: 1, seconds: 3, vs: { random: { winRate: 0.6 } } }),
      '{"type":"update","upd', // torn by a kill
    ].join('\n'),
  );
  mkdirSync(join(runsDir, 'no-metrics'));
  const store = new SqliteStore(':memory:');
  const arena = await buildArena({
    store,
    adminToken: 'viewer-api-admin',
    socketio: false,
    colyseus: false,
    viewerDir,
    runsDir,
    playLimits: { burst: options.playBurst ?? 6, everySeconds: 3600, perClient: options.perClient ?? 3, total: 64, moveTimeMs: 60_000, agentMoveDelayMs: 0 },
  });
  return {
    arena,
    store,
    dir,
    async close() {
      await arena.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function playAll(arena: Arena, inputs: { env: string; seats: { agent: string; agentId: string }[]; seed: number }[]): Promise<void> {
  for (const input of inputs) {
    const { matchId } = await arena.matches.create({ env: input.env, seed: input.seed, seats: input.seats.map((s) => ({ kind: 'agent' as const, ...s })) });
    await arena.matches.get(matchId)!.whenIdle();
  }
}

describe('arena/http: the web viewer and its endpoints', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });
  const get = (url: string, headers: Record<string, string> = {}) => h.arena.app.inject({ method: 'GET', url, headers });

  describe('serving the viewer', () => {
    it('answers every page route with index.html and the hashed assets with long caching', async () => {
      h = await harness();
      for (const path of ['/', '/match/abc', '/replay/abc?step=3', '/play', '/league', '/league/x', '/runs/r', '/envs', '/admin']) {
        const res = await get(path);
        expect(res.statusCode, path).to.equal(200);
        expect(res.headers['content-type']).to.match(/text\/html/);
        expect(res.headers['cache-control']).to.equal('no-cache');
        expect(res.body).to.include('<div id="app">');
      }
      const asset = await get('/assets/app-1234.js');
      expect(asset.statusCode).to.equal(200);
      expect(asset.headers['cache-control']).to.match(/immutable/);
    });

    it('falls back to index.html for other pages a browser asks for, never for the API or the transports', async () => {
      h = await harness();
      const html = { accept: 'text/html,application/xhtml+xml' };
      expect((await get('/some/deep/link', html)).body).to.include('<div id="app">');
      for (const path of ['/api/nope', '/docs/nope', '/colyseus/x', '/socket.io/x', '/assets/missing.js']) {
        const res = await get(path, html);
        expect(res.statusCode, path).to.equal(404);
        expect((res.json() as { error: { code: string } }).error.code).to.equal('not-found');
      }
      expect((await get('/some/deep/link', { accept: 'application/json' })).statusCode).to.equal(404);
    });

    it('says how to build the viewer when it is not built', async () => {
      h = await harness({ built: false });
      const res = await get('/');
      expect(res.statusCode).to.equal(503);
      expect(res.body).to.include('npm run build:viewer');
    });

    it('documents the new routes in the OpenAPI document', async () => {
      h = await harness();
      const doc = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).to.include.members([
        '/api/league/payoff',
        '/api/runs',
        '/api/runs/{name}/metrics',
        '/api/play/opponents',
        '/api/play',
        '/api/admin/overview',
        '/api/admin/matches/{id}/abort',
      ]);
      expect(Object.keys(doc.paths)).to.not.include('/match/{id}');
    });
  });

  describe('GET /api/league/payoff', () => {
    it('gives the payoff matrix with counts and a Nash mixture for a zero-sum env', async () => {
      h = await harness();
      const seats = [
        { agent: 'random', agentId: 'rand' },
        { agent: 'mcts:sims=16', agentId: 'mcts' },
      ];
      await playAll(
        h.arena,
        [0, 1, 2, 3].map((i) => ({ env: 'tic-tac-toe-v1', seed: i + 1, seats: i % 2 ? seats : seats.slice().reverse() })),
      );
      const res = await get('/api/league/payoff?league=arena-tic-tac-toe-v1');
      expect(res.statusCode).to.equal(200);
      const body = PayoffResponseSchema.parse(res.json());
      expect(body.kind).to.equal('payoff');
      expect(body.agentIds.slice().sort()).to.deep.equal(['mcts', 'rand']);
      const [a, b] = [body.agentIds.indexOf('mcts'), body.agentIds.indexOf('rand')];
      const cell = body.cells[a]![b]!;
      const mirror = body.cells[b]![a]!;
      expect(cell.games).to.equal(4);
      expect(mirror.games).to.equal(4);
      expect(cell.wins).to.equal(mirror.losses);
      expect(cell.score! + mirror.score!).to.be.closeTo(1, 1e-9);
      expect(body.cells[a]![a]!.score).to.equal(null);
      const weights = Object.values(body.nash!.weights);
      expect(weights.reduce((x, y) => x + y, 0)).to.be.closeTo(1, 1e-9);
    });

    it('gives the cross-play matrix and no Nash mixture for a cooperative env', async () => {
      h = await harness();
      await playAll(
        h.arena,
        [1, 2, 3].map((seed) => ({
          env: 'signalling-v1',
          seed,
          seats: [
            { agent: 'random', agentId: 'a' },
            { agent: 'first-legal', agentId: 'b' },
          ],
        })),
      );
      const body = PayoffResponseSchema.parse((await get('/api/league/payoff?league=arena-signalling-v1')).json());
      expect(body.kind).to.equal('cross-play');
      expect(body.nash).to.equal(null);
      const [a, b] = [body.agentIds.indexOf('a'), body.agentIds.indexOf('b')];
      expect(body.cells[a]![b]!.games).to.equal(3);
      expect(body.crossPlay![a]![b]).to.be.a('number');
      expect(body.crossPlay![b]![a]).to.equal(null); // b never sat in seat 0
    });

    it('answers an unknown league with 404 naming the leagues', async () => {
      h = await harness();
      const res = await get('/api/league/payoff?league=nope');
      expect(res.statusCode).to.equal(404);
      expect((res.json() as { error: { code: string } }).error.code).to.equal('unknown-league');
    });
  });

  describe('training runs', () => {
    it('lists runs with metrics and returns their lines, skipping a torn one', async () => {
      h = await harness();
      const list = RunListSchema.parse((await get('/api/runs')).json());
      expect(list.runs.map((r) => [r.name, r.env, r.updates])).to.deep.equal([['run-a', 'kuhn-poker-v1', 1]]);
      const metrics = RunMetricsSchema.parse((await get('/api/runs/run-a/metrics')).json());
      expect(metrics.lines.map((l) => l.type)).to.deep.equal(['update', 'eval']);
      expect(metrics.truncated).to.equal(false);
    });

    it('refuses path tricks and unknown runs with typed errors', async () => {
      h = await harness();
      expect((await get('/api/runs/..%2F..%2Fetc/metrics')).statusCode).to.equal(400);
      expect((await get('/api/runs/.hidden/metrics')).statusCode).to.equal(400);
      const missing = await get('/api/runs/no-metrics/metrics');
      expect(missing.statusCode).to.equal(404);
      expect((missing.json() as { error: { code: string } }).error.code).to.equal('not-found');
    });
  });

  describe('human play', () => {
    const play = (body: unknown, ip = '10.0.0.1') => h.arena.app.inject({ method: 'POST', url: '/api/play', payload: body as object, remoteAddress: ip });

    it('creates a match with one remote seat for human:<name> and answers only its token', async () => {
      h = await harness();
      const opponents = (await get('/api/play/opponents?env=tic-tac-toe-v1')).json() as { opponents: { id: string }[] };
      expect(opponents.opponents.map((o) => o.id)).to.include.members(['agent:random', 'agent:mcts:sims=200']);
      const res = await play({ env: 'tic-tac-toe-v1', opponent: 'agent:mcts:sims=200', seat: 1, name: 'ada' });
      expect(res.statusCode).to.equal(201);
      const started = PlayStartedSchema.parse(res.json());
      expect(started).to.include({ seat: 1, agentId: 'human:ada', opponent: 'mcts-sims-200', league: 'arena-tic-tac-toe-v1' });
      expect(h.arena.matches.byToken(started.seatToken)).to.deep.equal({ matchId: started.matchId, seat: 1 });
      expect((await h.arena.matches.summary(started.matchId))!.seats.map((s) => s.agentId)).to.deep.equal(['mcts-sims-200', 'human:ada']);
      expect(JSON.stringify(res.json())).to.not.match(/token.*token/i); // one token, the person's
    });

    it('offers the league members the operator configured, a language model among them, never one that reads hidden cards', async () => {
      h = await harness();
      const poker = await openArenaLeague(h.store, getEnv('kuhn-poker-v1'));
      const member = (agentId: string, kind: string, options: Record<string, unknown>) => ({
        agentId,
        kind: 'scripted' as const,
        env: 'kuhn-poker-v1',
        agent: { kind, options },
        parentId: null,
        createdAt: 0,
        frozen: false,
        anchor: false,
      });
      await h.store.upsertMembers(poker.id, [
        member('qwen', 'llm', { model: 'qwen3-4b', baseUrl: 'http://127.0.0.1:9/v1' }),
        member('cheater', 'mcts', { sims: 50 }),
        member('fair', 'ismcts', { sims: 50 }),
      ]);
      const opponents = (await get('/api/play/opponents?env=kuhn-poker-v1')).json() as { opponents: { id: string; source: string }[] };
      const members = opponents.opponents.filter((o) => o.source === 'member').map((o) => o.id);
      expect(members.sort()).to.deep.equal(['member:fair', 'member:qwen']);
    });

    it('offers no search agent that reads hidden cards in imperfect-information envs', async () => {
      h = await harness();
      const opponents = (await get('/api/play/opponents?env=kuhn-poker-v1')).json() as { opponents: { id: string }[] };
      const ids = opponents.opponents.map((o) => o.id);
      expect(ids).to.include('agent:ismcts:sims=300');
      expect(ids.filter((id) => /mcts:|minimax/.test(id) && !id.includes('ismcts'))).to.deep.equal([]);
    });

    it('refuses free-form agent specs, bad names and unknown envs with typed errors', async () => {
      h = await harness();
      const cases: [unknown, number, string][] = [
        [{ env: 'tic-tac-toe-v1', opponent: 'agent:mcts:sims=100000000', name: 'ada' }, 400, 'bad-request'],
        [{ env: 'tic-tac-toe-v1', opponent: 'agent:random', name: 'Ada Lovelace' }, 400, 'bad-request'],
        [{ env: 'tic-tac-toe-v1', opponent: 'agent:random', name: 'ada', seat: 5 }, 400, 'bad-request'],
        [{ env: 'no-such-env-v1', opponent: 'agent:random', name: 'ada' }, 404, 'unknown-env'],
      ];
      for (const [body, status, code] of cases) {
        const res = await play(body);
        expect(res.statusCode, JSON.stringify(body)).to.equal(status);
        expect((res.json() as { error: { code: string } }).error.code).to.equal(code);
      }
      expect((await h.arena.matches.list()).matches).to.deep.equal([]);
    });

    it('rate-limits new games per client address and caps running ones', async () => {
      h = await harness({ playBurst: 2, perClient: 5 });
      const body = { env: 'tic-tac-toe-v1', opponent: 'agent:random', name: 'bob' };
      expect((await play(body)).statusCode).to.equal(201);
      expect((await play(body)).statusCode).to.equal(201);
      const limited = await play(body);
      expect(limited.statusCode).to.equal(429);
      expect((limited.json() as { error: { code: string } }).error.code).to.equal('rate-limited');
      expect((await play(body, '10.0.0.2')).statusCode).to.equal(201); // another address has its own budget
      await h.close();

      h = await harness({ playBurst: 10, perClient: 1 });
      expect((await play(body)).statusCode).to.equal(201);
      expect((await play(body)).statusCode).to.equal(429);
    });
  });

  describe('admin', () => {
    it('needs the admin token, lists live matches and aborts one', async () => {
      h = await harness();
      expect((await get('/api/admin/overview')).statusCode).to.equal(401);
      const created = await h.arena.matches.create({
        env: 'connect-four-v1',
        seats: [
          { kind: 'remote', agentId: 'x' },
          { kind: 'remote', agentId: 'y' },
        ],
      });
      const overview = (await get('/api/admin/overview', ADMIN)).json() as { live: { matchId: string }[]; rooms: unknown[]; agentsOnline: unknown[] };
      expect(overview.live.map((m) => m.matchId)).to.deep.equal([created.matchId]);
      expect(overview.rooms).to.deep.equal([]); // no Colyseus in this arena
      const abort = () => h.arena.app.inject({ method: 'POST', url: `/api/admin/matches/${created.matchId}/abort`, headers: ADMIN });
      expect((await h.arena.app.inject({ method: 'POST', url: `/api/admin/matches/${created.matchId}/abort` })).statusCode).to.equal(401);
      const res = await abort();
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.deep.equal({ matchId: created.matchId, status: 'aborted' });
      expect((await abort()).statusCode).to.equal(409);
    });
  });
});
