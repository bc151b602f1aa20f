import { expect } from 'chai';
import { randomValue } from '../../helpers/random-value.ts';
import { io as connectIo, type Socket } from 'socket.io-client';
import { Rng } from '../../../envs/index.ts';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { ARENA_ERROR_CODE_LIST } from '../../../protocol/errors.ts';
import { AckSchema, ErrorMessageSchema, type Ack, type StateMessage } from '../../../protocol/messages.ts';
import type { MatchRunner } from '../../../arena/match/match-runner.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { attachSocketGateway } from '../../../arena/gateway/socketio-gateway.ts';
import { CALM, FakeMatchManager, startGateway, until, type LiveGateway } from './gateway-harness.ts';
import type { DecisionMessage } from '../../../protocol/index.ts';

function rawClient(url: string, auth: Record<string, unknown> = {}, transport: 'websocket' | 'polling' = 'websocket'): Promise<Socket> {
  const socket = connectIo(`${url}/agents`, { transports: [transport], auth, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function ack(socket: Socket, event: string, ...payload: unknown[]): Promise<Ack> {
  const answer: unknown = await socket.timeout(10_000).emitWithAck(event, ...payload);
  expect(AckSchema.safeParse(answer).success, `bad ack ${JSON.stringify(answer)}`).to.equal(true);
  return answer as Ack;
}

const fingerprint = (runner: MatchRunner): string =>
  JSON.stringify({ state: runner.state, step: runner.stepIndex, history: runner.record().history, over: runner.isOver });

const firstLegal = (request: DecisionMessage): number => request.legalActions[0]!.id;

describe('arena/gateway/socketio-gateway', () => {
  let live: LiveGateway;
  const sockets: Socket[] = [];
  const clients: LudusAgentClient[] = [];
  const raw = async (auth?: Record<string, unknown>): Promise<Socket> => {
    const socket = await rawClient(live.url, auth);
    sockets.push(socket);
    return socket;
  };
  const client = async (): Promise<LudusAgentClient> => {
    const c = await LudusAgentClient.connect(live.url);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    live = await startGateway({ verifyAgentToken: async (token) => (token === 'agent-secret' ? 'agent-7' : undefined) });
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    for (const c of clients.splice(0)) c.close();
    await live.close();
  });

  it('plays a full tic-tac-toe match between two clients to its end', async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const rng = new Rng(11);
    const [a, b] = [await client(), await client()];
    for (const c of [a, b]) c.onDecision((request) => rng.pick(request.legalActions).id);
    expect(await a.join(matchId, seatTokens[0]!)).to.deep.equal([0]);
    expect(await b.join(matchId, seatTokens[1]!)).to.deep.equal([1]);
    const [endA, endB] = await Promise.all([a.result(matchId), b.result(matchId)]);
    const runner = live.matches.get(matchId)!;
    expect(runner.isOver).to.equal(true);
    expect(endA.reason).to.equal('terminal');
    expect(endA.returns).to.deep.equal(endB.returns);
    expect(endA.returns).to.deep.equal(runner.env.returns(runner.state));
    expect(endA.returns[0]! + endA.returns[1]!).to.equal(0); // tic-tac-toe is zero-sum
    expect(runner.record().history.length).to.be.within(5, 9); // a game lasts 5 to 9 moves
  });

  it("accepts text actions through the runner's text path", async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const [a, b] = [await raw(), await raw()];
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    const answer = await ack(a, 'act', { matchId, stepIndex: 0, action: { text: 'I play [4]' } });
    // The ack echoes the action the text became.
    expect(answer).to.deep.equal({ ok: true, result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action: { id: 4, text: '[4]' } } });
    expect(live.matches.get(matchId)!.record().history).to.deep.equal([{ kind: 'decision', seat: 0, action: 4 }]);
  });

  it('sends a spectator only spectator views (leduc: no private card) and no decisions', async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'leduc-poker-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const spectator = await raw();
    const seen: { event: string; message: StateMessage }[] = [];
    spectator.onAny((event: string, message: StateMessage) => seen.push({ event, message }));
    expect(await ack(spectator, 'spectate', { matchId })).to.deep.equal({ ok: true, result: { type: 'spectating' } });
    const seat0: StateMessage[] = [];
    const [a, b] = [await client(), await client()];
    a.socket.on('state', (message: StateMessage) => seat0.push(message));
    for (const c of [a, b]) c.onDecision(firstLegal);
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    await a.result(matchId);
    await until(() => seen.some((s) => s.event === 'match:end'), "the spectator's match:end");
    expect(seen.map((s) => s.event)).to.not.include('decision');
    const states = seen.filter((s) => s.event === 'state').map((s) => s.message);
    expect(states.length).to.be.greaterThan(2);
    for (const state of states) {
      expect(state.viewer).to.equal('spectator');
      if (state.turn.kind !== 'terminal') expect((state.view as { cards: unknown[] }).cards).to.deep.equal([null, null]);
    }
    // The same match, seen by seat 0: its own card, never the other's.
    const live0 = seat0.filter((s) => s.turn.kind !== 'terminal' && (s.view as { cards: unknown[] }).cards[0] !== null);
    expect(live0.length).to.be.greaterThan(0);
    for (const state of live0) expect((state.view as { cards: unknown[] }).cards[1]).to.equal(null);
  });

  it('rejects each bad message with its typed error and leaves the match unchanged', async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const [a, b, watcher] = [await raw(), await raw(), await raw()];
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    await ack(watcher, 'spectate', { matchId });
    const runner = live.matches.get(matchId)!;
    expect(await ack(a, 'act', { matchId, stepIndex: 0, action: { id: 4 } })).to.have.property('ok', true);
    const act = (stepIndex: number, action: unknown, extra: object = {}) => ({ matchId, stepIndex, action, ...extra });
    const cases: [Socket, string, unknown[], string][] = [
      [b, 'act', ['{"matchId": oops'], 'bad-envelope'],
      [b, 'act', [{ matchId, stepIndex: 'one', action: { id: 0 } }], 'bad-envelope'],
      [b, 'act', [act(1, { id: 0 }), 'extra'], 'bad-envelope'],
      [b, 'dance', [{ matchId }], 'unknown-message'],
      [b, 'act', [act(1, { id: 0 }, { seat: 0 })], 'not-your-seat'],
      [a, 'act', [act(1, { id: 0 })], 'not-your-turn'],
      [watcher, 'act', [act(1, { id: 0 })], 'spectator-cannot-act'],
      [b, 'act', [act(0, { id: 0 })], 'stale'],
      [b, 'act', [act(1, { id: 4 })], 'illegal-action'],
      [b, 'act', [act(1, { text: 'the middle one please' })], 'bad-action'],
      [b, 'act', [act(1, { text: 'x'.repeat(17 * 1024) })], 'payload-too-large'],
      [b, 'join', [{ matchId, seatToken: 'guessed' }], 'unauthorized'],
      [b, 'act', [{ ...act(1, { id: 0 }), matchId: 'nope' }], 'unknown-match'],
    ];
    for (const [socket, event, payload, code] of cases) {
      const before = fingerprint(runner);
      const answer = await ack(socket, event, ...payload);
      expect(answer.ok, `${event} ${JSON.stringify(payload).slice(0, 80)}`).to.equal(false);
      if (!answer.ok) expect(answer.error.code, answer.error.message).to.equal(code);
      expect(fingerprint(runner), `state changed by '${code}'`).to.equal(before);
    }
    expect(await ack(b, 'act', act(1, { id: 0 }))).to.have.property('ok', true);
  });

  it('answers a message sent without an ack with an error event', async () => {
    const socket = await raw();
    const error = new Promise((resolve) => socket.once('error', resolve));
    socket.emit('dance', { please: true });
    const message = await error;
    expect(ErrorMessageSchema.safeParse(message).success, JSON.stringify(message)).to.equal(true);
    expect(message).to.include({ type: 'error', code: 'unknown-message' });
  });

  it('drops a frame over the transport cap and stays up for others', async () => {
    const socket = await raw();
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('act', { text: 'x'.repeat(200 * 1024) });
    expect(await dropped).to.equal('transport close');
    const other = await raw();
    expect((await ack(other, 'ping', { t: 1 })).ok).to.equal(true);
  });

  it('serves long-polling clients too', async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const polling = await rawClient(live.url, {}, 'polling');
    sockets.push(polling);
    expect(await ack(polling, 'join', { matchId, seatToken: seatTokens[0] })).to.deep.equal({ ok: true, result: { type: 'joined', seats: [0] } });
    const tooBig = await ack(polling, 'act', { matchId, stepIndex: 0, action: { text: 'x'.repeat(20_000) } });
    expect(tooBig.ok ? '' : tooBig.error.code).to.equal('payload-too-large');
  });

  it('refuses a bad token at connection with a typed error and accepts agent and seat tokens', async () => {
    let refusal: (Error & { data?: { code: string } }) | undefined;
    try {
      await raw({ token: 'wrong' });
    } catch (error) {
      refusal = error as Error & { data?: { code: string } };
    }
    expect(refusal?.data?.code).to.equal('unauthorized');
    await raw({ token: 'agent-secret' });
    const { seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    await raw({ token: seatTokens[1] });
  });

  it('moves a seat to a new connection and lets a dropped seat rejoin', async () => {
    const { matchId, seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const [a, b] = [await raw(), await raw()];
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    const runner = live.matches.get(matchId)!;
    const kickError = new Promise((resolve) => a.once('error', resolve));
    const kicked = new Promise((resolve) => a.once('disconnect', resolve));
    const a2 = await raw();
    const decision = new Promise<DecisionMessage>((resolve) => a2.once('decision', resolve));
    await ack(a2, 'join', { matchId, seatToken: seatTokens[0] });
    await kicked;
    const kickMessage = await kickError;
    expect(ErrorMessageSchema.safeParse(kickMessage).success, JSON.stringify(kickMessage)).to.equal(true);
    expect(kickMessage).to.include({ matchId, code: 'not-your-seat' });
    expect((await decision).stepIndex).to.equal(0);
    expect(runner.seats.sessionOf(0)).to.equal(a2.id);
    b.close();
    await until(() => runner.seats.sessionOf(1) === null, 'seat 1 released');
    const b2 = await raw();
    await ack(b2, 'join', { matchId, seatToken: seatTokens[1] });
    expect(runner.seats.connectedFlags()).to.deep.equal([true, true]);
  });

  it('holds a simultaneous answer until every seat answered (rock-paper-scissors)', async () => {
    const { matchId, seatTokens } = await live.matches.create({
      env: 'rock-paper-scissors-v1',
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: CALM,
    });
    const [a, b] = [await raw(), await raw()];
    const decisions: DecisionMessage[] = [];
    a.on('decision', (d: DecisionMessage) => decisions.push(d));
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    await until(() => decisions.length > 0, 'the decision');
    const step = decisions[0]!.stepIndex;
    expect(await ack(a, 'act', { matchId, stepIndex: step, action: { id: 0 } })).to.deep.equal({
      ok: true,
      result: { type: 'held', seat: 0, stepIndex: step, action: { id: 0, text: '[rock]' } },
    });
    const again = await ack(a, 'act', { matchId, stepIndex: step, action: { id: 1 } });
    expect(again.ok ? '' : again.error.code).to.equal('not-your-turn');
    expect(await ack(b, 'act', { matchId, stepIndex: step, action: { id: 1 } })).to.include({ ok: true });
    expect(live.matches.get(matchId)!.stepIndex).to.be.greaterThan(step);
  });

  it('tells a seat that missed its deadline, and answers its late act with stale', async () => {
    const clock = new FakeClock();
    live.matches.clock = clock;
    const { matchId, seatTokens } = await live.matches.create({
      env: 'tic-tac-toe-v1',
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: { ...CALM, moveTimeMs: 1000, timeoutPolicy: 'default' },
    });
    const [a, b] = [await raw(), await raw()];
    const errors: unknown[] = [];
    a.on('error', (e: unknown) => errors.push(e));
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    clock.advance(1001);
    await until(() => errors.length > 0, 'the timeout error');
    expect(errors[0]).to.include({ type: 'error', matchId, code: 'timeout' });
    const runner = live.matches.get(matchId)!;
    expect(runner.record().history).to.deep.equal([{ kind: 'decision', seat: 0, action: 0 }]); // 'default': the lowest legal id
    const late = await ack(a, 'act', { matchId, stepIndex: 0, action: { id: 4 } });
    expect(late.ok ? '' : late.error.code).to.equal('stale');
  });

  it('answers ~2,000 random payloads with errors and stays up', async () => {
    await live.close();
    live = await startGateway({ rateLimit: { capacity: 10_000, refillPerSecond: 10_000, maxViolations: 100 } });
    const { matchId, seatTokens } = await live.matches.create({ env: 'connect-four-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const [a, b] = [await raw(), await raw()];
    await ack(a, 'join', { matchId, seatToken: seatTokens[0] });
    await ack(b, 'join', { matchId, seatToken: seatTokens[1] });
    const runner = live.matches.get(matchId)!;
    const before = fingerprint(runner);
    const rng = new Rng(2026);
    const codes = new Set<string>();
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => {
          const { event, payload } = randomEmit(rng, matchId);
          return ack(rng.int(2) === 0 ? a : b, event, ...payload);
        }),
      );
      for (const answer of answers) {
        expect(answer.ok, JSON.stringify(answer)).to.equal(false);
        if (!answer.ok) codes.add(answer.error.code);
      }
    }
    expect(fingerprint(runner)).to.equal(before);
    expect([...codes].every((code) => (ARENA_ERROR_CODE_LIST as string[]).includes(code))).to.equal(true);
    expect(codes).to.include.keys('bad-envelope', 'unknown-message', 'stale');
    expect(await ack(a, 'act', { matchId, stepIndex: 0, action: { id: 3 } })).to.have.property('ok', true);
  });
});

describe('arena/gateway/socketio-gateway flood control', () => {
  it('answers a flood with rate-limited errors, then drops the connection', async () => {
    const live = await startGateway({ rateLimit: { capacity: 5, refillPerSecond: 0.001, maxViolations: 20 } });
    const socket = await rawClient(live.url);
    const kicked = new Promise((resolve) => socket.once('error', resolve));
    const answers = await Promise.all(Array.from({ length: 24 }, (_, t) => ack(socket, 'ping', { t })));
    const limited = answers.filter((answer) => !answer.ok && answer.error.code === 'rate-limited');
    expect(limited.length).to.be.at.least(15);
    socket.emit('ping', {});
    const kickMessage = await kicked;
    expect(ErrorMessageSchema.safeParse(kickMessage).success, JSON.stringify(kickMessage)).to.equal(true);
    expect(kickMessage).to.include({ code: 'rate-limited' });
    await until(() => !socket.connected, 'the kick');
    // A connection with its own identity (a seat token) has its own budget.
    const { seatTokens } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }] });
    const other = await rawClient(live.url, { token: seatTokens[0] });
    expect((await ack(other, 'ping', {})).ok).to.equal(true);
    await other.close();
    await live.close();
  });

  it('limits per identity, not per connection: more anonymous connections from one address buy no more messages', async () => {
    const live = await startGateway({ rateLimit: { capacity: 6, refillPerSecond: 0.001, maxViolations: 1_000 } });
    const sockets = await Promise.all(Array.from({ length: 6 }, () => rawClient(live.url)));
    const answers = await Promise.all(sockets.flatMap((socket) => [0, 1, 2].map((t) => ack(socket, 'ping', { t }))));
    // 18 messages over six connections: the address's six, whichever connection sent them.
    expect(answers.filter((a) => a.ok)).to.have.length(6);
    expect(answers.filter((a) => !a.ok && a.error.code === 'rate-limited')).to.have.length(12);
    for (const socket of sockets) socket.close();
    await live.close();
  });
});

const WORDS = ['act', 'join', 'spectate', 'dance', 'type', 'matchId', 'stepIndex', 'action', 'id', 'text', 'struct', '__proto__', 'seat'];

const junk = (rng: Rng): unknown => randomValue(rng, WORDS);

/** Never a valid message: wrong events, junk payloads, or acts that are off (stale, bad schema). */
function randomEmit(rng: Rng, matchId: string): { event: string; payload: unknown[] } {
  const emit = randomEmitAnySize(rng, matchId);
  // Stay under the transport cap (64 KiB): a bigger frame closes the connection instead.
  return JSON.stringify(emit.payload).length > 40_000 ? { event: emit.event, payload: ['y'.repeat(20_000)] } : emit;
}

function randomEmitAnySize(rng: Rng, matchId: string): { event: string; payload: unknown[] } {
  switch (rng.int(5)) {
    case 0:
      return { event: rng.pick(['dance', 'act ', 'JOIN', 'match:end', 'decision', 'error']), payload: [junk(rng)] };
    case 1:
      return { event: rng.pick(['act', 'join', 'spectate']), payload: [junk(rng)] };
    case 2:
      return { event: 'act', payload: [{ matchId, stepIndex: rng.pick([1, 2, 99]), action: { id: rng.int(7) } }] };
    case 3:
      return { event: 'act', payload: [{ matchId, stepIndex: 0, action: junk(rng) }, ...(rng.int(2) === 0 ? [1] : [])] };
    default:
      return { event: 'join', payload: [{ matchId: rng.pick([matchId, 'zzz']), seatToken: rng.pick(['nope', 5, '']) }] };
  }
}

describe('arena/gateway/socketio-gateway on a fastify server', () => {
  it('shares one port with fastify routes', async () => {
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    app.get('/health', async () => ({ ok: true }));
    const matches = new FakeMatchManager();
    const gateway = attachSocketGateway(app.server, matches);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { matchId, seatTokens } = await matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
      const socket = await rawClient(address);
      expect(await ack(socket, 'join', { matchId, seatToken: seatTokens[0] })).to.have.property('ok', true);
      socket.close();
      expect(await (await fetch(`${address}/health`)).json()).to.deep.equal({ ok: true });
    } finally {
      await gateway.close();
      await matches.close(); // ends the match: no reconnect window left open by the socket's close
      await app.close();
    }
  });
});
