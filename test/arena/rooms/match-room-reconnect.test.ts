import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import type { WebSocket } from 'ws';
import type { DecisionMessage } from '../../../protocol/messages.ts';
import { firstState, Recorder, seatToken, startServer, type TestServer } from './colyseus-harness.ts';

async function join(server: TestServer, options: Record<string, unknown>): Promise<Recorder> {
  const room = await server.sdk().joinOrCreate('match', options);
  const recorder = new Recorder(room);
  await firstState(room);
  return recorder;
}

describe('arena/rooms/match-room: dropped and returning seats', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server.close();
  });

  it('keeps the seat through a Colyseus reconnection after the socket drops', async () => {
    const matchId = 'ttt-drop';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 4);
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const o = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    const decision = (await x.next('decision', 0)).payload as DecisionMessage;
    x.room.reconnection.minUptime = 0; // the SDK only retries rooms joined for 5 s by default
    const reconnected = new Promise<void>((resolve) => x.room.onReconnect.once(() => resolve()));
    (x.room.connection.transport as unknown as { ws: WebSocket }).ws.terminate();
    await reconnected;
    expect(runner.seats.sessionOf(0)).to.equal(x.room.sessionId);
    expect(runner.log.map((e) => e.kind)).to.include.members(['disconnect', 'reconnect']);
    const ack = await x.send('act', { matchId, stepIndex: decision.stepIndex, action: { id: 4 } });
    expect(ack).to.deep.include({ ok: true });
    expect((ack as unknown as { result: unknown }).result).to.deep.include({ type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1 });
    await Promise.all([x.room.leave(), o.room.leave()]);
  });

  it('gives the seat back to a new connection that joins with the same token after a leave', async () => {
    const matchId = 'ttt-rejoin';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 5);
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const o = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    await x.next('decision', 0);
    await x.room.leave();
    expect(runner.seats.sessionOf(0)).to.equal(null);
    const back = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const decision = (await back.next('decision', 0)).payload as DecisionMessage;
    expect(decision.seat).to.equal(0);
    expect(runner.seats.sessionOf(0)).to.equal(back.room.sessionId);
    const ack = await back.send('act', { matchId, stepIndex: decision.stepIndex, action: { id: 0 } });
    expect(ack.ok, JSON.stringify(ack)).to.equal(true);
    await Promise.all([back.room.leave(), o.room.leave()]);
  });
});
