import { expect } from 'chai';
import { getEnv } from '../../../envs/index.ts';
import { createAgent, parseAgentSpecs } from '../../../agents/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { ARENA_ERROR_CODES } from '../../../protocol/errors.ts';
import { MAX_MESSAGE_BYTES, MAX_TEXT_REPLY_CHARS } from '../../../protocol/messages.ts';
import { parseEnvelope } from '../../../arena/match/validate-move.ts';
import { act, expectRejected, fingerprint, makeHarness, MATCH_ID, playThrough, seatAll, token, type Harness } from './harness.ts';

const ticTacToe = getEnv('tic-tac-toe-v1');

/** Tic-tac-toe with seats 0 and 1 joined as s0 and s1, a spectator `spec`, started. */
function started(settings = {}): Harness {
  const h = makeHarness({ env: ticTacToe, settings });
  seatAll(h, [0, 1]);
  expect(h.submit('spec', { type: 'spectate', matchId: MATCH_ID }).ok).to.equal(true);
  return h;
}

describe('arena/match/match-runner: the validation pipeline', () => {
  describe('one rejection per code, nothing changed', () => {
    it('rate-limited when a session exceeds its token bucket, until it refills', () => {
      const h = started({ rateLimit: { capacity: 3, refillPerSecond: 1, maxViolations: 100 } });
      // The join was charged to the unbound session; seat 0 has its own three.
      for (let i = 0; i < 3; i++) expect(h.submit('s0', { type: 'ping' }).ok).to.equal(true);
      expectRejected(h, 's0', act(0, { id: 4 }), 'rate-limited');
      expect(h.submit('s1', { type: 'ping' }).ok, 'buckets are per seat').to.equal(true);
      // A new connection for the same seat buys no fresh burst.
      h.runner.disconnect('s0');
      expect(h.submit('s0b', { type: 'join', matchId: MATCH_ID, seatToken: token(0) }).ok).to.equal(true);
      expectRejected(h, 's0b', act(0, { id: 4 }), 'rate-limited');
      h.clock.advance(1000);
      expect(h.submit('s0b', act(0, { id: 4 })).ok).to.equal(true);
    });

    it('asks the transport to drop a session after maxViolations refusals in a row', () => {
      const h = started({ rateLimit: { capacity: 1, refillPerSecond: 1, maxViolations: 3 } });
      expect(h.submit('x', { type: 'ping' }).ok).to.equal(true);
      for (let i = 0; i < 2; i++) expectRejected(h, 'x', { type: 'ping' }, 'rate-limited');
      expect(h.events.filter((e) => e.kind === 'kick')).to.deep.equal([]);
      expectRejected(h, 'x', { type: 'ping' }, 'rate-limited');
      expect(h.events.filter((e) => e.kind === 'kick')).to.deep.equal([{ kind: 'kick', sessionId: 'x', reason: 'rate-limited' }]);
    });

    it('bad-envelope for invalid JSON, non-objects and schema failures', () => {
      const h = started();
      for (const raw of [
        '{"type": "act",',
        'null',
        42,
        null,
        [1, 2],
        { matchId: MATCH_ID },
        { type: 7 },
        act(-1, { id: 4 }),
        act(0, { id: 1.5 }),
        act(0, { id: 4, text: '[4]' }),
        { type: 'join', matchId: MATCH_ID },
      ]) {
        expectRejected(h, 's0', raw, 'bad-envelope');
      }
    });

    it('unknown-message for a string type the server does not know', () => {
      expectRejected(started(), 's0', { type: 'resign', matchId: MATCH_ID }, 'unknown-message');
    });

    it('payload-too-large for a message over 16 KiB or a text reply over 4 KiB', () => {
      const h = started();
      const huge = JSON.stringify(act(0, { text: 'x'.repeat(MAX_MESSAGE_BYTES) }));
      expectRejected(h, 's0', huge, 'payload-too-large');
      expectRejected(h, 's0', { type: 'ping', pad: 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1) }, 'payload-too-large');
      expectRejected(h, 's0', act(0, { text: 'x'.repeat(MAX_TEXT_REPLY_CHARS + 1) }), 'payload-too-large');
      expect(h.submit('s0', act(0, { text: `${' '.repeat(MAX_TEXT_REPLY_CHARS - 3)}[4]` })).ok).to.equal(true);
    });

    it('unauthorized for a wrong seat token', () => {
      const h = started();
      expectRejected(h, 'x', { type: 'join', matchId: MATCH_ID, seatToken: 'token-9' }, 'unauthorized');
      expectRejected(h, 'x', { type: 'join', matchId: MATCH_ID, seatToken: `${token(0)} ` }, 'unauthorized');
    });

    it('not-your-seat for an unbound session or a seat the session does not hold', () => {
      const h = started();
      expectRejected(h, 'x', act(0, { id: 4 }), 'not-your-seat');
      expectRejected(h, 's1', act(0, { id: 4 }, 0), 'not-your-seat');
    });

    it('spectator-cannot-act for a spectating session', () => {
      expectRejected(started(), 'spec', act(0, { id: 4 }), 'spectator-cannot-act');
    });

    it('unknown-match for another match id', () => {
      const h = started();
      expectRejected(h, 's0', { ...(act(0, { id: 4 }) as object), matchId: 'match-2' }, 'unknown-match');
      expectRejected(h, 'x', { type: 'spectate', matchId: 'match-2' }, 'unknown-match');
      expectRejected(h, 'x', { type: 'join', matchId: 'match-2', seatToken: token(0) }, 'unknown-match');
    });

    it('game-over once the match has ended', () => {
      const h = started();
      h.runner.abort();
      expectRejected(h, 's0', act(0, { id: 4 }), 'game-over');
      expectRejected(h, 'x', { type: 'spectate', matchId: MATCH_ID }, 'game-over');
    });

    it('stale for a step index other than the current one', () => {
      const h = started();
      expectRejected(h, 's0', act(1, { id: 4 }), 'stale');
      expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
      expectRejected(h, 's1', act(0, { id: 0 }), 'stale');
    });

    it('not-your-turn for a seat that is not to act, or before the match starts', () => {
      const h = started();
      expectRejected(h, 's1', act(0, { id: 4 }), 'not-your-turn');
      const waiting = makeHarness({ env: ticTacToe });
      seatAll(waiting, [0, 1], false);
      expectRejected(waiting, 's0', act(0, { id: 4 }), 'not-your-turn');
    });

    it('bad-action for a struct off the schema or a text naming no action', () => {
      const h = started();
      expectRejected(h, 's0', act(0, { struct: { cell: 'centre' } }), 'bad-action');
      expectRejected(h, 's0', act(0, { struct: { cell: 9 } }), 'bad-action');
      expectRejected(h, 's0', act(0, { struct: null }), 'bad-action');
      expectRejected(h, 's0', act(0, { text: 'I resign' }), 'bad-action');
    });

    it('illegal-action for an id out of range or an occupied cell', () => {
      const h = started();
      expectRejected(h, 's0', act(0, { id: 9 }), 'illegal-action');
      expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
      expectRejected(h, 's1', act(1, { id: 4 }), 'illegal-action');
      expectRejected(h, 's1', act(1, { struct: { cell: 4 } }), 'illegal-action');
    });

    it('internal when the env fails during validation, leaving the match as it was', () => {
      const broken: AnyEnv = {
        ...ticTacToe,
        isLegal: () => {
          throw new TypeError('boom');
        },
      };
      const h = makeHarness({ env: broken });
      seatAll(h, [0, 1]);
      expectRejected(h, 's0', act(0, { id: 4 }), 'internal');
      expect(h.runner.isOver).to.equal(false);
      expect(h.runner.log.some((e) => e.kind === 'internal')).to.equal(true);
    });

    it('covers every code of the catalog in this file or the timeout tests', () => {
      // 'timeout' is sent as an error message when a deadline passes (match-runner-timeouts.test.ts);
      // not-found, bad-request and conflict are the HTTP API's (test/arena/http); unknown-env is
      // the env queue's (test/arena/lobby/match-queue.test.ts, test/arena/rooms/agent-lobby-room.test.ts);
      // forbidden, unknown-league, agent-exists, too-many-* are the HTTP API's and the lobby's;
      // ambiguous-action comes from the envs' text parser (test/protocol/errors.test.ts maps it).
      const httpOnly = new Set([
        'not-found',
        'bad-request',
        'conflict',
        'unknown-env',
        'forbidden',
        'unknown-league',
        'agent-exists',
        'too-many-matches',
        'too-many-connections',
        'ambiguous-action',
      ]);
      expect(Object.keys(ARENA_ERROR_CODES).filter((code) => !httpOnly.has(code))).to.have.length(15);
    });
  });

  describe('states opt-out', () => {
    it('sends a seat that joined with states: false its decisions and match:end, and no state messages', () => {
      const h = makeHarness({ env: ticTacToe });
      expect(h.submit('s0', { type: 'join', matchId: MATCH_ID, seatToken: token(0), states: false }).ok).to.equal(true);
      expect(h.submit('s1', { type: 'join', matchId: MATCH_ID, seatToken: token(1) }).ok).to.equal(true);
      h.runner.start();
      playThrough(h, (d) => ({ id: d.legalActions[0]!.id }));
      const types = (sessionId: string): string[] => [...new Set(h.inbox(sessionId).map((m) => m.type))].sort();
      expect(types('s0')).to.deep.equal(['decision', 'match:end', 'match:start']);
      expect(types('s1')).to.deep.equal(['decision', 'match:end', 'match:start', 'state']);
      expect(h.runner.isOver).to.equal(true);
    });
  });

  describe('order of the checks', () => {
    it('reports rate before envelope', () => {
      const h = started({ rateLimit: { capacity: 1, refillPerSecond: 1, maxViolations: 100 } });
      h.submit('x', { type: 'ping' });
      expectRejected(h, 'x', 'not json', 'rate-limited');
    });

    it('reports size before JSON syntax', () => {
      expectRejected(started(), 's0', `{${'x'.repeat(MAX_MESSAGE_BYTES)}`, 'payload-too-large');
    });

    it('reports identity before staleness: a stale message from the wrong seat or a spectator', () => {
      const h = started();
      expectRejected(h, 's1', act(5, { id: 4 }, 0), 'not-your-seat');
      expectRejected(h, 'x', act(5, { id: 4 }), 'not-your-seat');
      expectRejected(h, 'spec', act(5, { id: 4 }), 'spectator-cannot-act');
      expectRejected(h, 's0', { ...(act(5, { id: 4 }) as object), matchId: 'other' }, 'unknown-match');
    });

    it('reports game over before staleness and turn', () => {
      const h = started();
      h.runner.abort();
      expectRejected(h, 's1', act(5, { id: 99 }), 'game-over');
    });

    it('reports staleness before turn, turn before the action, the action before legality', () => {
      const h = started();
      expectRejected(h, 's1', act(3, { text: 'nonsense' }), 'stale');
      expectRejected(h, 's1', act(0, { text: 'nonsense' }), 'not-your-turn');
      expectRejected(h, 's1', act(0, { id: 99 }), 'not-your-turn');
      expectRejected(h, 's0', act(0, { struct: { cell: -1 } }), 'bad-action');
    });
  });

  describe('submitParsed (a message the transport already parsed)', () => {
    it('answers as submit does: the same acks, errors and state for the same messages', () => {
      const viaSubmit = started();
      const viaParsed = started();
      const messages = [act(0, { id: 4 }), act(0, { id: 4 }), act(1, { id: 99 }, 0), act(1, { id: 3 }), { type: 'ping', t: 5 }];
      for (const message of messages) {
        const envelope = parseEnvelope(message);
        if (!envelope.ok) throw new Error('test message must parse');
        const sessionId = (message as { stepIndex?: number }).stepIndex === 1 ? 's1' : 's0';
        expect(viaParsed.runner.submitParsed(sessionId, envelope.value)).to.deep.equal(viaSubmit.submit(sessionId, message));
      }
      expect(fingerprint(viaParsed)).to.equal(fingerprint(viaSubmit));
      expect(viaParsed.inbox('s1')).to.deep.equal(viaSubmit.inbox('s1'));
    });

    it('still takes the rate budget first', () => {
      const h = started({ rateLimit: { capacity: 1, refillPerSecond: 1, maxViolations: 100 } });
      h.submit('x', { type: 'ping' });
      const ack = h.runner.submitParsed('x', { type: 'ping' });
      expect(ack.ok ? 'accepted' : ack.error.code).to.equal('rate-limited');
    });
  });

  describe('accepted messages', () => {
    it('echoes the action a text reply became, committed or held', () => {
      const h = started();
      expect(h.submit('s0', act(0, { text: 'Centre it is: [4]' }))).to.deep.equal({
        ok: true,
        result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action: { id: 4, text: '[4]' } },
      });
      const rps = getEnv('rock-paper-scissors-v1');
      const r = makeHarness({ env: rps });
      seatAll(r, [0, 1]);
      const ack = r.submit('s0', act(0, { text: 'paper' }));
      expect(ack.ok && ack.result.type).to.equal('held');
      const played = ack.ok && (ack.result.type === 'held' || ack.result.type === 'committed') ? ack.result.action : undefined;
      expect(played?.text.toLowerCase()).to.include('paper');
      expect(rps.actionText(r.runner.state, 0, played!.id!)).to.equal(played!.text);
    });

    it('answers a text reply naming several legal actions with ambiguous-action, changing nothing', () => {
      const h = started();
      expectRejected(h, 's0', act(0, { text: 'Either [3] or [5] wins.' }), 'ambiguous-action');
      // The last \\boxed{} decides, and the ack says what it became.
      expect(h.submit('s0', act(0, { text: 'Either [3] or [5]... \\boxed{5}' }))).to.deep.equal({
        ok: true,
        result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action: { id: 5, text: '[5]' } },
      });
    });

    it('commits an action in any of its three forms and answers with the step it played', () => {
      const h = started();
      expect(h.submit('s0', act(0, { id: 4 }))).to.deep.equal({
        ok: true,
        result: { type: 'committed', seat: 0, stepIndex: 0, nextStepIndex: 1, action: { id: 4, text: '[4]' } },
      });
      expect(h.submit('s1', act(1, { struct: { cell: 0 } })).ok).to.equal(true);
      expect(h.submit('s0', act(2, { text: 'I take the corner: [8]' })).ok).to.equal(true);
      expect(h.runner.record().history).to.deep.equal([
        { kind: 'decision', seat: 0, action: 4 },
        { kind: 'decision', seat: 1, action: 0 },
        { kind: 'decision', seat: 0, action: 8 },
      ]);
    });

    it('accepts a JSON string as well as a decoded object', () => {
      const h = started();
      expect(h.submit('s0', JSON.stringify(act(0, { id: 4 }))).ok).to.equal(true);
      expect(h.runner.stepIndex).to.equal(1);
    });

    it('answers ping with the server time and echoes t', () => {
      const h = started();
      expect(h.submit('x', { type: 'ping', t: 12 })).to.deep.equal({ ok: true, result: { type: 'pong', t: 12, serverTime: h.clock.now() } });
    });

    it('lets one session hold two seats and act for whichever is to move', () => {
      const h = makeHarness({ env: ticTacToe });
      h.submit('both', { type: 'join', matchId: MATCH_ID, seatToken: token(0) });
      expect(h.submit('both', { type: 'join', matchId: MATCH_ID, seatToken: token(1) })).to.deep.equal({ ok: true, result: { type: 'joined', seats: [0, 1] } });
      h.runner.start();
      expect(h.submit('both', act(0, { id: 4 })).ok).to.equal(true);
      expect(h.submit('both', act(1, { id: 0 })).ok).to.equal(true);
      expect(h.runner.record().history.map((e) => (e.kind === 'decision' ? e.seat : -1))).to.deep.equal([0, 1]);
    });

    it('refuses to let a seated session also spectate', () => {
      const h = started();
      const before = fingerprint(h);
      expect(h.submit('s0', { type: 'spectate', matchId: MATCH_ID }).ok).to.equal(false);
      expect(fingerprint(h)).to.equal(before);
    });

    it('moves a seat to the newest session holding its token and drops the old one', () => {
      const h = started();
      expect(h.submit('s0b', { type: 'join', matchId: MATCH_ID, seatToken: token(0) }).ok).to.equal(true);
      expect(h.events.filter((e) => e.kind === 'kick')).to.deep.equal([{ kind: 'kick', sessionId: 's0', reason: 'seat-taken' }]);
      expectRejected(h, 's0', act(0, { id: 4 }), 'not-your-seat');
      expect(h.submit('s0b', act(0, { id: 4 })).ok).to.equal(true);
    });
  });

  describe('starting', () => {
    it('with autoStart, starts itself when the last seat joins, whatever the transport', () => {
      const h = makeHarness({ env: ticTacToe, autoStart: true });
      seatAll(h, [0], false);
      expect(h.runner.isStarted).to.equal(false);
      seatAll(h, [1], false);
      expect(h.runner.isStarted).to.equal(true);
      expect(h.inbox('s0').map((m) => m.type)).to.include('match:start');
      expect(h.inbox('s1').map((m) => m.type)).to.include('match:start');
    });

    it('without autoStart, waits for start(); startIfSeated decides only when asked to', () => {
      const h = makeHarness({ env: ticTacToe });
      seatAll(h, [0, 1], false);
      expect(h.runner.isStarted).to.equal(false);
      expect(h.runner.startIfSeated()).to.equal(false);
      const agents = makeHarness({
        env: ticTacToe,
        autoStart: true,
        seats: [
          { kind: 'agent', agent: createAgent(parseAgentSpecs('random')[0]!, ticTacToe, {}) },
          { kind: 'agent', agent: createAgent(parseAgentSpecs('random')[0]!, ticTacToe, {}) },
        ],
      });
      expect(agents.runner.startIfSeated()).to.equal(true);
      expect(agents.runner.startIfSeated()).to.equal(false);
    });
  });

  describe('never throws', () => {
    it('contains a listener that throws and a broken env mid-step, aborting the match', () => {
      const h = started();
      h.runner.subscribe(() => {
        throw new Error('listener bug');
      });
      expect(h.submit('s0', act(0, { id: 4 })).ok).to.equal(true);
      expect(h.runner.log.some((e) => e.kind === 'internal' && e.message.includes('listener bug'))).to.equal(true);

      const failing: AnyEnv = {
        ...ticTacToe,
        view: () => {
          throw new Error('view bug');
        },
      };
      const f = makeHarness({ env: failing });
      seatAll(f, [0, 1], false);
      expect(() => f.runner.start()).not.to.throw();
      expect(f.runner.isOver).to.equal(true);
      expect(f.finished.map((r) => r.reason)).to.deep.equal(['aborted']);
    });
  });
});
