import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { matchMaker } from '@colyseus/core';
import type { IncomingMessage } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { io as socketIoClient } from 'socket.io-client';
import { isColyseusUpgrade, logLine } from '../../../arena/rooms/attach-colyseus.ts';
import { firstState, Recorder, seatToken, startServer, type TestServer } from './colyseus-harness.ts';

const request = (path: string) => ({ url: path }) as IncomingMessage;

/** A socket.io websocket round trip: connect, emit with an ack, report the answer or the failure. */
function socketIoEcho(url: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = socketIoClient(url, { transports: ['websocket'], reconnection: false });
    socket.on('connect_error', (error) => {
      resolve(`error:${error.message}`);
      socket.close();
    });
    socket.on('connect', () =>
      socket.emit('echo', 'hello', (answer: string) => {
        resolve(answer);
        socket.close();
      }),
    );
  });
}

describe('arena/rooms/attach-colyseus', () => {
  let server: TestServer;
  let base: string;
  let io: SocketIoServer | undefined;

  before(async () => {
    server = await startServer((app) => {
      app.get('/health', async () => ({ ok: true }));
      // destroyUpgrade false: engine.io must not end the upgrades it leaves to Colyseus.
      io = new SocketIoServer(app.server, { path: '/socket.io/', destroyUpgrade: false, serveClient: false });
      io.on('connection', (socket) => socket.on('echo', (text: string, ack: (answer: string) => void) => ack(`echo:${text}`)));
    });
    base = server.endpoint.replace('/colyseus', '');
  });

  after(async () => {
    await io?.close().catch(() => {}); // also closes the shared http server
    await server.close();
  });

  it('takes only room sockets under the prefix', () => {
    const take = isColyseusUpgrade('/colyseus');
    expect(take(request('/colyseus/proc1/room1?sessionId=abc'))).to.equal(true);
    expect(take(request('/socket.io/?EIO=4&transport=websocket'))).to.equal(false);
    expect(take(request('/colyseus/matchmake/joinOrCreate/match'))).to.equal(false, 'three segments is not a room socket');
    expect(take(request('/other/proc1/room1'))).to.equal(false);
  });

  it('shares the port: fastify routes answer, other upgrades are left to their owner', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ ok: true });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).to.equal(404);
    expect(await socketIoEcho(base)).to.equal('echo:hello');
  });

  it('lets socket.io and a Colyseus room work side by side on the one port', async () => {
    const matchId = 'ttt-side';
    server.matches.add(matchId, 'tic-tac-toe-v1', 7);
    const room = await server.sdk().joinOrCreate('match', { matchId, spectate: true });
    expect(await socketIoEcho(base)).to.equal('echo:hello');
    const pong = (await room.request('ping', { t: 1 })) as { ok: boolean };
    expect(pong.ok).to.equal(true);
    await room.leave();
  });

  const post = (path: string, body: unknown, raw = false) =>
    fetch(`${server.endpoint}/matchmake/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
  const expectTyped = async (res: Response, status: number, code: string): Promise<void> => {
    expect(res.status).to.equal(status);
    const body = (await res.json()) as { error: { code: string; message: string; hint: string }; message: string };
    expect(body.error.code).to.equal(code);
    expect(body.error.message).to.be.a('string').and.not.equal('');
    expect(body.error.hint).to.be.a('string');
    expect(body.message.startsWith(`${code}: `), 'the SDK reads `message`').to.equal(true);
  };

  it('lets a spectator join a match no Colyseus client opened yet with the documented join call', async () => {
    const matchId = 'ttt-server-played';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 8);
    // Seats bound on another transport: the match runs without any Colyseus room.
    runner.submit('elsewhere-0', { type: 'join', matchId, seatToken: seatToken(matchId, 0) });
    runner.submit('elsewhere-1', { type: 'join', matchId, seatToken: seatToken(matchId, 1) });
    runner.start();
    expect(runner.submit('elsewhere-0', { type: 'act', matchId, stepIndex: 0, action: { id: 4 } }).ok).to.equal(true);
    const room = await server.sdk().join('match', { matchId, spectate: true });
    new Recorder(room); // takes the match:start and state messages that follow the join
    try {
      await firstState(room);
      const state = room.state as { matchId: string; status: string; stepIndex: number };
      expect(state.matchId).to.equal(matchId);
      expect(state.status).to.equal('live');
      expect(state.stepIndex).to.equal(1);
    } finally {
      await room.leave();
    }
    let refused: unknown;
    await server
      .sdk()
      .join('match', { matchId: 'absent', spectate: true })
      .catch((error: unknown) => {
        refused = error;
      });
    expect(String((refused as Error | undefined)?.message)).to.match(/^unknown-match: /);
  });

  it('serves the matchmake route, answering client mistakes with 4xx and the typed error', async () => {
    const matchId = 'ttt-http';
    server.matches.add(matchId, 'tic-tac-toe-v1', 6);
    const seat = await post('joinOrCreate/match', { matchId, seatToken: seatToken(matchId, 0) });
    expect(seat.status).to.equal(200);
    const reservation = (await seat.json()) as { sessionId?: string; name?: string; roomId?: string };
    expect(reservation.sessionId).to.be.a('string');
    expect(reservation.name).to.equal('match');
    await expectTyped(await post('joinOrCreate/no-such-room', {}), 404, 'not-found');
    await expectTyped(await post('explode/match', { matchId }), 404, 'not-found');
    await expectTyped(await post('joinOrCreate/match', { matchId: 'absent', spectate: true }), 404, 'unknown-match');
    await expectTyped(await post('join/match', [1, 2]), 400, 'bad-request');
    await expectTyped(await post('join/match', '{"matchId":', true), 400, 'bad-request');
    await expectTyped(await post('joinById/no-such-room', {}), 404, 'not-found');
    // A 128-character match id (the documented maximum) is a match id like any other.
    await expectTyped(await post('join/match', { matchId: 'm'.repeat(128), spectate: true }), 404, 'unknown-match');
  });

  it("logs Colyseus errors on one line without the frame's payload", () => {
    const decodeError = new Error('Data read, but end of buffer not reached {"stepIndex":false,"secret":"seat-token-123"}');
    expect(logLine([`${decodeError.stack}`])).to.equal('Error: Data read, but end of buffer not reached [payload omitted]');
    expect(logLine(['Max payload size exceeded\nRangeError: Max payload size exceeded\n    at Receiver.haveLength'])).to.equal('Max payload size exceeded');
    expect(logLine([decodeError])).to.not.include('seat-token-123');
  });

  it('creates no room for a client: the room flood is refused, joins share one room per match', async () => {
    const matchId = 'ttt-flood-rooms';
    server.matches.add(matchId, 'tic-tac-toe-v1', 8);
    const before = (await matchMaker.query({})).length;
    for (let i = 0; i < 30; i++) await expectTyped(await post('create/match', { matchId, spectate: true }), 403, 'forbidden');
    expect((await matchMaker.query({})).length).to.equal(before);
    const roomIds = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const res = await post(i % 2 === 0 ? 'join/match' : 'joinOrCreate/match', { matchId, spectate: true });
      expect(res.status).to.equal(200);
      roomIds.add(((await res.json()) as { roomId: string }).roomId);
    }
    expect(roomIds.size, 'one room per match').to.equal(1);
    expect((await matchMaker.query({ name: 'match', matchId })).length).to.equal(1);
    // Joining an existing room by its id still works.
    const byId = await post(`joinById/${[...roomIds][0]}`, { matchId, spectate: true });
    expect(byId.status).to.equal(200);
  });
});
