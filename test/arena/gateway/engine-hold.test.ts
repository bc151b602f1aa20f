import { expect } from 'chai';
import type { Socket as TcpSocket } from 'node:net';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import type { MatchEndMessage } from '../../../protocol/messages.ts';
import { tcpSocketOf } from '../../../arena/socket-cork.ts';
import { CALM, startGateway, until, type LiveGateway } from './gateway-harness.ts';

/** Counts the writes (each one system call) the server makes on a connection's TCP socket. */
function countWrites(tcp: TcpSocket): { readonly count: () => number } {
  let writes = 0;
  const target = tcp as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  for (const name of ['_write', '_writev'] as const) {
    const original = target[name].bind(tcp);
    target[name] = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
  }
  return { count: () => writes };
}

describe('arena/gateway/engine-hold: one write per connection per turn', () => {
  let live: LiveGateway;
  const clients: LudusAgentClient[] = [];
  beforeEach(async () => {
    live = await startGateway();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await live.close();
  });

  it('sends the messages one turn produces for a connection in one TCP write, each still its own event', async () => {
    const player = await LudusAgentClient.connect(live.url, { decision: {} });
    const other = await LudusAgentClient.connect(live.url, { decision: {} });
    clients.push(player, other);
    const created = await Promise.all(
      Array.from({ length: 6 }, () => live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM })),
    );
    for (const m of created) {
      await player.join(m.matchId, m.seatTokens[0]!);
      await other.join(m.matchId, m.seatTokens[1]!);
    }
    const ends: MatchEndMessage[] = [];
    player.socket.on('match:end', (end: MatchEndMessage) => ends.push(end));
    const server = live.gateway.namespace.sockets.get(player.socket.id!)!;
    const transport = server.conn.transport as unknown as { name: string; socket: unknown };
    expect(transport.name).to.equal('websocket');
    const writes = countWrites(tcpSocketOf(transport.socket)!);
    // One turn: six matches end, each sending match:end (and a state) to the player.
    for (const m of created) live.matches.get(m.matchId)!.abort();
    await until(() => ends.length === 6, 'six match:end events');
    expect(ends.map((e) => e.matchId).sort()).to.deep.equal(created.map((m) => m.matchId).sort());
    expect(writes.count()).to.equal(1);
  });

  it('lets a turn that answers many acts of one connection write their acks together', async () => {
    const player = await LudusAgentClient.connect(live.url, { decision: {} });
    const other = await LudusAgentClient.connect(live.url, { decision: {} });
    clients.push(player, other);
    const created = await Promise.all(
      Array.from({ length: 8 }, () => live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM })),
    );
    for (const m of created) {
      await player.join(m.matchId, m.seatTokens[0]!);
      await other.join(m.matchId, m.seatTokens[1]!);
    }
    const server = live.gateway.namespace.sockets.get(player.socket.id!)!;
    const writes = countWrites(tcpSocketOf((server.conn.transport as unknown as { socket: unknown }).socket)!);
    const acks = await Promise.all(created.map((m) => player.act(m.matchId, 0, 4)));
    expect(acks.map((a) => a['type'])).to.deep.equal(created.map(() => 'committed'));
    // Eight acks, in fewer writes than acks (how many reads the acts arrived in decides how many turns).
    expect(writes.count()).to.be.below(8);
  });
});
