import { expect } from 'chai';
import { createAgent } from '../../../agents/index.ts';
import { Episode, getEnv, type EpisodeRecord } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { ADMIN, makeHttpHarness, playOverHttp, type HttpHarness } from './http-harness.ts';

interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

const ticTacToe = getEnv('tic-tac-toe-v1');
const twoAgents = (seed: number, a = 'random', b = 'random') => ({
  env: 'tic-tac-toe-v1',
  seed,
  seats: [
    { kind: 'agent', agent: a, agentId: 'alpha' },
    { kind: 'agent', agent: b, agentId: 'beta' },
  ],
});

describe('arena/http/build-http-app', () => {
  let h: HttpHarness;
  beforeEach(async () => {
    h = await makeHttpHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const get = (url: string) => h.arena.app.inject({ method: 'GET', url });
  const post = (url: string, payload: unknown, headers: Record<string, string> = ADMIN) =>
    h.arena.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const expectError = (res: { statusCode: number; json(): unknown }, status: number, code: string): ErrorBody['error'] => {
    expect(res.statusCode).to.equal(status);
    const body = res.json() as ErrorBody;
    expect(body.error.code).to.equal(code);
    expect(body.error.message).to.be.a('string').and.not.equal('');
    expect(body.error.hint).to.be.a('string');
    return body.error;
  };

  describe('meta', () => {
    it('answers /healthz with 200', async () => {
      const res = await get('/healthz');
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.deep.equal({ ok: true });
    });

    it('lists every API route in the OpenAPI document', async () => {
      const res = await get('/docs/json');
      expect(res.statusCode).to.equal(200);
      const doc = res.json() as {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: object } }> } }>>;
      };
      expect(doc.openapi).to.match(/^3\./);
      expect(Object.keys(doc.paths)).to.include.members([
        '/healthz',
        '/api/envs',
        '/api/envs/{key}',
        '/api/matches',
        '/api/matches/{id}',
        '/api/replays/{id}',
        '/api/league/standings',
        '/api/league/members',
        '/api/league/history',
        '/api/agents',
      ]);
      const body = doc.paths['/api/matches']!['post']!.requestBody!.content['application/json']!.schema;
      expect(body.properties).to.include.keys('env', 'seats', 'params', 'seed', 'settings');
    });

    it('serves a /docs page linking the document', async () => {
      const res = await get('/docs');
      expect(res.statusCode).to.equal(200);
      expect(res.body).to.include('/docs/json');
    });

    it('answers an unknown route with a typed 404', async () => {
      expectError(await get('/api/nope'), 404, 'not-found');
    });
  });

  describe('envs', () => {
    it('lists the registered envs with kinds and dims', async () => {
      const { envs } = (await get('/api/envs')).json() as {
        envs: { key: string; dynamics: string; dims: { numPlayers: number; numDistinctActions: number } }[];
      };
      const ttt = envs.find((e) => e.key === 'tic-tac-toe-v1')!;
      expect(ttt.dynamics).to.equal('sequential');
      expect(ttt.dims.numPlayers).to.equal(2);
      expect(ttt.dims.numDistinctActions).to.equal(9);
      expect(envs.map((e) => e.key)).to.include('connect-four-v1');
    });

    it('describes one env with rules, dims and the action JSON Schema', async () => {
      const res = await get('/api/envs/connect-four-v1');
      expect(res.statusCode).to.equal(200);
      const body = res.json() as { rulesText: string; dims: { numDistinctActions: number }; actionSchema: { type?: string } };
      expect(body.rulesText.length).to.be.greaterThan(20);
      expect(body.dims.numDistinctActions).to.equal(7);
      expect(body.actionSchema).to.be.an('object').and.not.deep.equal({});
    });

    it('answers an unknown env with 404 naming the known keys', async () => {
      const error = expectError(await get('/api/envs/chess-v9'), 404, 'unknown-env');
      expect(error.hint).to.include('tic-tac-toe-v1');
    });
  });

  describe('matches', () => {
    it('plays a match between two in-process agents to the end, with a replay and a stored row', async () => {
      const matchId = await playOverHttp(h, twoAgents(7));
      const view = (await get(`/api/matches/${matchId}`)).json() as { status: string; returns: number[]; seats: { agentId: string }[] };
      expect(view.status).to.equal('finished');
      expect(view.seats.map((s) => s.agentId)).to.deep.equal(['alpha', 'beta']);

      const replay = await get(`/api/replays/${matchId}`);
      expect(replay.statusCode).to.equal(200);
      const record = replay.json() as EpisodeRecord;
      const episode = Episode.replay(ticTacToe, record);
      expect(episode.isTerminal).to.equal(true);
      expect(view.returns).to.deep.equal(episode.returns);
      // The same seed and agents through the league's own loop give the same game.
      const league = await playMatch({
        env: ticTacToe,
        seed: 7,
        agents: [createAgent({ kind: 'random' }, ticTacToe), createAgent({ kind: 'random' }, ticTacToe)],
      });
      expect(record).to.deep.equal(league.record);

      const row = (await h.store.getArenaMatch(matchId))!;
      expect(row.status).to.equal('finished');
      expect((await h.store.getMatch(row.leagueId, row.index!))!.record).to.deep.equal(record);

      const finished = (await get('/api/matches?status=finished')).json() as { matches: { matchId: string }[] };
      expect(finished.matches.map((m) => m.matchId)).to.include(matchId);
      const live = (await get('/api/matches?status=live')).json() as { matches: unknown[] };
      expect(live.matches).to.deep.equal([]);
    });

    it('gives remote seats distinct tokens the manager resolves, and none to agent seats', async () => {
      const res = await post('/api/matches', { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'agent', agent: 'random' }] });
      expect(res.statusCode).to.equal(201);
      const { matchId, seatTokens } = res.json() as { matchId: string; seatTokens: (string | null)[] };
      expect(seatTokens[1]).to.equal(null);
      expect(seatTokens[0]).to.be.a('string').with.length.greaterThan(20);
      expect(h.arena.matches.byToken(seatTokens[0]!)).to.deep.equal({ matchId, seat: 0 });
      const view = (await get(`/api/matches/${matchId}`)).json() as { status: string; seats: { agentId: string }[] };
      expect(view.status).to.equal('waiting');
      expect(view.seats.map((s) => s.agentId)).to.deep.equal(['anonymous-0', 'random']);
      expectError(await get(`/api/replays/${matchId}`), 409, 'conflict');
    });

    it('refuses to create a match without the admin token, or with a wrong one', async () => {
      expectError(await post('/api/matches', twoAgents(1), {}), 401, 'unauthorized');
      expectError(await post('/api/matches', twoAgents(1), { authorization: 'Bearer wrong' }), 401, 'unauthorized');
      expectError(await post('/api/matches', {}, {}), 401, 'unauthorized'); // the token is checked before the body
      expect((await h.arena.matches.list()).matches).to.deep.equal([]);
    });

    it('answers an unknown env with 404 and the known keys', async () => {
      const error = expectError(await post('/api/matches', { ...twoAgents(1), env: 'go-v1' }), 404, 'unknown-env');
      expect(error.hint).to.include('connect-four-v1');
    });

    it('rejects a bad body with 400 naming the field', async () => {
      expect(expectError(await post('/api/matches', { env: 'tic-tac-toe-v1' }), 400, 'bad-request').message).to.include('seats');
      const badSeat = { env: 'tic-tac-toe-v1', seats: [{ kind: 'robot' }, { kind: 'remote' }] };
      expect(expectError(await post('/api/matches', badSeat), 400, 'bad-request').message).to.include('seats.0');
      const badSeed = { ...twoAgents(1), seed: -3 };
      expect(expectError(await post('/api/matches', badSeed), 400, 'bad-request').message).to.include('seed');
    });

    it('rejects an unknown body key or settings key, naming it and the known ones', async () => {
      const stray = expectError(await post('/api/matches', { ...twoAgents(1), sead: 3 }), 400, 'bad-request');
      expect(stray.message).to.include('unknown key "sead"').and.include('known: env, params, seed, seats, settings, league');
      const seat = expectError(
        await post('/api/matches', { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote', agentID: 'x' }, { kind: 'remote' }] }),
        400,
        'bad-request',
      );
      expect(seat.message).to.include('"agentID"').and.include('known: kind, agentId');
      const setting = expectError(await post('/api/matches', { ...twoAgents(1), settings: { timeoutPolicy: 'random', movetime: 5 } }), 400, 'bad-match-config');
      expect(setting.message).to.include('unknown key "movetime"').and.include('moveTimeMs');
      expect((await h.arena.matches.list()).matches).to.deep.equal([]);
    });

    it('rejects the wrong number of seats, an unknown agent kind and bad settings', async () => {
      const oneSeat = { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }] };
      expect(expectError(await post('/api/matches', oneSeat), 400, 'bad-request').message).to.include('needs 2 seats');
      expectError(await post('/api/matches', twoAgents(1, 'grandmaster')), 400, 'unknown-agent');
      expect(expectError(await post('/api/matches', { ...twoAgents(1), settings: { moveTimeMs: -1 } }), 400, 'bad-match-config').message).to.include(
        'moveTimeMs',
      );
      expect(expectError(await post('/api/matches', { ...twoAgents(1), params: { marks: 'runes' } }), 400, 'bad-params').message).to.include('marks');
    });

    it('rejects malformed JSON and a body over 64 KiB', async () => {
      const bad = await h.arena.app.inject({
        method: 'POST',
        url: '/api/matches',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: '{"env":',
      });
      expectError(bad, 400, 'bad-request');
      const big = { ...twoAgents(1), params: { padding: 'x'.repeat(70 * 1024) } };
      expectError(await post('/api/matches', big), 413, 'payload-too-large');
    });

    it('lists matches a page at a time, filtered by status, env and agentId', async () => {
      for (let seed = 1; seed <= 5; seed++) await playOverHttp(h, twoAgents(seed));
      await playOverHttp(h, {
        env: 'rock-paper-scissors-v1',
        seed: 9,
        seats: [
          { kind: 'agent', agent: 'random', agentId: 'alpha' },
          { kind: 'agent', agent: 'random', agentId: 'gamma' },
        ],
      });
      const waiting = (await post('/api/matches', { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote', agentId: 'gamma' }, { kind: 'remote' }] })).json() as {
        matchId: string;
      };
      type Page = { matches: { matchId: string; env: string; status: string; seats: { agentId: string }[] }[]; nextOffset: number | null };
      const page = async (query: string) => (await get(`/api/matches?${query}`)).json() as Page;

      const all = await page('limit=3');
      expect(all.matches.map((m) => m.matchId)[0]).to.equal(waiting.matchId); // newest first
      expect(all.matches).to.have.length(3);
      expect(all.nextOffset).to.equal(3);
      const rest = await page(`limit=3&offset=${all.nextOffset}`);
      expect(rest.matches).to.have.length(3);
      expect(rest.nextOffset).to.equal(6);
      expect(new Set([...all.matches, ...rest.matches].map((m) => m.matchId)).size).to.equal(6);
      const last = await page('limit=3&offset=6');
      expect(last.matches).to.have.length(1);
      expect(last.nextOffset).to.equal(null);

      expect((await page('env=rock-paper-scissors-v1')).matches.map((m) => m.env)).to.deep.equal(['rock-paper-scissors-v1']);
      const gamma = await page('agentId=gamma');
      expect(gamma.matches.map((m) => m.status).sort()).to.deep.equal(['finished', 'waiting']);
      expect(gamma.matches.every((m) => m.seats.some((s) => s.agentId === 'gamma'))).to.equal(true);
      expect((await page('status=waiting')).matches.map((m) => m.matchId)).to.deep.equal([waiting.matchId]);
      expect((await page('status=finished&env=tic-tac-toe-v1&agentId=beta')).matches).to.have.length(5);

      expectError(await get('/api/matches?limit=201'), 400, 'bad-request');
      expectError(await get('/api/matches?offset=-1'), 400, 'bad-request');
      expect(expectError(await get('/api/matches?statuss=live'), 400, 'bad-request').message).to.include('unknown key "statuss"');
    });

    it('answers an unknown match with a typed 404', async () => {
      expectError(await get('/api/matches/no-such-match'), 404, 'unknown-match');
      expectError(await get('/api/replays/no-such-match'), 404, 'unknown-match');
      expectError(await get('/api/matches?status=sleeping'), 400, 'bad-request');
    });
  });

  describe('league', () => {
    it('shows standings, members and history of the arena league', async () => {
      await playOverHttp(h, twoAgents(1, 'first-legal', 'random'));
      await playOverHttp(h, twoAgents(2, 'random', 'first-legal'));
      const league = 'arena-tic-tac-toe-v1';
      const standings = (await get(`/api/league/standings?league=${league}`)).json() as { standings: { agentId: string; games: number }[] };
      expect(standings.standings.map((s) => s.agentId).sort()).to.deep.equal(['alpha', 'beta']);
      expect(standings.standings.map((s) => s.games)).to.deep.equal([2, 2]);

      const members = (await get(`/api/league/members?league=${league}`)).json() as { members: { agentId: string; kind: string; agent: { kind: string } }[] };
      expect(members.members.map((m) => [m.agentId, m.kind, m.agent.kind])).to.deep.equal([
        ['alpha', 'scripted', 'first-legal'],
        ['beta', 'scripted', 'random'],
      ]);

      const history = (await get(`/api/league/history?league=${league}&agentId=alpha`)).json() as { matches: { seats: string[] }[] };
      expect(history.matches).to.have.length(2);
      // The only league: the name may be left out.
      expect((await get('/api/league/members')).statusCode).to.equal(200);
    });

    it('answers an unknown league with 404 naming the leagues', async () => {
      await playOverHttp(h, twoAgents(1));
      const error = expectError(await get('/api/league/standings?league=nope'), 404, 'unknown-league');
      expect(error.hint).to.include('arena-tic-tac-toe-v1');
    });
  });

  describe('agents', () => {
    it('registers an agent once, returning its token a single time', async () => {
      const res = await post('/api/agents', { agentId: 'my-bot' });
      expect(res.statusCode).to.equal(201);
      const { token, agentId } = res.json() as { token: string; agentId: string };
      expect(agentId).to.equal('my-bot');
      expect(await h.store.verifyAgentToken(token)).to.equal('my-bot');
      expect(await h.store.verifyAgentToken(`${token}x`)).to.equal(undefined);
      const list = (await get('/api/agents')).json() as { agents: Record<string, unknown>[] };
      expect(list.agents.map((a) => a['agentId'])).to.deep.equal(['my-bot']);
      expect(list.agents[0]).to.not.have.property('token');
      expectError(await post('/api/agents', { agentId: 'my-bot' }), 409, 'conflict');
    });

    it('rejects registration without the admin token and a bad agentId', async () => {
      expectError(await post('/api/agents', { agentId: 'x' }, {}), 401, 'unauthorized');
      expect(expectError(await post('/api/agents', { agentId: 'Bad Id' }), 400, 'bad-request').message).to.include('agentId');
    });
  });
});
