import { expect } from 'chai';
import { publicReplay } from '../../../arena/match/public-replay.ts';
import { Episode, getEnv, Rng, type AnyEnv } from '../../../envs/index.ts';
import { MAX_TEXT_REPLY_CHARS, type DecisionMessage, type StateMessage } from '../../../protocol/messages.ts';
import { act, currentDecision, expectRejected, fingerprint, makeHarness, seatAll, type Harness } from './harness.ts';

const negotiation = getEnv('simple-negotiation-v1');
const spy = getEnv('who-is-the-spy-v1');
const ticTacToe = getEnv('tic-tac-toe-v1');

function started(env: AnyEnv, params: unknown = {}, settings = {}, seed = 7): Harness {
  const h = makeHarness({ env, params, seed, settings: { moveTimeMs: 1000, ...settings } });
  const numPlayers = env.dims(env.parseParams(params)).numPlayers;
  seatAll(
    h,
    Array.from({ length: numPlayers }, (_, seat) => seat),
  );
  return h;
}

const acting = (h: Harness): number => h.runner.pendingSeats()[0]!;
const decisionOf = (h: Harness): DecisionMessage => currentDecision(h, `s${acting(h)}`)!;

describe('arena/match/match-runner: text moves of envs that judge text', () => {
  it('a text-only env asks for text (no legal ids, the reply bound, the role prompt) and commits the env verdict', () => {
    const h = started(negotiation);
    const decision = decisionOf(h);
    expect(decision.legalActions).to.deep.equal([]);
    expect(decision.textActions).to.deep.equal({ maxChars: MAX_TEXT_REPLY_CHARS });
    expect(decision.rolePrompt).to.equal(negotiation.rolePrompt!(h.runner.state, 0));
    expect(decision.observation.text).to.equal(negotiation.observationText(h.runner.state, 0));

    const ack = h.submit('s0', act(0, { text: 'Wood is cheap for me. [Offer: 4 Wood -> 2 Gold]' }));
    expect(ack).to.deep.equal({
      ok: true,
      result: {
        type: 'committed',
        seat: 0,
        stepIndex: 0,
        nextStepIndex: 1,
        action: { text: 'offer: 4 Wood -> 2 Gold', verdict: { kind: 'move', summary: 'offer: 4 Wood -> 2 Gold' } },
      },
    });
    expect(h.runner.record().history).to.deep.equal([{ kind: 'text', seat: 0, text: 'Wood is cheap for me. [Offer: 4 Wood -> 2 Gold]' }]);
    // Every viewer's move list says a reply was made, never what it said (values are private here).
    const state = h
      .inbox('s1')
      .filter((m): m is StateMessage => m.type === 'state')
      .pop()!;
    expect(state.lastMove).to.deep.equal({ step: 1, seats: [0], text: 'text reply' });
    expect(
      h
        .inbox('s1')
        .filter((m) => m.type === 'decision')
        .pop(),
    ).to.include({ stepIndex: 1, seat: 1 });
  });

  it('refuses ids and structs in a text-only env, and stale, out-of-turn or over-long text, changing nothing', () => {
    const h = started(negotiation);
    expectRejected(h, 's0', act(0, { id: 0 }), 'bad-action');
    expectRejected(h, 's0', act(0, { struct: { offer: 1 } }), 'bad-action');
    expectRejected(h, 's0', act(1, { text: '[Accept]' }), 'stale');
    expectRejected(h, 's1', act(0, { text: 'my turn?' }), 'not-your-turn');
    expectRejected(h, 's0', act(0, { text: 'x'.repeat(MAX_TEXT_REPLY_CHARS + 1) }), 'payload-too-large');
    // An env with a tighter bound than the wire's: its own limit is enforced before the env sees the text.
    const terse: AnyEnv = { ...negotiation, dims: (p: unknown) => ({ ...negotiation.dims(p), textActions: { maxChars: 20 } }) };
    const t = started(terse);
    expect(decisionOf(t).textActions).to.deep.equal({ maxChars: 20 });
    expectRejected(t, 's0', act(0, { text: 'a reply over twenty characters' }), 'payload-too-large');
    expect(t.submit('s0', act(0, { text: 'short talk' })).ok).to.equal(true);
  });

  it("an invalid text move is the env's rule applied, committed with its verdict: a spy clue that is empty counts, then the game goes on", () => {
    const h = started(spy);
    const seat = acting(h);
    const step = h.runner.stepIndex;
    const ack = h.submit(`s${seat}`, act(step, { text: '\\boxed{}' }));
    expect(ack.ok && ack.result).to.deep.equal({
      type: 'committed',
      seat,
      stepIndex: step,
      nextStepIndex: step + 1,
      action: { text: 'invalid: the clue is empty', verdict: { kind: 'invalid', code: 'spy-clue-empty', reason: 'the clue is empty', final: false } },
    });
    expect(h.runner.isOver).to.equal(false);
    expect(h.runner.record().history[step]).to.deep.equal({ kind: 'text', seat, text: '\\boxed{}' });
    expect(h.runner.lastMove).to.deep.equal({ step: step + 1, seats: [seat], text: 'invalid text reply' });
  });

  it("tic-tac-toe under TextArena's rules: a text reply is judged by TextArena's parser, an invalid one loses at allowance 0", () => {
    const params = { textFormat: 'textarena' };
    const h = started(ticTacToe, params);
    const first = decisionOf(h);
    expect(first.legalActions.map((a) => a.id)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(first.textActions?.maxChars).to.equal(MAX_TEXT_REPLY_CHARS);
    const ack = h.submit('s0', act(0, { text: 'The centre: [4]' }));
    expect(ack.ok && ack.result).to.deep.include({ type: 'committed', action: { id: 4, text: '[4]', verdict: { kind: 'move', action: 4, summary: '[4]' } } });
    expect(h.runner.lastMove?.text).to.equal('[4]');
    expect(h.submit('s1', act(1, { id: 0 })).ok, 'ids still play').to.equal(true);
    // Ludus's own parser would read \boxed{8}; TextArena's wants [n], so this is an invalid move, and the game is lost.
    const lost = h.submit('s0', act(2, { text: 'I take \\boxed{8}' }));
    expect(lost.ok && lost.result.type === 'committed' && lost.result.action.verdict).to.deep.include({ kind: 'invalid', final: true });
    expect(h.runner.isOver).to.equal(true);
    expect(h.finished[0]!.returns).to.deep.equal([-1, 0]);
    expect(h.runner.lastMove?.text).to.match(/^invalid: /);
    const replayed = Episode.replay(ticTacToe, h.finished[0]!.record);
    expect(replayed.returns).to.deep.equal([-1, 0]);
    expect(publicReplay(ticTacToe, h.finished[0]!.record), 'perfect information: the full record').to.deep.equal(h.finished[0]!.record);
  });

  it('plays a text match to its end: the record keeps every text and replays exactly; the public replay blanks the texts', () => {
    const h = started(negotiation);
    const replies = ['[Offer: 4 Wood -> 2 Gold]', 'Deal. [Accept]', ...Array.from({ length: 8 }, (_, i) => `talk ${i}`)];
    for (const [i, text] of replies.entries()) expect(h.submit(`s${i % 2}`, act(i, { text })).ok).to.equal(true);
    expect(h.runner.isOver).to.equal(true);
    const result = h.finished[0]!;
    expect(result.record.history.map((e) => e.kind === 'text' && e.text)).to.deep.equal(replies);
    const replayed = Episode.replay(negotiation, result.record);
    expect(replayed.returns).to.deep.equal(result.returns);
    expect(JSON.stringify(replayed.state)).to.equal(JSON.stringify(h.runner.state));
    const pub = publicReplay(negotiation, result.record);
    expect('redacted' in pub && pub.redacted).to.equal(true);
    if (!('views' in pub)) throw new Error('expected a public replay');
    expect(pub.history.every((e) => e.kind === 'text' && e.text === null)).to.equal(true);
    expect(pub.views).to.have.length(replies.length + 1);
    expect(pub.returns).to.deep.equal(result.returns);
    expect(JSON.stringify(pub)).to.not.include('Value: 15');
  });

  describe('timeouts in text-only envs', () => {
    it("'random' plays the env's own random valid reply, seeded: the same seed gives the same reply, recorded as text", () => {
      const run = (seed: number) => {
        const h = started(negotiation, {}, { timeoutPolicy: 'random' }, seed);
        h.clock.advance(1000);
        return h;
      };
      const [a, b] = [run(3), run(3)];
      const entry = a.runner.log.find((e) => e.kind === 'timeout');
      expect(entry).to.deep.include({ seat: 0, cause: 'deadline', policy: 'random', action: null });
      const text = entry?.kind === 'timeout' ? entry.text : undefined;
      expect(text).to.be.a('string').and.not.equal('');
      expect(a.runner.record().history).to.deep.equal([{ kind: 'text', seat: 0, text }]);
      expect(b.runner.record()).to.deep.equal(a.runner.record());
      expect(
        a
          .inbox('s0')
          .filter((m) => m.type === 'error')
          .map((m) => m.type === 'error' && m.code),
      ).to.deep.equal(['timeout']);
      expectRejected(a, 's0', act(0, { text: 'too late' }), 'stale');
    });

    it("'default' plays the empty reply and the env judges it: talk in a negotiation, an invalid clue in who-is-the-spy", () => {
      const h = started(negotiation, {}, { timeoutPolicy: 'default' });
      h.clock.advance(1000);
      expect(h.runner.record().history).to.deep.equal([{ kind: 'text', seat: 0, text: '' }]);
      expect(h.runner.isOver).to.equal(false);
      const s = started(spy, {}, { timeoutPolicy: 'default' });
      const seat = acting(s);
      const step = s.runner.stepIndex;
      s.clock.advance(1000);
      expect(s.runner.record().history[step]).to.deep.equal({ kind: 'text', seat, text: '' });
      expect(s.runner.lastMove).to.deep.equal({ step: step + 1, seats: [seat], text: 'invalid text reply' });
    });

    it("'forfeit' still forfeits", () => {
      const h = started(negotiation, {}, { timeoutPolicy: 'forfeit' });
      h.clock.advance(1000);
      expect(h.finished[0]).to.deep.include({ reason: 'forfeit', forfeitedBy: 0 });
    });
  });

  it('fuzz: random text, ids and structs from any seat never throw; rejections change nothing, commits add one entry that replays', () => {
    const rng = new Rng(15);
    const envs: [AnyEnv, unknown][] = [
      [negotiation, { errorAllowance: 2 }],
      [spy, { players: 4 }],
      [ticTacToe, { textFormat: 'textarena', errorAllowance: 1 }],
      [getEnv('propose-solve-v1'), {}],
    ];
    let committed = 0;
    let invalid = 0;
    for (let m = 0; m < 32; m++) {
      const [env, params] = envs[m % envs.length]!;
      const h = started(env, params, { moveTimeMs: 1e8 }, m);
      for (let i = 0; i < 60 && !h.runner.isOver; i++) {
        const seat = rng.int(10) < 8 ? acting(h) : rng.int(env.dims(env.parseParams(params)).numPlayers);
        const sample = env.sampleText?.(h.runner.state, seat, rng, rng.int(3) > 0);
        const action = rng.pick<unknown>([
          { text: sample ?? '' },
          { text: sample ?? '' },
          { text: rng.pick(['', '[', '\\boxed{', 'x'.repeat(rng.int(6000)), '[Accept] [Deny]', '\u0000']) },
          { id: rng.int(12) - 1 },
          { struct: { offer: rng.int(3) } },
          'text',
        ]);
        const step = rng.int(10) < 8 ? h.runner.stepIndex : h.runner.stepIndex + rng.pick([-1, 1]);
        const before = fingerprint(h);
        const length = h.runner.record().history.length;
        const ack = h.submit(`s${seat}`, act(step, action as never));
        if (!ack.ok) {
          expect(fingerprint(h), JSON.stringify(ack)).to.equal(before);
          continue;
        }
        expect(ack.result.type).to.equal('committed');
        committed++;
        if (ack.result.type === 'committed' && ack.result.action.verdict?.kind === 'invalid') invalid++;
        expect(h.runner.record().history).to.have.length(length + 1);
        const replayed = Episode.replay(env, h.runner.record());
        expect(JSON.stringify(replayed.state)).to.equal(JSON.stringify(h.runner.state));
      }
    }
    expect(committed).to.be.greaterThan(200);
    expect(invalid).to.be.greaterThan(20);
  });
});
