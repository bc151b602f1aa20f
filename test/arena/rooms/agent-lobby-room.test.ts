import '../../../arena/rooms/node20-shim.ts';
import type { AddressInfo } from 'node:net';
import { Client, type Room } from '@colyseus/sdk';
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { buildArena, type Arena } from '../../../arena/build-arena.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';
import type { Ack } from '../../../protocol/messages.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';

const next = <T>(register: (resolve: (value: T) => void) => void): Promise<T> => new Promise(register);

describe('agent assignment and the env queue over Colyseus (lobby room) and socket.io', () => {
  let store: SqliteStore;
  let arena: Arena;
  let url: string;
  const rooms: Room[] = [];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.registerAgent('col-bot', 'col-token');
    await store.registerAgent('sio-bot', 'sio-token');
    arena = await buildArena({ store, adminToken: 'lobby-admin-token', defaultSettings: { moveTimeMs: 60_000 } });
    await arena.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(arena.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    // A room the test already left never settles a second leave(): only open ones are left here.
    for (const room of rooms.splice(0)) if (room.connection.isOpen) await room.leave().catch(() => undefined);
    for (const socket of sockets.splice(0)) socket.disconnect();
    await arena.close();
    await store.close();
  });

  const lobby = async (token: string): Promise<Room> => {
    const room = await new Client(`${url}/colyseus`).joinOrCreate('agents', { token });
    rooms.push(room);
    return room;
  };
  const agentSocket = async (token?: string): Promise<Socket> => {
    const socket = io(`${url}/agents`, { path: '/socket.io', transports: ['websocket'], ...(token === undefined ? {} : { auth: { token } }) });
    sockets.push(socket);
    await next<void>((resolve) => socket.on('connect', () => resolve()));
    return socket;
  };
  const online = async (agentId: string): Promise<void> => {
    for (let i = 0; i < 200 && !arena.hub.isOnline(agentId); i++) await new Promise((r) => setTimeout(r, 10));
    expect(arena.hub.isOnline(agentId), agentId).to.equal(true);
  };

  it('refuses the lobby without a registered agent token', async () => {
    const error = await new Client(`${url}/colyseus`).joinOrCreate('agents', { token: 'nope' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/^unauthorized: /);
    expect(arena.hub.onlineAgents()).to.deep.equal([]);
  });

  it('puts lobby and socket.io agents online, delivers match:assigned to each, and takes them offline when they leave', async () => {
    const room = await lobby('col-token');
    const socket = await agentSocket('sio-token');
    await online('col-bot');
    await online('sio-bot');
    const created = await arena.matches.create({
      env: 'tic-tac-toe-v1',
      seats: [
        { kind: 'remote', agentId: 'col-bot' },
        { kind: 'remote', agentId: 'sio-bot' },
      ],
    });
    const viaLobby = next<MatchAssignedMessage>((resolve) => room.onMessage('match:assigned', resolve));
    const viaSocket = next<MatchAssignedMessage>((resolve) => socket.on('match:assigned', resolve));
    const assignment = (agentId: string, seat: number): MatchAssignedMessage => ({
      type: 'match:assigned',
      matchId: created.matchId,
      seat,
      seatToken: created.seatTokens[seat]!,
      env: 'tic-tac-toe-v1',
      params: {},
      league: 'arena-tic-tac-toe-v1',
      agentId,
    });
    expect(arena.hub.assign(assignment('col-bot', 0))).to.equal(true);
    expect(arena.hub.assign(assignment('sio-bot', 1))).to.equal(true);
    expect((await viaLobby).seatToken).to.equal(created.seatTokens[0]);
    expect((await viaSocket).seatToken).to.equal(created.seatTokens[1]);
    await room.leave();
    socket.disconnect();
    for (let i = 0; i < 200 && arena.hub.onlineAgents().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(arena.hub.onlineAgents()).to.deep.equal([]);
  });

  it('pairs a lobby agent and a socket.io agent queued for the same env into one match', async () => {
    const room = await lobby('col-token');
    const socket = await agentSocket('sio-token');
    const viaLobby = next<MatchAssignedMessage>((resolve) => room.onMessage('match:assigned', resolve));
    const viaSocket = next<MatchAssignedMessage>((resolve) => socket.on('match:assigned', resolve));
    const first = (await room.request('queue', { env: 'connect-four-v1' })) as Ack;
    expect(first).to.deep.equal({ ok: true, result: { type: 'queued', env: 'connect-four-v1', position: 0 } });
    const second = (await socket.emitWithAck('queue', { env: 'connect-four-v1' })) as Ack;
    expect(second.ok).to.equal(true);
    const [a, b] = await Promise.all([viaLobby, viaSocket]);
    expect(a.matchId).to.equal(b.matchId);
    expect([a.agentId, b.agentId, a.seat, b.seat]).to.deep.equal(['col-bot', 'sio-bot', 0, 1]);
    expect(arena.matches.byToken(b.seatToken)).to.deep.equal({ matchId: b.matchId, seat: 1 });
  });

  it('answers bad queue messages with typed errors on both transports', async () => {
    const room = await lobby('col-token');
    const socket = await agentSocket('sio-token');
    const anonymous = await agentSocket();
    const codes = [
      (await room.request('queue', { env: 'chess-v9' })) as Ack,
      (await room.request('queue', { nope: 1 })) as Ack,
      await next<Ack>((resolve) => {
        room.onMessage('ack', resolve);
        room.send('dance', {});
      }), // a plain send gets an 'ack' message
      (await socket.emitWithAck('queue', { env: 'chess-v9' })) as Ack,
      (await socket.emitWithAck('queue', 'connect-four')) as Ack,
      (await anonymous.emitWithAck('queue', { env: 'connect-four-v1' })) as Ack,
    ].map((ack) => (ack.ok ? 'ok' : ack.error.code));
    expect(codes).to.deep.equal(['unknown-env', 'bad-envelope', 'unknown-message', 'unknown-env', 'bad-envelope', 'unauthorized']);
  });

  it('lets two TypeScript clients queue, auto-join their assignment and play it to the end', async () => {
    await store.registerAgent('ts-bot', 'ts-token');
    const clients = await Promise.all(['sio-token', 'ts-token'].map((token) => LudusAgentClient.connect(url, { token })));
    try {
      const assigned = clients.map((client) =>
        next<MatchAssignedMessage>((resolve) => {
          client.onDecision((request) => request.legalActions[0]!.id).onAssigned(resolve, { autoJoin: true });
        }),
      );
      expect(await clients[0]!.queue('tic-tac-toe-v1')).to.deep.equal({ env: 'tic-tac-toe-v1', position: 0 });
      await clients[1]!.queue('tic-tac-toe-v1');
      const [a, b] = await Promise.all(assigned);
      const ends = await Promise.all([clients[0]!.result(a!.matchId), clients[1]!.result(b!.matchId)]);
      expect(ends[0]!.returns).to.deep.equal(ends[1]!.returns);
      expect(ends[0]!.reason).to.equal('terminal');
      expect(ends[0]!.ratingChange?.map((c) => c.agentId)).to.deep.equal(['sio-bot', 'ts-bot']);
      expect(await clients[0]!.unqueue()).to.deep.equal([]);
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('drops a disconnected socket.io agent from the queue', async () => {
    const socket = await agentSocket('sio-token');
    await socket.emitWithAck('queue', { env: 'connect-four-v1' });
    socket.disconnect();
    const room = await lobby('col-token');
    // The server's disconnect handler takes the agent offline and out of the queue in one go.
    for (let i = 0; i < 500 && arena.hub.isOnline('sio-bot'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(arena.hub.isOnline('sio-bot')).to.equal(false);
    const ack = (await room.request('queue', { env: 'connect-four-v1' })) as Ack;
    expect(ack).to.deep.equal({ ok: true, result: { type: 'queued', env: 'connect-four-v1', position: 0 } });
  });
});
