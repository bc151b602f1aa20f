import { expect } from 'chai';
import { Episode, getEnv, Rng } from '../../../envs/index.ts';
import { MAX_MESSAGE_BYTES, type Ack } from '../../../protocol/messages.ts';
import { fingerprint, makeHarness, MATCH_ID, seatAll, token, type Harness } from './harness.ts';

const ENV_KEYS = ['tic-tac-toe-v1', 'rock-paper-scissors-v1', 'leduc-poker-v1', 'connect-four-v1'];
const SESSIONS = ['s0', 's1', 'spec', 'x', 's0b'];
const WORDS = ['act', 'join', 'spectate', 'ping', 'id', 'struct', 'text', 'type', '__proto__', 'constructor', 'seat', 'matchId', 'stepIndex', 'action'];

function randomString(rng: Rng): string {
  const length = rng.pick([0, 1, 3, 10, 200, 5000, 20_000]);
  const alphabet = 'ab[]{}"\\ 0189\u00e9\u{1F600}\n';
  const chars = Array.from(alphabet);
  return Array.from({ length: Math.min(length, 64) }, () => rng.pick(chars))
    .join('')
    .repeat(Math.ceil(length / 64) || 1)
    .slice(0, length);
}

function randomValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(depth > 2 ? 4 : 7);
  if (kind === 0) return rng.pick([null, true, false, undefined]);
  if (kind === 1) return rng.pick([0, -1, 1, 2, 4, 1.5, 1e21, -0, NaN, Infinity, 2 ** 53, rng.int(20)]);
  if (kind === 2) return rng.pick(WORDS);
  if (kind === 3) return randomString(rng);
  if (kind === 4) return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.int(5); i > 0; i--) out[rng.pick(WORDS)] = randomValue(rng, depth + 1);
  return out;
}

function randomAction(rng: Rng, h: Harness): unknown {
  const legal = h.runner.env.legalActions(h.runner.state, rng.int(2));
  const id = legal.length > 0 && rng.int(2) === 0 ? rng.pick(legal) : rng.int(12) - 2;
  switch (rng.int(6)) {
    case 0:
      return { id };
    case 1:
      return { id: rng.pick([1.5, '3', null, -1, 2 ** 40]) };
    case 2:
      return { text: rng.int(2) === 0 ? h.runner.env.actionText(h.runner.state, 0, id) : randomString(rng) };
    case 3:
      return { struct: rng.int(2) === 0 ? h.runner.env.decodeAction(h.runner.state, 0, Math.max(0, id)) : randomValue(rng) };
    case 4:
      return { id, text: 'both' };
    default:
      return randomValue(rng);
  }
}

function randomMessage(rng: Rng, h: Harness): unknown {
  const step = h.runner.stepIndex;
  switch (rng.int(8)) {
    case 0:
      return randomValue(rng);
    case 1:
      return { type: 'join', matchId: rng.pick([MATCH_ID, 'm']), seatToken: rng.pick([token(0), token(1), 'nope', 5]) };
    case 2:
      return { type: rng.pick(['spectate', 'ping', 'dance']), matchId: MATCH_ID, t: randomValue(rng) };
    case 3:
      return (JSON.stringify(randomValue(rng)) ?? 'undefined').slice(0, rng.int(40));
    case 4:
      return 'x'.repeat(MAX_MESSAGE_BYTES + rng.int(3) - 1);
    default: {
      const msg: Record<string, unknown> = {
        type: 'act',
        matchId: rng.int(10) === 0 ? 'other' : MATCH_ID,
        stepIndex: rng.pick([step, step, step, step + 1, step - 1, -1, 0.5, '1']),
        action: randomAction(rng, h),
      };
      if (rng.int(3) === 0) msg.seat = rng.pick([0, 1, 2, -1, '0']);
      return rng.int(4) === 0 ? JSON.stringify(msg) : msg;
    }
  }
}

/** A legal move of a seat that owes one, from its holder most of the time (else `fallback`). */
function nearlyValid(rng: Rng, h: Harness, fallback: string): { sessionId: string; message: unknown } {
  const seat = rng.pick([...h.runner.pendingSeats(), 0]);
  const legal = h.runner.env.legalActions(h.runner.state, seat);
  const action = legal.length > 0 ? { id: rng.pick(legal) } : { id: 0 };
  const holder = h.runner.seats.sessionOf(seat);
  const sessionId = holder !== null && rng.int(10) < 7 ? holder : fallback;
  return { sessionId, message: { type: 'act', matchId: MATCH_ID, stepIndex: h.runner.stepIndex, action } };
}

function newMatch(rng: Rng, index: number): Harness {
  const h = makeHarness({ env: getEnv(ENV_KEYS[index % ENV_KEYS.length]!), seed: index, settings: { moveTimeMs: 1e8 } });
  seatAll(h, [0, 1]);
  h.submit('spec', { type: 'spectate', matchId: MATCH_ID });
  if (rng.int(2) === 0) h.submit('s0b', { type: 'join', matchId: MATCH_ID, seatToken: token(1) });
  return h;
}

describe('arena/match/match-runner: fuzz', () => {
  it('answers thousands of random payloads with an error or a valid commit, never a throw', () => {
    const rng = new Rng(2024);
    const counts = { rejected: 0, committed: 0, held: 0, other: 0, matches: 1 };
    let h = newMatch(rng, 0);
    for (let i = 0; i < 4000; i++) {
      if (h.runner.isOver) h = newMatch(rng, counts.matches++);
      const before = fingerprint(h);
      const historyBefore = h.runner.record().history.length;
      const { sessionId, message } =
        rng.int(4) === 0 ? nearlyValid(rng, h, rng.pick(SESSIONS)) : { sessionId: rng.pick(SESSIONS), message: randomMessage(rng, h) };
      let ack: Ack | undefined;
      expect(() => {
        ack = h.submit(sessionId, message);
      }, `i=${i}`).not.to.throw();
      if (!ack!.ok) {
        counts.rejected++;
        expect(fingerprint(h), `i=${i}: a rejection changed the match`).to.equal(before);
      } else if (ack!.result.type === 'committed') {
        counts.committed++;
        const entry = h.runner.record().history[ack!.result.stepIndex];
        expect(entry?.kind === 'joint' || (entry?.kind === 'decision' && entry.seat === ack!.result.seat), `i=${i}`).to.equal(true);
        expect(h.runner.record().history.length, `i=${i}`).to.be.greaterThan(historyBefore);
      } else {
        counts[ack!.result.type === 'held' ? 'held' : 'other']++;
        expect(h.runner.record().history.length, `i=${i}`).to.equal(historyBefore);
        expect(JSON.stringify(h.runner.state), `i=${i}`).to.equal(JSON.stringify(JSON.parse(before).state));
      }
      const replayed = Episode.replay(h.runner.env, h.runner.record());
      expect(JSON.stringify(replayed.state), `i=${i}: state moved outside the record`).to.equal(JSON.stringify(h.runner.state));
    }
    expect(counts.committed, JSON.stringify(counts)).to.be.greaterThan(200);
    expect(counts.held, JSON.stringify(counts)).to.be.greaterThan(10);
    expect(counts.matches, JSON.stringify(counts)).to.be.greaterThan(10);
  });

  it('rejects values JSON cannot encode and objects that throw when read', () => {
    const h = newMatch(new Rng(1), 0);
    const cyclic: Record<string, unknown> = { type: 'act' };
    cyclic.self = cyclic;
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    const getTrap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
      },
    );
    for (const raw of [cyclic, { type: 'ping', t: 10n }, trap, getTrap, Symbol('x'), () => 1]) {
      const before = fingerprint(h);
      const ack = h.runner.submit('s0', raw);
      expect(!ack.ok && ack.error.code).to.equal('bad-envelope');
      expect(fingerprint(h)).to.equal(before);
    }
  });
});
