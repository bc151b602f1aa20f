import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { createAgent } from '../../../agents/registry.ts';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import { getEnv } from '../../../envs/index.ts';
import type { OvercookedState } from '../../../envs/games/overcooked/index.ts';
import { unflattenView, type Leaf } from '../../../protocol/view-leaves.ts';
import { firstState, Recorder, startServer, type TestServer } from './colyseus-harness.ts';

const env = getEnv('overcooked-v1');
const PERIOD = 150; // overcooked-demo's 6.7 steps per second

interface LeafState {
  tick: number;
  status: string;
  leaves: Map<string, number>;
  labels: Map<string, string>;
}

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

describe('arena/rooms/match-room: a live Overcooked match on the tick driver', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  it('plays the greedy chef (in-process) with a remote player at 6.7 Hz; key presses are consumed, silence is STAY; spectators see the kitchen', async () => {
    const matchId = 'kitchen-1';
    const params = env.parseParams({ layout: 'cramped_room', horizon: 200 });
    const runner = new MatchRunner({
      autoStart: true,
      matchId,
      env,
      params,
      seed: 5,
      clock: server.matches.clock,
      seats: [
        { kind: 'agent', agent: createAgent({ kind: 'overcooked-greedy' }, env, params) },
        { kind: 'remote', token: 'chef-b' },
      ],
    });
    server.matches.runners.set(matchId, runner);
    const spectator = await join(server, { matchId, spectate: true });
    const human = await join(server, { matchId, seatToken: 'chef-b', states: false });
    expect(runner.isStarted).to.equal(true);
    expect((human.of('match:start')[0] as { realtime?: unknown }).realtime).to.deep.include({ input: 'consumed', defaultActions: [4, 4] });

    // One press of "down" moves chef 1 from (3,1) one cell, then "up" back (consumed: each
    // press is one step); ticks without a press are STAY.
    human.room.send('input', { matchId, action: 1, seq: 1 });
    expect((await human.send('ping', {})).ok).to.equal(true);
    server.matches.clock.advance(PERIOD * 3);
    expect(runner.tick).to.equal(3);
    const chefs = (runner.state as OvercookedState).chefs;
    expect(chefs[1].pos).to.deep.equal([3, 2]);
    expect(chefs[1].dir).to.equal(1);
    human.room.send('input', { matchId, action: 0, seq: 2 });
    expect((await human.send('ping', {})).ok).to.equal(true);
    server.matches.clock.advance(PERIOD);
    expect((runner.state as OvercookedState).chefs[1].pos).to.deep.equal([3, 1]);
    await spectator.until((s) => (s as unknown as LeafState).tick === 4);
    const view = viewOf(spectator.room.state as unknown as LeafState) as { players: { pos: number[] }[]; timestep: number; lastRewards: unknown };
    expect(view).to.deep.equal(env.view(runner.state, 'spectator'));
    expect(view.timestep).to.equal(4);

    // The rest of the episode: the greedy chef cooks alone and serves.
    // The rest of the episode, tick by tick (the in-process agent answers between ticks): the
    // greedy chef cooks alone while chef 1 stays, and serves.
    while (!runner.isOver) {
      server.matches.clock.advance(PERIOD);
      await runner.whenIdle();
    }
    expect(runner.tick).to.equal(200);
    expect(env.returns(runner.state)[0]).to.be.at.least(20);
    expect((runner.state as OvercookedState).chefs[1].pos).to.deep.equal([3, 1]);
    await Promise.all([human.room.leave(), spectator.room.leave()]);
  });
});
