import '../../../arena/rooms/node20-shim.ts';
import { Client } from '@colyseus/sdk';
import { expect } from 'chai';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { startArenaServer, type ArenaServer } from '../../../arena/main.ts';
import type { DecisionMessage, MatchEndMessage } from '../../../protocol/messages.ts';

const lowest = (actions: readonly { readonly id: number }[]): number => Math.min(...actions.map((a) => a.id));

/**
 * Both transports only forward runner messages: a remote seat's match:end carries the rating
 * change of the match, and the arena league's standings show the stored Elo.
 */
describe('arena match:end rating change over the transports', async () => {
  let server: ArenaServer;
  before(async () => {
    server = await startArenaServer({ port: 0, storeDir: ':memory:', adminToken: 'rating-test-admin-token' });
  });
  after(async () => {
    await server.close();
  });

  /** A remote seat 0 playing the lowest free cell against first-legal: it wins tic-tac-toe on the 2-4-6 diagonal. */
  const create = (agentId: string) =>
    server.arena.matches.create({
      env: 'tic-tac-toe-v1',
      seats: [
        { kind: 'remote', agentId },
        { kind: 'agent', agent: 'first-legal', agentId: `${agentId}-rival` },
      ],
    });

  it('carries ratingChange on match:end over socket.io', async () => {
    const { matchId, seatTokens } = await create('sock-bot');
    const client = await LudusAgentClient.connect(server.url);
    try {
      client.onDecision((request: DecisionMessage) => lowest(request.legalActions));
      await client.join(matchId, seatTokens[0]!);
      const end = await client.result(matchId);
      expect(end.returns).to.deep.equal([1, -1]);
      expect(end.ratingChange).to.deep.equal([
        { seat: 0, agentId: 'sock-bot', before: 1000, after: 1016 },
        { seat: 1, agentId: 'sock-bot-rival', before: 1000, after: 984 },
      ]);
    } finally {
      client.close();
    }
  });

  it('carries ratingChange on match:end over Colyseus', async () => {
    const { matchId, seatTokens } = await create('room-bot');
    const room = await new Client(`${server.url}/colyseus`).joinOrCreate('match', { matchId, seatToken: seatTokens[0] });
    try {
      const ended = new Promise<MatchEndMessage>((resolve) => room.onMessage('match:end', resolve));
      room.onMessage('*', () => {});
      room.onMessage('decision', (d: DecisionMessage) => {
        room.send('act', { matchId, stepIndex: d.stepIndex, action: { id: lowest(d.legalActions) } });
      });
      const end = await ended;
      expect(end.returns).to.deep.equal([1, -1]);
      expect(end.ratingChange).to.deep.equal([
        { seat: 0, agentId: 'room-bot', before: 1000, after: 1016 },
        { seat: 1, agentId: 'room-bot-rival', before: 1000, after: 984 },
      ]);
    } finally {
      await room.leave();
    }
  });

  it("shows the stored Elo in the arena league's standings", async () => {
    const response = await fetch(`${server.url}/api/league/standings?league=arena-tic-tac-toe-v1`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { matches: number; standings: { agentId: string; elo: number }[] };
    expect(body.matches).to.equal(2);
    const elo = Object.fromEntries(body.standings.map((s) => [s.agentId, s.elo]));
    expect(elo).to.deep.equal({ 'sock-bot': 1016, 'sock-bot-rival': 984, 'room-bot': 1016, 'room-bot-rival': 984 });
  });
});
