import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { ARENA_ERROR_CODE_LIST } from '../../../protocol/errors.ts';
import type { MatchRunner } from '../../../arena/match/match-runner.ts';
import { Rng } from '../../../envs/index.ts';
import { randomValue } from '../../helpers/random-value.ts';
import { firstState, Recorder, seatToken, startServer, type TestServer } from './colyseus-harness.ts';

const fingerprint = (runner: MatchRunner): string =>
  JSON.stringify({ state: runner.state, step: runner.stepIndex, history: runner.record().history, pending: runner.pendingSeats() });

const WORDS = ['act', 'join', 'matchId', 'stepIndex', 'action', 'id', 'text', 'struct', '__proto__', 'seat', 'type'];

const junk = (rng: Rng): unknown => randomValue(rng, WORDS, 300);

type Who = 'first' | 'second' | 'spectator';

/** One message that must be refused: seat 0 (first) is to act at step 0 of a fresh connect-four match. */
function randomMessage(rng: Rng, matchId: string): { who: Who; type: string | number; payload: unknown } {
  const who: Who = rng.pick(['first', 'second', 'spectator'] as const);
  switch (rng.int(8)) {
    case 0:
      return { who, type: rng.pick(['dance', 'act ', 'ACT', 'match:end', 'decision', 7, 0, 255]), payload: junk(rng) };
    case 1:
      return { who, type: 'act', payload: junk(rng) };
    case 2:
      return { who, type: 'act', payload: { matchId, stepIndex: rng.pick([1, 2, 99]), action: { id: rng.int(7) } } };
    case 3:
      return {
        who: 'first',
        type: 'act',
        payload: {
          matchId,
          stepIndex: 0,
          action: rng.pick([{ id: 7 }, { id: -1 }, { id: 1.5 }, { text: 'nonsense' }, { struct: junk(rng) }, { id: 1, text: 'x' }, junk(rng)]),
        },
      };
    case 4:
      return { who: 'second', type: 'act', payload: { matchId, stepIndex: 0, action: { id: rng.int(7) } } };
    case 5:
      return { who: 'spectator', type: 'act', payload: { matchId, stepIndex: 0, action: { id: rng.int(7) } } };
    case 6:
      return { who, type: 'act', payload: { matchId, stepIndex: 0, action: { text: 'x'.repeat(20_000 + rng.int(20_000)) } } }; // over 16 KiB, under the frame cap
    default:
      return { who, type: rng.pick(['join', 'spectate']), payload: junk(rng) };
  }
}

describe('arena/rooms/match-room under fuzzing', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.close();
  });

  const join = async (options: Record<string, unknown>): Promise<Recorder> => {
    const room = await server.sdk().joinOrCreate('match', options);
    await firstState(room);
    return new Recorder(room);
  };

  it('answers 2,000 random payloads from players and a spectator with typed errors, the match unchanged', async () => {
    const matchId = 'c4-fuzz';
    const runner = server.matches.add(matchId, 'connect-four-v1', 5, { rateLimit: { capacity: 100_000, refillPerSecond: 100_000, maxViolations: 100_000 } });
    const clients: Record<Who, Recorder> = {
      spectator: await join({ matchId, spectate: true }),
      first: await join({ matchId, seatToken: seatToken(matchId, 0) }),
      second: await join({ matchId, seatToken: seatToken(matchId, 1) }),
    };
    expect(runner.isStarted).to.equal(true);
    const before = fingerprint(runner);
    const rng = new Rng(4242);
    const codes = new Map<string, number>();
    let closedByTransport = 0;
    for (let i = 0; i < 2000; i++) {
      const { who, type, payload } = randomMessage(rng, matchId);
      const client = clients[who];
      const left = new Promise<'left'>((resolve) => client.room.onLeave(() => resolve('left')));
      const answer = await Promise.race([client.send(type as string, payload), left]);
      if (answer === 'left') {
        // Colyseus closes a connection whose frame its msgpack decoder rejects (the SDK's encoder
        // emits a few nested shapes the server's unpack cannot read): the transport's answer, like
        // the frame cap. The player takes its seat back on a new connection.
        closedByTransport++;
        clients[who] = await join(who === 'spectator' ? { matchId, spectate: true } : { matchId, seatToken: seatToken(matchId, who === 'first' ? 0 : 1) });
        continue;
      }
      expect(answer.ok, `${who} ${String(type)} ${JSON.stringify(payload).slice(0, 200)}`).to.equal(false);
      codes.set(answer.error!.code, (codes.get(answer.error!.code) ?? 0) + 1);
    }
    expect(closedByTransport, 'connections closed by the transport').to.be.below(20);
    expect(fingerprint(runner)).to.equal(before);
    expect(
      [...codes.keys()].every((code) => (ARENA_ERROR_CODE_LIST as string[]).includes(code)),
      [...codes.keys()].join(),
    ).to.equal(true);
    for (const code of ['bad-envelope', 'unknown-message', 'stale', 'not-your-turn', 'spectator-cannot-act', 'payload-too-large', 'bad-action']) {
      expect(codes.get(code) ?? 0, code).to.be.greaterThan(0);
    }
    // Still serving: the seat to act moves.
    expect((await clients.first.send('act', { matchId, stepIndex: 0, action: { id: 3 } })).ok).to.equal(true);
    expect(runner.stepIndex).to.equal(1);
  });

  it('closes a connection that sends a frame over the cap, and keeps serving the others', async () => {
    const matchId = 'c4-big';
    const runner = server.matches.add(matchId, 'connect-four-v1', 6);
    const first = await join({ matchId, seatToken: seatToken(matchId, 0) });
    const spectator = await join({ matchId, spectate: true });
    const closed = new Promise<number>((resolve) => first.room.onLeave((code) => resolve(code)));
    first.room.send('act', { matchId, stepIndex: 0, action: { text: 'x'.repeat(200 * 1024) } });
    expect(await closed).to.not.equal(undefined);
    expect(runner.stepIndex).to.equal(0);
    expect((await spectator.send('ping', { t: 1 })).ok).to.equal(true);
  });
});
