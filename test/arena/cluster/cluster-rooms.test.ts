/**
 * Issue #18, the arena as a cluster: a match runs on one process, and any process lets a
 * client reach its room. Real `ludus serve` processes on Redis and PostgreSQL
 * (cluster-harness.ts).
 */
import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import { requireServices } from '../../helpers/cluster-services.ts';
import { TestCluster, type NodeProcess } from './cluster-harness.ts';

interface Created {
  readonly matchId: string;
  readonly seatTokens: string[];
}
interface Decision {
  readonly matchId: string;
  readonly stepIndex: number;
  readonly seat: number;
  readonly legalActions: { readonly id: number }[];
}

/** Plays the seat with its first legal action each turn; resolves with match:end's returns. */
function playFirstLegal(room: Room): Promise<number[]> {
  return new Promise((resolve) => {
    room.onMessage('decision', (d: Decision) =>
      room.send('act', { matchId: d.matchId, stepIndex: d.stepIndex, seat: d.seat, action: { id: d.legalActions[0]!.id } }),
    );
    room.onMessage('match:end', (end: { returns: number[] }) => resolve(end.returns));
    room.onMessage('*', () => {});
  });
}

describe('arena cluster: rooms across processes', function () {
  this.timeout(180_000);
  const cluster = new TestCluster();
  let a: NodeProcess;
  let b: NodeProcess;

  before(async function () {
    await requireServices(this);
    await cluster.setUp();
    a = await cluster.start();
    b = await cluster.start();
  });
  after(async function () {
    this.timeout(60_000);
    await cluster.tearDown();
  });

  it('a match created on B is reached through A: its room is opened on B, the room socket goes to B, and it plays to the end', async () => {
    const { status, body } = await cluster.admin<Created>(b, 'POST', '/api/matches', {
      env: 'tic-tac-toe-v1',
      seed: 7,
      seats: [
        { kind: 'remote', agentId: 'x' },
        { kind: 'remote', agentId: 'o' },
      ],
    });
    expect(status).to.equal(201);
    const throughA = new Client(`${a.url}/colyseus`);
    const spectator = await throughA.joinOrCreate('match', { matchId: body.matchId, spectate: true });
    const rooms = await Promise.all(body.seatTokens.map((seatToken) => throughA.joinOrCreate('match', { matchId: body.matchId, seatToken })));
    try {
      // A lists B's match among the live ones (one store).
      const live = await fetch(`${a.url}/api/matches?status=live`).then((r) => r.json() as Promise<{ matches: { matchId: string }[] }>);
      expect(live.matches.map((m) => m.matchId)).to.include(body.matchId);
      // Matchmaking answered on A; every socket was dialled at B's public address.
      for (const room of [spectator, ...rooms]) expect(room.connection.url).to.match(new RegExp(`^ws://127\\.0\\.0\\.1:${b.port}/colyseus/`));
      expect(rooms[0]!.roomId).to.equal(spectator.roomId); // one room per match, wherever it was joined from
      // By id, through A as well.
      const byId = await throughA.joinById(spectator.roomId, { matchId: body.matchId, spectate: true });
      expect(byId.connection.url).to.include(`:${b.port}/colyseus/`);
      await byId.leave();

      const returns = await Promise.all(rooms.map(playFirstLegal));
      expect(returns[0]).to.deep.equal(returns[1]);
      // One store: A answers for B's match.
      const summary = await fetch(`${a.url}/api/matches/${body.matchId}`).then((r) => r.json() as Promise<{ status: string; returns: number[] }>);
      expect(summary.status).to.equal('finished');
      expect(summary.returns).to.deep.equal(returns[0]);
    } finally {
      await Promise.all([spectator, ...rooms].map((room) => room.leave().catch(() => undefined)));
    }
  });

  it('an admin abort sent to A stops a match that runs on B', async () => {
    const { body } = await cluster.admin<Created>(b, 'POST', '/api/matches', { env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] });
    const aborted = await cluster.admin<{ matchId: string; status: string }>(a, 'POST', `/api/admin/matches/${body.matchId}/abort`);
    expect(aborted).to.deep.equal({ status: 200, body: { matchId: body.matchId, status: 'aborted' } });
    const summary = await fetch(`${a.url}/api/matches/${body.matchId}`).then((r) => r.json() as Promise<{ status: string }>);
    expect(summary.status).to.equal('aborted');
  });

  it('refuses to start a cluster process without a public address, naming the flag', async () => {
    const { runCli } = await import('../../cli/run-cli.ts');
    const result = await runCli(['serve', '--port', '0', '--redis', 'redis://127.0.0.1:1', '--database', cluster.databaseUrl]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('--public-address');
  });
});
