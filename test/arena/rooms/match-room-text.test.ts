import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { Episode, getEnv } from '../../../envs/index.ts';
import type { Ack, DecisionMessage } from '../../../protocol/messages.ts';
import { firstState, Recorder, seatToken, startServer, type TestServer } from './colyseus-harness.ts';

async function join(server: TestServer, options: Record<string, unknown>): Promise<Recorder> {
  const room = await server.sdk().joinOrCreate('match', options);
  const recorder = new Recorder(room);
  await firstState(room);
  return recorder;
}

describe('arena/rooms/match-room: free-text moves of text envs', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server.close();
  });

  it('plays who-is-the-spy (4 seats) with text answers through the room; invalid clues are committed game events', async () => {
    const matchId = 'spy-1';
    const env = getEnv('who-is-the-spy-v1');
    const runner = server.matches.add(matchId, env.key, 5, {}, { players: 4, mode: 'vision-zero' });
    const spectator = await join(server, { matchId, spectate: true });
    const players = await Promise.all([0, 1, 2, 3].map((seat) => join(server, { matchId, seatToken: seatToken(matchId, seat) })));
    const ended = Promise.all(players.map((p) => p.next('match:end', 0)));
    const acks: Ack[] = [];
    // Each seat's first clue is empty (invalid, counted), then it plays the env's own kind of answer: a clue or a vote.
    players.forEach((player, seat) => {
      const answered = new Set<number>();
      player.listen('decision', (payload) => {
        const d = payload as DecisionMessage;
        if (answered.has(d.stepIndex)) return;
        answered.add(d.stepIndex);
        expect(d.legalActions).to.deep.equal([]);
        expect(d.rolePrompt).to.include(`You are Player ${seat + 1}`);
        const voting = /vote/i.test(d.observation.text.split('\n').pop() ?? '');
        const text = answered.size === 1 ? '\\boxed{}' : voting ? `\\boxed{${((seat + 1) % 4) + 1}}` : `\\boxed{clue ${d.stepIndex} from ${seat}}`;
        void (player.room.request('act', { matchId, stepIndex: d.stepIndex, action: { text } }) as Promise<Ack>).then((ack) => acks.push(ack));
      });
    });
    await ended;
    expect(runner.isOver).to.equal(true);
    expect(
      acks.every((a) => a.ok),
      JSON.stringify(acks.filter((a) => !a.ok)),
    ).to.equal(true);
    const verdicts = acks.flatMap((a) => (a.ok && a.result.type === 'committed' && a.result.action.verdict ? [a.result.action.verdict.kind] : []));
    expect(verdicts).to.have.length(acks.length);
    // Vision-Zero: two clue rounds (each seat's first clue empty, then given again), then one vote each.
    const played = acks.map((a) => (a.ok && a.result.type === 'committed' ? a.result.action.text.replace(/ .*/, '') : ''));
    expect(played.filter((t) => t === 'invalid:')).to.have.length(4);
    expect(played.filter((t) => t === 'clue:')).to.have.length(8);
    expect(played.filter((t) => t === 'vote:')).to.have.length(4);
    expect(verdicts.filter((k) => k === 'invalid')).to.have.length(4);
    const record = runner.record();
    expect(record.history.filter((e) => e.kind === 'text')).to.have.length(acks.length);
    expect(Episode.replay(env, record).returns).to.deep.equal(runner.result!.returns);
    // The spectator's synced state is the spectator view (words only at the end), and its move list names no clue.
    await spectator.until((st) => st.status === 'finished');
    const synced = spectator.room.state as { view: string; stepIndex: number };
    expect(synced.stepIndex).to.equal(runner.stepIndex);
    expect(JSON.parse(synced.view)).to.deep.equal(env.view(runner.state as never, 'spectator'));
    const moves = (spectator.of('state') as { lastMove: { text: string } | null }[]).flatMap((m) => (m.lastMove ? [m.lastMove.text] : []));
    expect(new Set(moves)).to.deep.equal(new Set(['text reply', 'invalid text reply']));
    await Promise.all([...players, spectator].map((p) => p.room.leave()));
  });
});
