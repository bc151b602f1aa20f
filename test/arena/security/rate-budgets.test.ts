/**
 * Issue #17: the default rate limits let a fast agent play many matches at full speed on one
 * connection, and still stop floods. Time stands still here (a fake clock under the runners and
 * the socket.io gateway): no bucket refills, so every message beyond a bucket's first burst
 * goes through only because the budget scales with the matches held and earns a token back
 * per decision, and a flood's cut-off is exact.
 */
import '../../../arena/rooms/node20-shim.ts';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { buildArena, type Arena } from '../../../arena/build-arena.ts';
import { DEFAULT_RATE_POLICY } from '../../../arena/match/rate-limiter.ts';
import { ColyseusAgentClient } from '../../../agents/remote/colyseus-agent-client.ts';
import { LudusAgentClient, type ReportedError } from '../../../agents/remote/ludus-agent-client.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import type { Ack, MatchEndMessage } from '../../../protocol/messages.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const ADMIN = 'rate-budgets-admin-token';
// Long clocks (the fake clock never runs them anyway); the default rate limits.
const SETTINGS = { moveTimeMs: 1e8, reconnectWindowMs: 1e8 };
const { gateway, match } = DEFAULT_RATE_POLICY;

interface Live {
  readonly arena: Arena;
  readonly store: SqliteStore;
  readonly url: string;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('arena security: rate budgets under the default policy', () => {
  let live: Live;
  const closers: (() => void)[] = [];
  beforeEach(async () => {
    const store = new SqliteStore(':memory:');
    const clock = new FakeClock();
    const arena = await buildArena({ store, adminToken: ADMIN, logger: false, clock, socketio: { clock }, defaultSettings: SETTINGS });
    await arena.app.listen({ port: 0, host: '127.0.0.1' });
    live = { arena, store, url: `http://127.0.0.1:${(arena.app.server.address() as AddressInfo).port}` };
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await live.arena.close();
    await live.store.close();
  });

  /** A match of `agentId` (remote, seat 0) against an in-process random agent. */
  const against = (agentId: string, env: string, params: Record<string, unknown> = {}) =>
    live.arena.matches.create({
      env,
      params,
      seats: [
        { kind: 'remote', agentId },
        { kind: 'agent', agent: 'random' },
      ],
    });

  it('lets an agent play forty long matches at once on one socket.io connection, at full speed', async () => {
    await live.store.registerAgent('fast', 'tok-fast');
    const rounds = 60;
    const created = await Promise.all(Array.from({ length: 40 }, () => against('fast', 'rock-paper-scissors-v1', { rounds })));
    const client = await LudusAgentClient.connect(live.url, { token: 'tok-fast', decision: {} });
    closers.push(() => client.close());
    const errors: ReportedError[] = [];
    client.onError((error) => errors.push(error));
    let answered = 0;
    client.onDecision((request) => {
      answered++;
      return request.legalActions[answered % request.legalActions.length]!.id;
    });
    // All forty joins in one burst, then every round answered as soon as it is asked.
    await Promise.all(created.map((m) => client.join(m.matchId, m.seatTokens[0]!)));
    const ends = await Promise.all(created.map((m) => client.result(m.matchId)));
    expect(errors).to.deep.equal([]);
    expect(ends.map((e: MatchEndMessage) => e.reason)).to.deep.equal(created.map(() => 'terminal'));
    for (const m of created) expect(live.arena.matches.get(m.matchId)!.record().history).to.have.length(rounds);
    // With time standing still, the base budgets would have stopped it long before.
    expect(answered).to.equal(40 * rounds);
    expect(answered + 40).to.be.above(gateway.capacity * 10);
    expect(rounds).to.be.above(match.capacity);
  });

  it('lets an anonymous connection join fifty matches by seat token at once and play them all', async () => {
    const created = await Promise.all(Array.from({ length: 50 }, () => against('anon', 'tic-tac-toe-v1')));
    const client = await LudusAgentClient.connect(live.url, { decision: {} });
    closers.push(() => client.close());
    const errors: ReportedError[] = [];
    client.onError((error) => errors.push(error));
    client.onDecision((request) => request.legalActions[0]!.id);
    await Promise.all(created.map((m) => client.join(m.matchId, m.seatTokens[0]!)));
    const ends = await Promise.all(created.map((m) => client.result(m.matchId)));
    expect(errors).to.deep.equal([]);
    expect(ends.every((e) => e.reason === 'terminal')).to.equal(true);
    expect(created.length).to.be.above(gateway.capacity);
  });

  it('lets a Colyseus seat play a long match at full speed', async () => {
    const rounds = 150;
    const { matchId, seatTokens } = await against('colyseus-fast', 'rock-paper-scissors-v1', { rounds });
    const errors: string[] = [];
    const end = await new ColyseusAgentClient(live.url).playMatch(
      { matchId, seatToken: seatTokens[0]! },
      (request) => request.legalActions[request.stepIndex % request.legalActions.length]!.id,
      { decision: {}, onError: (error) => errors.push(error.code) },
    );
    expect(errors).to.deep.equal([]);
    expect(end.reason).to.equal('terminal');
    expect(live.arena.matches.get(matchId)!.record().history).to.have.length(rounds);
    expect(rounds).to.be.above(match.capacity);
  });

  describe('floods', () => {
    /** A raw socket.io connection to /agents (no client-side bookkeeping in the way). */
    async function rawSocket(token?: string): Promise<Socket> {
      const socket = io(`${live.url}/agents`, { transports: ['websocket'], reconnection: false, ...(token === undefined ? {} : { auth: { token } }) });
      closers.push(() => socket.close());
      await new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(undefined));
        socket.once('connect_error', reject);
      });
      return socket;
    }
    const send = (socket: Socket, event: string, payload: unknown): Promise<Ack> => socket.timeout(10_000).emitWithAck(event, payload) as Promise<Ack>;

    it('cuts a connection holding a match that floods messages nobody asked for: exactly its scaled burst, then refusals, then the door', async () => {
      await live.store.registerAgent('flooder', 'tok-flooder');
      const { matchId, seatTokens } = await against('flooder', 'tic-tac-toe-v1');
      const socket = await rawSocket('tok-flooder');
      const kicked = new Promise<{ code: string }>((resolve) => socket.once('error', resolve));
      expect((await send(socket, 'join', { matchId, seatToken: seatTokens[0] })).ok).to.equal(true);
      const answers = await Promise.all(Array.from({ length: 200 }, (_, t) => send(socket, 'ping', { t }).catch(() => undefined)));
      const codes = answers.map((a) => (a === undefined ? 'no answer' : a.ok ? 'ok' : a.error.code));
      // One match held: twice the base burst (the join's token came back with its seat).
      const burst = gateway.capacity * 2;
      expect(codes.slice(0, burst)).to.deep.equal(Array.from({ length: burst }, () => 'ok'));
      expect(codes.slice(burst, burst + gateway.maxViolations - 1).every((c) => c === 'rate-limited')).to.equal(true);
      expect((await kicked).code).to.equal('rate-limited');
      await until(() => !socket.connected, 'the disconnection');
    });

    it("cuts acts beyond the decisions asked with the seat's own budget, then drops the connection", async () => {
      const { matchId, seatTokens } = await against('stale-flooder', 'tic-tac-toe-v1');
      const socket = await rawSocket();
      const kicked = new Promise<{ code: string }>((resolve) => socket.once('error', resolve));
      expect((await send(socket, 'join', { matchId, seatToken: seatTokens[0] })).ok).to.equal(true);
      const runner = live.arena.matches.get(matchId)!;
      const stale = runner.stepIndex + 5;
      const answers = await Promise.all(
        Array.from({ length: 150 }, () => send(socket, 'act', { matchId, stepIndex: stale, action: { id: 0 } }).catch(() => undefined)),
      );
      const codes = answers.map((a) => (a === undefined ? 'no answer' : a.ok ? 'ok' : a.error.code));
      // The seat's bucket holds `match.capacity`; its join and first decision left it full.
      expect(codes.slice(0, match.capacity - 1)).to.deep.equal(Array.from({ length: match.capacity - 1 }, () => 'stale'));
      expect(codes.slice(match.capacity, match.capacity + 50).every((c) => c === 'rate-limited')).to.equal(true);
      expect((await kicked).code).to.equal('rate-limited');
      await until(() => !socket.connected, 'the disconnection');
      expect(runner.record().history, 'nothing was played').to.deep.equal([]);
    });

    it('gives a repeated join no budget back: a rejoin flood is cut like any other', async () => {
      const { matchId, seatTokens } = await against('rejoiner', 'tic-tac-toe-v1');
      const socket = await rawSocket();
      const answers = await Promise.all(Array.from({ length: 150 }, () => send(socket, 'join', { matchId, seatToken: seatTokens[0] }).catch(() => undefined)));
      const codes = answers.map((a) => (a === undefined ? 'no answer' : a.ok ? 'ok' : a.error.code));
      expect(codes.filter((c) => c === 'ok').length).to.be.below(gateway.capacity * 2 + 2);
      expect(codes).to.include('rate-limited');
    });
  });
});
