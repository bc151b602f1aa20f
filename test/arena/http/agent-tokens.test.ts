import '../../../arena/rooms/node20-shim.ts';
import { Client } from '@colyseus/sdk';
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { agentsCommand } from '../../../cli/commands/agents.ts';
import { TOKEN_REVOKED_CLOSE_CODE } from '../../../arena/rooms/agent-lobby-room.ts';
import { ADMIN, startArena, until, type LiveArena } from '../../agents/remote/arena-harness.ts';

const admin = { authorization: `Bearer ${ADMIN}` };

/** A socket.io agent connection; resolves once connected, or with the refusal's message. */
function connect(url: string, token: string): Promise<{ socket: Socket; refused?: string }> {
  return new Promise((resolve) => {
    const socket = io(`${url}/agents`, { auth: { token }, transports: ['websocket'], reconnection: false });
    socket.on('connect', () => resolve({ socket }));
    socket.on('connect_error', (error) => {
      socket.close();
      resolve({ socket, refused: error.message });
    });
  });
}

describe('arena/http agent token rotation and revocation', () => {
  let live: LiveArena;
  before(async () => {
    live = await startArena();
  });
  after(async () => {
    await live.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${live.url}${path}`, {
      method,
      headers: body === undefined ? admin : { ...admin, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('rotating refuses the old token at once, closing its open connections; the new one works', async () => {
    const created = await call('POST', '/api/agents', { agentId: 'rot-bot' });
    expect(created.status).to.equal(201);
    const oldToken = created.body['token'] as string;
    const first = await connect(live.url, oldToken);
    expect(first.refused).to.equal(undefined);
    const lobby = await new Client(`${live.url}/colyseus`).joinOrCreate('agents', { token: oldToken });
    const lobbyLeft = new Promise<number>((resolve) => lobby.onLeave((code) => resolve(code)));
    await until(() => live.arena.hub.connectionCount('rot-bot') === 2, 'both connections online');
    const dropped = new Promise<string>((resolve) => first.socket.on('disconnect', (reason) => resolve(reason)));

    const warn = console.warn;
    console.warn = () => {}; // the SDK announces the lobby's close
    let newToken: string;
    try {
      const rotated = await call('POST', '/api/agents/rot-bot/token');
      expect(rotated.status).to.equal(200);
      newToken = rotated.body['token'] as string;
      expect(newToken).to.be.a('string').and.not.equal(oldToken);
      expect(await dropped).to.equal('io server disconnect');
      expect(await lobbyLeft).to.equal(TOKEN_REVOKED_CLOSE_CODE);
    } finally {
      console.warn = warn;
    }
    await until(() => !live.arena.hub.isOnline('rot-bot'), 'the server to drop both connections');
    expect((await connect(live.url, oldToken)).refused).to.match(/^unauthorized/);
    const again = await connect(live.url, newToken);
    expect(again.refused).to.equal(undefined);
    again.socket.close();
  });

  it('revoking refuses the token everywhere until a rotation issues a new one', async () => {
    const token = (await call('POST', '/api/agents', { agentId: 'rev-bot' })).body['token'] as string;
    const open = await connect(live.url, token);
    const dropped = new Promise<string>((resolve) => open.socket.on('disconnect', (reason) => resolve(reason)));
    await until(() => live.arena.hub.isOnline('rev-bot'), 'the agent online');
    expect(await call('DELETE', '/api/agents/rev-bot/token')).to.deep.equal({ status: 200, body: { agentId: 'rev-bot', revoked: true } });
    expect(await dropped).to.equal('io server disconnect');
    expect((await connect(live.url, token)).refused).to.match(/^unauthorized/);
    const warn = console.warn;
    console.warn = () => {}; // the SDK announces the refused connection's close
    const refusal = await new Client(`${live.url}/colyseus`)
      .joinOrCreate('agents', { token })
      .then(
        () => 'joined',
        (e: Error) => e.message,
      )
      .finally(() => {
        console.warn = warn;
      });
    expect(refusal).to.match(/^unauthorized/);
    const agents = (await call('GET', '/api/agents')).body['agents'] as { agentId: string; revoked?: boolean }[];
    expect(agents.find((a) => a.agentId === 'rev-bot')).to.include({ revoked: true });
    expect(await live.store.verifyAgentToken(token)).to.equal(undefined);
    const reissued = await call('POST', '/api/agents/rev-bot/token');
    expect(await live.store.verifyAgentToken(reissued.body['token'] as string)).to.equal('rev-bot');
  });

  it('ludus agents registers, rotates, revokes and lists over the admin API', async () => {
    const printed: string[] = [];
    const original = console.log;
    console.log = (line: unknown) => {
      printed.push(String(line));
    };
    const cli = (...args: string[]) => agentsCommand([...args, '--server', live.url, '--admin-token', ADMIN, '--json']);
    try {
      expect(await cli('register', 'cli-tok')).to.equal(0);
      const first = JSON.parse(printed.pop()!) as { token: string };
      expect(await cli('rotate', 'cli-tok')).to.equal(0);
      const second = JSON.parse(printed.pop()!) as { token: string };
      expect(await live.store.verifyAgentToken(first.token)).to.equal(undefined);
      expect(await live.store.verifyAgentToken(second.token)).to.equal('cli-tok');
      expect(await cli('revoke', 'cli-tok')).to.equal(0);
      expect(await live.store.verifyAgentToken(second.token)).to.equal(undefined);
      expect(await cli('list')).to.equal(0);
      expect((JSON.parse(printed.pop()!) as { agents: { agentId: string; revoked?: boolean }[] }).agents).to.deep.include({
        agentId: 'cli-tok',
        createdAt: (await live.store.listAgents()).find((a) => a.agentId === 'cli-tok')!.createdAt,
        revoked: true,
      });
      const refused = await cli('rotate', 'nobody').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).to.have.property('code', 'server-refused');
      expect(String((refused as Error).message)).to.include('404 not-found');
    } finally {
      console.log = original;
    }
  });

  it('answers an unknown agent with 404 and a missing admin token with 401', async () => {
    expect((await call('POST', '/api/agents/ghost/token')).status).to.equal(404);
    expect((await call('DELETE', '/api/agents/ghost/token')).body).to.have.nested.property('error.code', 'not-found');
    const res = await fetch(`${live.url}/api/agents/rot-bot/token`, { method: 'DELETE' });
    expect(res.status).to.equal(401);
  });
});
