import { expect } from 'chai';
import { io as connectIo } from 'socket.io-client';
import { startArenaServer, type ArenaServer } from '../../arena/main.ts';
import type { DecisionMessage, MatchEndMessage } from '../../protocol/messages.ts';

describe('arena/main', () => {
  let server: ArenaServer | undefined;
  after(async () => {
    await server?.close();
  });

  it('listens on an ephemeral port with every transport attached and answers /healthz', async () => {
    server = await startArenaServer({ port: 0, storeDir: ':memory:', adminToken: 'listen-test-admin-token' });
    expect(server.port).to.be.greaterThan(0);
    expect(server.generatedToken).to.equal(false);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ ok: true });
    const created = await fetch(`${server.url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer listen-test-admin-token' },
      body: JSON.stringify({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] }),
    });
    expect(created.status).to.equal(201);
    // Colyseus' matchmake route shares the port.
    const matchmake = await fetch(`${server.url}/colyseus/matchmake/joinById/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(matchmake.status).to.equal(404);
    expect(((await matchmake.json()) as { error: { code: string; message: string } }).error.message).to.match(/no such room/);
  });

  it('plays a remote seat over socket.io against an in-process agent and stores the result', async () => {
    const url = server!.url;
    const registered = await fetch(`${url}/api/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer listen-test-admin-token' },
      body: JSON.stringify({ agentId: 'sock-bot' }),
    });
    const { token } = (await registered.json()) as { token: string };
    const created = await fetch(`${url}/api/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer listen-test-admin-token' },
      body: JSON.stringify({
        env: 'tic-tac-toe-v1',
        seats: [
          { kind: 'remote', agentId: 'sock-bot' },
          { kind: 'agent', agent: 'first-legal' },
        ],
      }),
    });
    const { matchId, seatTokens } = (await created.json()) as { matchId: string; seatTokens: string[] };
    // Authenticated as a registered agent; the seat token binds the seat.
    const socket = connectIo(`${url}/agents`, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false });
    try {
      const ended = new Promise<MatchEndMessage>((resolve) => socket.on('match:end', resolve));
      socket.on('decision', (d: DecisionMessage) => {
        socket.emit('act', { matchId, stepIndex: d.stepIndex, action: { id: d.legalActions[0]!.id } });
      });
      const ack = (await socket.timeout(10_000).emitWithAck('join', { matchId, seatToken: seatTokens[0] })) as { ok: boolean };
      expect(ack.ok).to.equal(true);
      const end = await ended;
      // Both play the lowest free cell: x (remote, seat 0) completes 2-4-6 first.
      expect(end.returns).to.deep.equal([1, -1]);
    } finally {
      socket.disconnect();
    }
    await server!.arena.matches.get(matchId)!.whenIdle();
    const view = (await (await fetch(`${url}/api/matches/${matchId}`)).json()) as { status: string; returns: number[] };
    expect(view).to.include({ status: 'finished' });
    expect(view.returns).to.deep.equal([1, -1]);
  });
});
