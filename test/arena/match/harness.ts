/**
 * A MatchRunner under test: fake time, every event recorded per session, every outgoing
 * message checked against the wire schema, and helpers to play through sessions.
 */
import { expect } from 'chai';
import type { AnyEnv, Seat } from '../../../envs/index.ts';
import { MatchRunner, type MatchEvent } from '../../../arena/match/match-runner.ts';
import type { MatchSettingsInput } from '../../../arena/match/match-config.ts';
import type { FinishedMatch } from '../../../arena/match/match-log.ts';
import type { SeatSpec } from '../../../arena/match/seat-map.ts';
import {
  AckSchema,
  ServerMessageSchema,
  type Ack,
  type ActionPayload,
  type DecisionMessage,
  type DecisionOptions,
  type ServerMessage,
} from '../../../protocol/messages.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

export const MATCH_ID = 'match-1';
export const token = (seat: Seat): string => `token-${seat}`;

export interface Harness {
  readonly runner: MatchRunner;
  readonly clock: FakeClock;
  readonly events: MatchEvent[];
  readonly finished: FinishedMatch[];
  /** Messages received, per sessionId. */
  inbox(sessionId: string): ServerMessage[];
  submit(sessionId: string, raw: unknown): Ack;
}

export interface HarnessOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly seed?: number;
  readonly seats?: readonly SeatSpec[];
  readonly settings?: MatchSettingsInput;
  readonly autoStart?: boolean;
}

export function makeHarness(options: HarnessOptions): Harness {
  const clock = new FakeClock();
  const finished: FinishedMatch[] = [];
  const numPlayers = options.env.dims(options.env.parseParams(options.params ?? {})).numPlayers;
  const runner = new MatchRunner({
    matchId: MATCH_ID,
    env: options.env,
    params: options.params,
    seed: options.seed ?? 7,
    seats: options.seats ?? Array.from({ length: numPlayers }, (_, seat) => ({ kind: 'remote' as const, token: token(seat) })),
    settings: { rateLimit: { capacity: 1000, refillPerSecond: 1000 }, ...options.settings },
    clock,
    ...(options.autoStart === undefined ? {} : { autoStart: options.autoStart }),
    onFinished: (result) => {
      finished.push(result);
    },
  });
  const events: MatchEvent[] = [];
  runner.subscribe((event) => {
    if (event.kind === 'send') {
      const parsed = ServerMessageSchema.safeParse(event.message);
      expect(parsed.success, `bad server message ${JSON.stringify(event.message).slice(0, 300)}`).to.equal(true);
    }
    events.push(event);
  });
  const inbox = (sessionId: string): ServerMessage[] => events.flatMap((e) => (e.kind === 'send' && e.sessionId === sessionId ? [e.message] : []));
  const submit = (sessionId: string, raw: unknown): Ack => {
    const ack = runner.submit(sessionId, raw);
    expect(AckSchema.safeParse(ack).success, `bad ack ${JSON.stringify(ack)}`).to.equal(true);
    return ack;
  };
  return { runner, clock, events, finished, inbox, submit };
}

/** Joins session `s<seat>` to each listed seat (asking for the `decision` parts given), and starts the match. */
export function seatAll(h: Harness, seats: readonly Seat[], start = true, decision?: DecisionOptions): void {
  for (const seat of seats) {
    const ack = h.submit(`s${seat}`, { type: 'join', matchId: MATCH_ID, seatToken: token(seat), ...(decision === undefined ? {} : { decision }) });
    expect(ack.ok, JSON.stringify(ack)).to.equal(true);
  }
  if (start) h.runner.start();
}

export const act = (stepIndex: number, action: ActionPayload, seat?: Seat): unknown => ({
  type: 'act',
  matchId: MATCH_ID,
  stepIndex,
  action,
  ...(seat === undefined ? {} : { seat }),
});

/** The newest decision request a session got for the runner's current step, if any. */
export function currentDecision(h: Harness, sessionId: string): DecisionMessage | undefined {
  const decisions = h.inbox(sessionId).filter((m): m is DecisionMessage => m.type === 'decision');
  const last = decisions[decisions.length - 1];
  return last && last.stepIndex === h.runner.stepIndex ? last : undefined;
}

/** Everything a rejection must leave alone: state, step, history, pending answers. */
export function fingerprint(h: Harness): string {
  return JSON.stringify({
    state: h.runner.state,
    step: h.runner.stepIndex,
    history: h.runner.record().history,
    pending: h.runner.pendingSeats(),
    over: h.runner.isOver,
  });
}

/** Submits and expects a rejection with `code` that changed nothing and sent nothing. */
export function expectRejected(h: Harness, sessionId: string, raw: unknown, code: string): void {
  const before = fingerprint(h);
  const sent = h.events.length;
  const ack = h.submit(sessionId, raw);
  expect(ack.ok, `expected ${code}, got ${JSON.stringify(ack)}`).to.equal(false);
  if (!ack.ok) expect(ack.error.code, ack.error.message).to.equal(code);
  expect(fingerprint(h), `state changed by a '${code}' rejection`).to.equal(before);
  expect(
    h.events.slice(sent).filter((e) => e.kind !== 'kick'),
    'a rejection sent messages',
  ).to.deep.equal([]);
}

/**
 * Plays the match to its end through the seat sessions `s<seat>`: whenever a session holds a
 * decision request for the current step it has not answered, `choose` answers it.
 */
export function playThrough(h: Harness, choose: (decision: DecisionMessage) => ActionPayload, maxSteps = 1000): void {
  const answered = new Set<string>();
  for (let i = 0; i < maxSteps && !h.runner.isOver; i++) {
    const next = h.runner
      .pendingSeats()
      .map((seat) => ({ seat, decision: currentDecision(h, `s${seat}`) }))
      .find(({ seat, decision }) => decision !== undefined && !answered.has(`${seat}:${decision.stepIndex}`));
    if (!next?.decision) throw new Error(`no decision to answer at step ${h.runner.stepIndex}`);
    answered.add(`${next.seat}:${next.decision.stepIndex}`);
    const ack = h.submit(`s${next.seat}`, act(next.decision.stepIndex, choose(next.decision)));
    expect(ack.ok, `step ${next.decision.stepIndex}: ${JSON.stringify(ack)}`).to.equal(true);
  }
  expect(h.runner.isOver, 'match did not end').to.equal(true);
}
