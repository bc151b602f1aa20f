import { expect } from 'chai';
import type { AddressInfo, Socket as TcpSocket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { corkForTurn, tcpSocketOf } from '../../arena/socket-cork.ts';

describe('arena/socket-cork', () => {
  let server: WebSocketServer;
  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterEach(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A connected pair: the server side of the WebSocket and a client collecting its messages. */
  async function pair(): Promise<{ serverSide: WebSocket; received: string[]; client: WebSocket }> {
    const { port } = server.address() as AddressInfo;
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    await new Promise((resolve) => client.once('open', resolve));
    return { serverSide: await accepted, received, client };
  }

  function countWrites(tcp: TcpSocket): () => number {
    let writes = 0;
    const target = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    for (const name of ['_write', '_writev'] as const) {
      const original = target[name].bind(tcp);
      target[name] = (...args: unknown[]) => {
        writes++;
        return original(...args);
      };
    }
    return () => writes;
  }

  it('sends the frames of one turn in one TCP write, and the next turn in another', async () => {
    const { serverSide, received, client } = await pair();
    const tcp = tcpSocketOf(serverSide)!;
    const writes = countWrites(tcp);
    for (let i = 0; i < 5; i++) {
      corkForTurn(tcp);
      serverSide.send(`a${i}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
    corkForTurn(tcp);
    serverSide.send('b0');
    serverSide.send('b1');
    while (received.length < 7) await new Promise((resolve) => client.once('message', resolve));
    expect(received).to.deep.equal(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1']);
    expect(writes()).to.equal(2);
  });

  it('without a cork every frame is its own write (what corking saves)', async () => {
    const { serverSide, received, client } = await pair();
    const writes = countWrites(tcpSocketOf(serverSide)!);
    for (let i = 0; i < 5; i++) serverSide.send(`a${i}`);
    while (received.length < 5) await new Promise((resolve) => client.once('message', resolve));
    expect(writes()).to.equal(5);
  });

  it('ignores a missing or destroyed socket', () => {
    expect(() => corkForTurn(undefined)).to.not.throw();
    expect(tcpSocketOf({})).to.equal(undefined);
  });
});
