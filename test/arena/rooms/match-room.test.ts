import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import { MAX_MESSAGE_BYTES } from '../../../protocol/messages.ts';
import type { DecisionMessage } from '../../../protocol/messages.ts';
import type { MatchRunner } from '../../../arena/match/match-runner.ts';
import { firstState, Recorder, seatToken, startServer, type TestServer } from './colyseus-harness.ts';

/** Everything a rejection must leave alone. */
const fingerprint = (runner: MatchRunner): string =>
  JSON.stringify({ state: runner.state, step: runner.stepIndex, history: runner.record().history, pending: runner.pendingSeats() });

/** Answers every decision for the recorder's seat with `choose`, echoing stepIndex. */
function autoPlay(player: Recorder, matchId: string, choose: (d: DecisionMessage) => number): void {
  const answered = new Set<number>();
  player.listen('decision', (payload) => {
    const decision = payload as DecisionMessage;
    if (answered.has(decision.stepIndex)) return;
    answered.add(decision.stepIndex);
    player.room.send('act', { matchId, stepIndex: decision.stepIndex, action: { id: choose(decision) } });
  });
}

async function join(server: TestServer, options: Record<string, unknown>): Promise<Recorder> {
  const room = await server.sdk().joinOrCreate('match', options);
  const recorder = new Recorder(room);
  await firstState(room);
  return recorder;
}

describe('arena/rooms/match-room', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server.close();
  });

  it('plays a tic-tac-toe match to the end through the room, the spectator seeing only spectator data', async () => {
    const matchId = 'ttt-1';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 1);
    const spectator = await join(server, { matchId, spectate: true });
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const o = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    expect(x.room.roomId, 'one room per match').to.equal(o.room.roomId);
    expect(spectator.room.roomId).to.equal(x.room.roomId);
    const ended = Promise.all([x.next('match:end', 0), o.next('match:end', 0), spectator.next('match:end', 0)]);
    // Both take the lowest free cell: X gets 0, 2, 4, 6 and wins on the 2-4-6 diagonal at step 7.
    for (const player of [x, o]) autoPlay(player, matchId, (d) => Math.min(...d.legalActions.map((a) => a.id)));
    const [endX] = await ended;
    expect((endX.payload as { returns: number[] }).returns).to.deep.equal([1, -1]);
    expect(runner.isOver).to.equal(true);
    expect(runner.stepIndex).to.equal(7);
    expect(
      x.of('ack').every((a) => (a as { ok: boolean }).ok),
      JSON.stringify(x.of('ack')),
    ).to.equal(true);
    expect(o.of('ack').every((a) => (a as { ok: boolean }).ok)).to.equal(true);

    expect(spectator.of('decision')).to.deep.equal([]);
    const states = spectator.of('state') as { viewer: unknown }[];
    expect(states.length).to.be.greaterThan(0);
    expect(states.every((s) => s.viewer === 'spectator')).to.equal(true);
    await spectator.until((s) => s.status === 'finished');
    const state = spectator.room.state as { status: string; stepIndex: number; env: string; returns: number[]; view: string };
    expect(state.status).to.equal('finished');
    expect(state.env).to.equal('tic-tac-toe-v1');
    expect(state.stepIndex).to.equal(7);
    expect(Array.from(state.returns)).to.deep.equal([1, -1]);
    expect(JSON.parse(state.view)).to.deep.equal(runner.env.view(runner.state as never, 'spectator'));
    await Promise.all([x.room.leave(), o.room.leave(), spectator.room.leave()]);
  });

  it('refuses a wrong seat token and an unknown match with typed errors', async () => {
    const matchId = 'ttt-2';
    server.matches.add(matchId, 'tic-tac-toe-v1', 2);
    const spectator = await join(server, { matchId, spectate: true });
    const wrong = await server
      .sdk()
      .joinOrCreate('match', { matchId, seatToken: 'not-a-token' })
      .then(
        () => 'joined',
        (e: Error) => e.message,
      );
    expect(wrong).to.match(/^unauthorized: /);
    const otherMatchToken = await server
      .sdk()
      .joinOrCreate('match', { matchId, seatToken: seatToken('ttt-1', 0) })
      .then(
        () => 'joined',
        (e: Error) => e.message,
      );
    expect(otherMatchToken).to.match(/^unauthorized: /);
    const unknown = await server
      .sdk()
      .joinOrCreate('match', { matchId: 'no-such-match', spectate: true })
      .then(
        () => 'joined',
        (e: Error) => e.message,
      );
    expect(unknown).to.match(/^unknown-match: /);
    await spectator.room.leave();
  });

  it('answers spectator acts, malformed and oversized messages with typed acks, changing nothing', async () => {
    const matchId = 'ttt-3';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 3);
    const spectator = await join(server, { matchId, spectate: true });
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const o = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    await x.next('decision', 0);
    const before = fingerprint(runner);
    const act = { matchId, stepIndex: 0, action: { id: 4 } };

    expect((await spectator.send('act', act)).error?.code).to.equal('spectator-cannot-act');
    expect((await o.send('act', act)).error?.code, 'not their turn').to.equal('not-your-turn');
    expect((await x.send('act', 42)).error?.code).to.equal('bad-envelope');
    expect((await x.send('act', { matchId, stepIndex: 'zero', action: { id: 4 } })).error?.code).to.equal('bad-envelope');
    expect((await x.send('act', { ...act, action: { id: 99 } })).error?.code).to.equal('illegal-action');
    expect((await x.send('act', { ...act, stepIndex: 5 })).error?.code).to.equal('stale');
    expect((await x.send('resign', { matchId })).error?.code).to.equal('unknown-message');
    expect((await x.send('join', { matchId, seatToken: seatToken(matchId, 1) })).error?.code).to.equal('unknown-message');
    const pad = 'x'.repeat(MAX_MESSAGE_BYTES + 100);
    expect((await x.send('act', { ...act, action: { text: pad } })).error?.code).to.equal('payload-too-large');
    expect((await x.send('ping', { pad })).error?.code).to.equal('payload-too-large');
    const requested = (await spectator.room.request('act', act)) as { ok: boolean; error?: { code: string } };
    expect(requested.error?.code, 'request() gets the Ack as its reply').to.equal('spectator-cannot-act');

    expect(fingerprint(runner)).to.equal(before);
    expect(x.room.connection.isOpen && spectator.room.connection.isOpen).to.equal(true);
    const pong = await x.send('ping', { t: 5 });
    expect(pong).to.deep.include({ ok: true });
    const played = await x.send('act', act);
    expect(played).to.deep.equal({ ok: true, result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action: { id: 4, text: '[4]' } } });
    await Promise.all([x.room.leave(), o.room.leave(), spectator.room.leave()]);
  });

  it('closes a connection that sends a frame over the socket limit (1009), changing nothing', async () => {
    const matchId = 'ttt-huge';
    const runner = server.matches.add(matchId, 'tic-tac-toe-v1', 8);
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const o = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    await x.next('decision', 0);
    const before = fingerprint(runner);
    const left = new Promise<number>((resolve) => x.room.onLeave.once((code) => resolve(code)));
    x.room.send('act', { matchId, stepIndex: 0, action: { text: 'x'.repeat(4 * MAX_MESSAGE_BYTES + 1) } });
    expect(await left).to.equal(1009);
    expect(fingerprint(runner)).to.equal(before);
    await o.room.leave();
  });

  it('closes the connection of a session the runner kicks for flooding', async () => {
    const matchId = 'ttt-flood';
    server.matches.add(matchId, 'tic-tac-toe-v1', 9, { rateLimit: { capacity: 1, refillPerSecond: 1, maxViolations: 2 } });
    const x = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const left = new Promise<[number, string | undefined]>((resolve) => x.room.onLeave.once((code, reason) => resolve([code, reason])));
    expect((await x.send('ping')).ok, "the seat's one token").to.equal(true);
    expect((await x.send('ping')).error?.code).to.equal('rate-limited');
    x.room.send('ping');
    expect(await left).to.deep.equal([4002, 'rate-limited']);
  });

  it('never shows a leduc private card to the opponent or the spectator (fold, no showdown)', async () => {
    const matchId = 'leduc-1';
    const runner = server.matches.add(matchId, 'leduc-poker-v1', 11);
    const spectator = await join(server, { matchId, spectate: true });
    const p0 = await join(server, { matchId, seatToken: seatToken(matchId, 0) });
    const p1 = await join(server, { matchId, seatToken: seatToken(matchId, 1) });
    const ended = Promise.all([p0.next('match:end', 0), p1.next('match:end', 0), spectator.next('match:end', 0)]);
    // Seat 0 opens with a raise (id 2), seat 1 folds (id 0): the hand ends before any showdown.
    const answer = (player: Recorder, id: number) => async () => {
      const decision = (await player.next('decision', 0)).payload as DecisionMessage;
      return player.send('act', { matchId, stepIndex: decision.stepIndex, action: { id } });
    };
    expect((await answer(p0, 2)()).ok).to.equal(true);
    expect((await answer(p1, 0)()).ok).to.equal(true);
    const [end0] = await ended;
    expect((end0.payload as { returns: number[] }).returns, 'seat 1 loses its ante of 1').to.deep.equal([1, -1]);

    const cards = (runner.state as { cards: number[] }).cards;
    const name = (card: number) => `${'JQK'[card >> 1]}${'sh'[card & 1]}`;
    const hidden = (card: number) => new RegExp(`\\b${name(card)}\\b|\\b${['jack', 'queen', 'king'][card >> 1]} of ${['spades', 'hearts'][card & 1]}\\b`, 'i');
    // rulesText is the same public text for everyone; everything else is scanned.
    const scan = (r: Recorder): string =>
      JSON.stringify(r.inbox.map((m) => ({ ...(m.payload as object), rulesText: undefined }))) + JSON.stringify(r.room.state);
    expect(JSON.stringify(spectator.room.state), 'the room state is part of the scan').to.include('leduc-poker-v1');
    expect(scan(p0), 'own card is visible to its seat').to.match(hidden(cards[0]!));
    expect(scan(p0)).not.to.match(hidden(cards[1]!));
    expect(scan(p1)).not.to.match(hidden(cards[0]!));
    expect(scan(spectator)).not.to.match(hidden(cards[0]!));
    expect(scan(spectator)).not.to.match(hidden(cards[1]!));
    expect(spectator.of('decision')).to.deep.equal([]);
    await Promise.all([p0.room.leave(), p1.room.leave(), spectator.room.leave()]);
  });
});
