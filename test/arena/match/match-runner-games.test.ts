import { expect } from 'chai';
import { Episode, getEnv, Rng } from '../../../envs/index.ts';
import { cardLongName, cardName } from '../../../envs/games/leduc-poker/text.ts';
import type { LeducState } from '../../../envs/games/leduc-poker/index.ts';
import { FULL_DECISIONS, type DecisionMessage, type ServerMessage, type StateMessage } from '../../../protocol/messages.ts';
import { act, currentDecision, makeHarness, MATCH_ID, playThrough, seatAll, token, type Harness } from './harness.ts';

describe('arena/match/match-runner: full matches', () => {
  it('plays tic-tac-toe between two sessions to a known win for seat 0', () => {
    const h = makeHarness({ env: getEnv('tic-tac-toe-v1') });
    seatAll(h, [0, 1]);
    // x takes the top row (0, 1, 2) while o plays 3 and 4.
    const moves = [
      [0, { id: 0 }],
      [1, { text: '[3]' }],
      [0, { struct: { cell: 1 } }],
      [1, { id: 4 }],
      [0, { id: 2 }],
    ] as const;
    moves.forEach(([seat, action], step) => {
      expect(currentDecision(h, `s${seat}`)?.stepIndex, `step ${step}`).to.equal(step);
      expect(h.submit(`s${seat}`, act(step, action)).ok, `step ${step}`).to.equal(true);
    });
    expect(h.runner.isOver).to.equal(true);
    expect(h.finished).to.have.length(1);
    expect(h.finished[0]!.returns).to.deep.equal([1, -1]);
    expect(h.finished[0]!.reason).to.equal('terminal');
    for (const session of ['s0', 's1']) {
      const end = h.inbox(session).filter((m) => m.type === 'match:end');
      expect(end).to.deep.equal([{ type: 'match:end', matchId: MATCH_ID, returns: [1, -1], reason: 'terminal' }]);
    }
  });

  it('sends each seat match:start, then a state per step, and decisions only to the seat to act', () => {
    const h = makeHarness({ env: getEnv('tic-tac-toe-v1') });
    seatAll(h, [0, 1], true, FULL_DECISIONS);
    const first = h.inbox('s0')[0]!;
    expect(first.type === 'match:start' && first.seats).to.deep.equal([0]);
    expect(JSON.stringify(first)).not.to.include('"seed"');
    expect(h.inbox('s1').filter((m) => m.type === 'decision')).to.deep.equal([]);
    const decision = currentDecision(h, 's0')!;
    expect(decision.legalActions.map((a) => a.id)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decision.legalActions[4]!.text).to.equal('[4]');
    expect(decision.observation?.shape).to.deep.equal([3, 3, 3]);
    expect(decision.observation?.tensor).to.have.length(27);
    expect(decision.observation?.text).to.include('Tic');
    expect(decision.deadline).to.equal(h.clock.now() + 30_000);
  });

  it('puts in a decision only the parts its session asked for at join', () => {
    const env = getEnv('tic-tac-toe-v1');
    const h = makeHarness({ env });
    const asks = { s0: undefined, s1: { tensor: true }, s2: { text: true, actionTexts: true } } as const;
    // Three sessions take turns holding seat 0, each joining with its own options.
    const seen: Record<string, DecisionMessage> = {};
    expect(h.submit('p1', { type: 'join', matchId: MATCH_ID, seatToken: token(1) }).ok).to.equal(true);
    for (const [session, decision] of Object.entries(asks)) {
      const ack = h.submit(session, { type: 'join', matchId: MATCH_ID, seatToken: token(0), ...(decision === undefined ? {} : { decision }) });
      expect(ack.ok, JSON.stringify(ack)).to.equal(true);
      if (!h.runner.isStarted) h.runner.start();
      seen[session] = currentDecision(h, session)!;
    }
    const state = h.runner.state;
    expect(seen['s0']).to.deep.equal({
      type: 'decision',
      matchId: MATCH_ID,
      seat: 0,
      stepIndex: 0,
      deadline: seen['s0']!.deadline,
      legalActions: [0, 1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id })),
    });
    expect(seen['s1']!.observation).to.deep.equal({ tensor: Array.from(env.observationTensor(state, 0)), shape: [3, 3, 3] });
    expect(seen['s1']!.legalActions[0]).to.deep.equal({ id: 0 });
    expect(seen['s2']!.observation).to.deep.equal({ text: env.observationText(state, 0) });
    expect(seen['s2']!.legalActions[4]).to.deep.equal({ id: 4, text: '[4]' });
  });

  it('refuses decision options that are not booleans of the three known parts', () => {
    const h = makeHarness({ env: getEnv('tic-tac-toe-v1') });
    for (const decision of [{ tensor: 'yes' }, { state: true }, [true], 'all']) {
      const ack = h.submit('s0', { type: 'join', matchId: MATCH_ID, seatToken: token(0), decision });
      expect(ack.ok, JSON.stringify(decision)).to.equal(false);
      if (!ack.ok) expect(ack.error.code).to.equal('bad-envelope');
    }
    expect(h.runner.seats.seatsOf('s0')).to.deep.equal([]);
  });

  it('plays connect-four between two sessions to a known vertical win, and its record replays', () => {
    const env = getEnv('connect-four-v1');
    const h = makeHarness({ env });
    seatAll(h, [0, 1]);
    playThrough(h, (d) => (d.seat === 0 ? { struct: { column: 0 } } : { text: '[1]' }));
    const result = h.finished[0]!;
    expect(result.returns).to.deep.equal([1, -1]);
    expect(result.record.history).to.have.length(7);
    expect(Episode.replay(env, JSON.parse(JSON.stringify(result.record))).returns).to.deep.equal([1, -1]);
  });

  it('plays random connect-four games whose records replay to the reported returns', () => {
    const env = getEnv('connect-four-v1');
    for (const seed of [1, 2, 3]) {
      const h = makeHarness({ env, seed });
      seatAll(h, [0, 1]);
      const rng = new Rng(seed);
      playThrough(h, (d) => ({ id: rng.pick(d.legalActions).id }));
      const result = h.finished[0]!;
      expect(
        [
          [1, -1],
          [-1, 1],
          [0, 0],
        ],
        `seed=${seed}`,
      ).to.deep.include(result.returns);
      expect(Episode.replay(env, result.record).returns, `seed=${seed}`).to.deep.equal(result.returns);
    }
  });

  it('collects both answers of rock-paper-scissors before stepping, without showing the first to the second', () => {
    const h = makeHarness({ env: getEnv('rock-paper-scissors-v1'), params: { rounds: 3 } });
    seatAll(h, [0, 1]);
    expect(h.submit('spec', { type: 'spectate', matchId: MATCH_ID }).ok).to.equal(true);
    for (let round = 0; round < 3; round++) {
      const s0 = currentDecision(h, 's0')!;
      expect(currentDecision(h, 's1')!.stepIndex).to.equal(s0.stepIndex);
      const seen = h.inbox('s1').length;
      expect(h.submit('s0', act(s0.stepIndex, { text: 'rock' }))).to.deep.equal({
        ok: true,
        result: { type: 'held', seat: 0, stepIndex: s0.stepIndex, action: { id: 0, text: '[rock]' } },
      });
      expect(h.runner.stepIndex, 'a held answer does not step').to.equal(s0.stepIndex);
      expect(h.submit('s0', act(s0.stepIndex, { id: 1 })).ok, 'one answer per step').to.equal(false);
      const told = h.inbox('s1').slice(seen) as StateMessage[];
      const before = h
        .inbox('s1')
        .slice(0, seen)
        .filter((m): m is StateMessage => m.type === 'state')
        .pop()!;
      expect(told.map((m) => [m.type, m.turn.seats])).to.deep.equal([['state', [1]]]);
      expect([told[0]!.view, told[0]!.text], 'seat 1 learns only that seat 0 answered').to.deep.equal([before.view, before.text]);
      expect(h.submit('s1', act(s0.stepIndex, { struct: { move: 'paper' } })).ok).to.equal(true);
    }
    expect(h.finished[0]!.returns).to.deep.equal([-3, 3]);
    expect(h.finished[0]!.record.history).to.deep.equal(Array.from({ length: 3 }, () => ({ kind: 'joint', actions: [0, 1] })));
  });

  describe('leduc poker: hidden cards', () => {
    const env = getEnv('leduc-poker-v1');

    /** Everything sent to a session, as JSON, up to (not including) the first terminal state. */
    function beforeShowdown(h: Harness, sessionId: string): ServerMessage[] {
      const all = h.inbox(sessionId);
      const end = all.findIndex((m) => m.type === 'state' && (m as StateMessage).turn.kind === 'terminal');
      return end < 0 ? all : all.slice(0, end);
    }

    function leaks(messages: readonly ServerMessage[], card: number): string[] {
      const found: string[] = [];
      for (const message of messages) {
        const json = JSON.stringify(message);
        if (json.includes(cardName(card))) found.push(`${message.type} names ${cardName(card)}`);
        if (json.includes(cardLongName(card))) found.push(`${message.type} names ${cardLongName(card)}`);
        if (json.includes(`[Private: ${card}]`)) found.push(`${message.type} has the private id`);
        if (message.type === 'decision' && message.observation?.tensor?.[2 + card] !== 0) found.push('decision tensor has the card bit');
      }
      return found;
    }

    function play(seed: number, choose: (seat: number, legal: readonly number[]) => number): Harness {
      const h = makeHarness({ env, seed });
      seatAll(h, [0, 1], false, FULL_DECISIONS);
      expect(h.submit('spec', { type: 'spectate', matchId: MATCH_ID }).ok).to.equal(true);
      h.runner.start();
      playThrough(h, (d) => ({
        id: choose(
          d.seat,
          d.legalActions.map((a) => a.id),
        ),
      }));
      return h;
    }

    it('never shows a private card to the opponent or a spectator before the showdown', () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const h = play(seed, () => 1); // check/call all the way: a showdown
        const cards = (h.runner.state as LeducState).cards;
        const [card0, card1] = [cards[0]!, cards[1]!];
        expect(leaks(beforeShowdown(h, 's1'), card0), `seed=${seed}`).to.deep.equal([]);
        expect(leaks(beforeShowdown(h, 's0'), card1), `seed=${seed}`).to.deep.equal([]);
        expect(leaks(beforeShowdown(h, 'spec'), card0), `seed=${seed}`).to.deep.equal([]);
        expect(leaks(beforeShowdown(h, 'spec'), card1), `seed=${seed}`).to.deep.equal([]);
        // The scan can fail: each seat does receive its own card, and everyone sees the showdown.
        expect(leaks(beforeShowdown(h, 's0'), card0), `seed=${seed}`).not.to.deep.equal([]);
        expect(leaks(h.inbox('spec'), card0), `seed=${seed}`).not.to.deep.equal([]);
      }
    });

    it('never shows a folded hand, not even after the match ends', () => {
      for (const seed of [1, 2, 3]) {
        const h = play(seed, (seat, legal) => (seat === 0 ? 2 : legal[0]!)); // seat 0 raises, seat 1 folds
        const result = h.finished[0]!;
        expect(result.returns, `seed=${seed}`).to.deep.equal([1, -1]);
        const card0 = (h.runner.state as LeducState).cards[0]!;
        expect(leaks(h.inbox('s1'), card0), `seed=${seed}`).to.deep.equal([]);
        expect(leaks(h.inbox('spec'), card0), `seed=${seed}`).to.deep.equal([]);
      }
    });

    it('resolves the deals itself: clients only ever see decision steps', () => {
      const h = play(9, () => 1);
      const history = h.finished[0]!.record.history;
      expect(history.filter((e) => e.kind === 'chance')).to.have.length(3);
      const steps = h
        .inbox('s0')
        .filter((m) => m.type === 'decision')
        .map((m) => m.type === 'decision' && m.stepIndex);
      expect(steps.every((step) => history[step as number]?.kind === 'decision')).to.equal(true);
    });
  });
});
