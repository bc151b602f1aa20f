import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import { unflattenView, type Leaf } from '../../../protocol/view-leaves.ts';
import type { TickMessage } from '../../../protocol/messages.ts';
import { tugOfWar } from '../match/tug-of-war-env.ts';
import { firstState, Recorder, startServer, type TestServer } from './colyseus-harness.ts';

const PERIOD = 50;

interface LeafState {
  tick: number;
  status: string;
  leaves: Map<string, number>;
  labels: Map<string, string>;
}

/** The spectator view as the client rebuilds it from the synced leaves. */
function viewOf(state: LeafState): unknown {
  const entries: [string, Leaf][] = [...state.leaves.entries()];
  for (const [path, label] of state.labels.entries()) entries.push([path, JSON.parse(label) as Leaf]);
  return unflattenView(entries);
}

async function join(server: TestServer, options: Record<string, unknown>): Promise<Recorder> {
  const room = await server.sdk().joinOrCreate('match', options);
  const recorder = new Recorder(room);
  await firstState(room);
  return recorder;
}

describe('arena/rooms/match-room: real-time matches', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server.close();
  });

  it('syncs the spectator view as leaf patches at the tick rate and takes inputs without acks', async () => {
    const matchId = 'tug-1';
    const runner = new MatchRunner({
      autoStart: true,
      matchId,
      env: tugOfWar,
      params: { goal: 50 },
      seed: 3,
      clock: server.matches.clock,
      seats: [
        { kind: 'remote', token: 'tug-a' },
        { kind: 'remote', token: 'tug-b' },
      ],
    });
    server.matches.runners.set(matchId, runner);
    const spectator = await join(server, { matchId, spectate: true });
    const left = await join(server, { matchId, seatToken: 'tug-a', states: false });
    const right = await join(server, { matchId, seatToken: 'tug-b', states: false, tickEvery: 2 });
    expect(runner.isStarted, 'starts when every seat is connected').to.equal(true);
    expect((left.of('match:start')[0] as { realtime?: unknown }).realtime).to.deep.include({ tickHz: 20, input: 'held' });

    left.room.send('input', { matchId, action: 1, seq: 1 });
    const pong = await left.send('ping', {});
    expect(pong.ok).to.equal(true);
    expect(left.of('ack'), 'a taken input is not acknowledged').to.have.length(1);

    server.matches.clock.advance(PERIOD * 4);
    expect(runner.tick).to.equal(4);
    await spectator.until((s) => (s as unknown as LeafState).tick === 4);
    const state = spectator.room.state as unknown as LeafState;
    expect(viewOf(state)).to.deep.equal(tugOfWar.view(runner.state as never, 'spectator'));
    expect(state.leaves.get('knot')).to.equal(-4);
    expect(spectator.of('state'), 'patches, not whole views per tick').to.deep.equal([]);

    const leftTicks = left.of('tick') as TickMessage[];
    await right.next('tick', 0);
    expect(leftTicks.map((t) => t.tick)).to.deep.equal([1, 2, 3, 4]);
    expect(leftTicks[3]!.lastSeq).to.equal(1);
    expect((right.of('tick') as TickMessage[]).map((t) => t.tick)).to.deep.equal([2, 4]);

    const bad = await right.send('input', { matchId, action: 9, seq: 1 });
    expect(bad.error?.code).to.equal('bad-action');
    await Promise.all([left.room.leave(), right.room.leave(), spectator.room.leave()]);
  });
});
