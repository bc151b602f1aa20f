import { expect } from 'chai';
import { Episode, isTruncatedState, tryParseActionText, type JsonValue } from '../../../envs/index.ts';
import { slimeVolleyball, type SlimeVolleyballState } from '../../../envs/games/slime-volleyball/index.ts';
import { slimeTraces, type SlimeTrace } from './slime-volleyball-traces.ts';

const env = slimeVolleyball;

interface ViewBody {
  x: number;
  y: number;
  vx: number;
  vy: number;
  lives?: number;
}
interface View {
  ball: ViewBody;
  agents: ViewBody[];
  t: number;
}

/** The view as the trace's 12 numbers. */
function flat(view: JsonValue | View): number[] {
  const v = view as unknown as View;
  const body = (b: ViewBody) => [b.x, b.y, b.vx, b.vy];
  return [...body(v.ball), ...body(v.agents[0]!), ...body(v.agents[1]!)];
}

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

/** Replays a trace through the Env interface; returns the largest state deviation seen. */
function replay(trace: SlimeTrace): { episode: Episode; worst: number; observationsChecked: number } {
  const episode = new Episode(env, trace.params, 12345);
  let worst = maxAbsDiff(flat(env.view(episode.state, 'spectator')), trace.initial.state);
  let observationsChecked = 0;
  const checkObs = (expected: readonly (readonly number[])[], at: string): void => {
    for (const seat of [0, 1]) {
      const tensor = env.observationTensor(episode.state, seat);
      // The tensor is float32: it must be exactly the reference's float64 value, rounded.
      expect(Array.from(tensor), `${trace.name} ${at} seat ${seat}`).to.deep.equal(expected[seat]!.map(Math.fround));
      observationsChecked++;
    }
  };
  checkObs(trace.initial.obs, 'initial');
  let rightReturn = 0;
  trace.steps.forEach((step, i) => {
    expect(episode.isTerminal, `${trace.name} ended early at step ${i}`).to.equal(false);
    episode.stepJoint([step.a[0], step.a[1]]);
    const view = env.view(episode.state, 'spectator') as unknown as View;
    const diff = maxAbsDiff(flat(view), step.s);
    worst = Math.max(worst, diff);
    expect(diff, `${trace.name} step ${i + 1}: view ${JSON.stringify(flat(view))} vs ${JSON.stringify(step.s)}`).to.be.at.most(1e-9);
    expect([view.agents[0]!.lives, view.agents[1]!.lives]).to.deep.equal(step.lives);
    expect(view.t).to.equal(i + 1);
    rightReturn += step.r;
    expect(episode.returns).to.deep.equal([0 - rightReturn, rightReturn]);
    if (step.o) checkObs(step.o, `step ${i + 1}`);
  });
  return { episode, worst, observationsChecked };
}

describe('envs/games/slime-volleyball', () => {
  describe('traces recorded from slimevolleygym', () => {
    for (const trace of slimeTraces()) {
      it(`reproduces ${trace.name} (${trace.steps.length} steps) to 1e-9 through the Env interface`, () => {
        const { episode, worst, observationsChecked } = replay(trace);
        expect(worst).to.be.at.most(1e-9);
        expect(observationsChecked).to.be.greaterThan(10);
        expect(episode.isTerminal).to.equal(true);
        expect(episode.returns[1]).to.equal(trace.final.rightReturn);
        const livesLeft = trace.steps.at(-1)!.lives.every((l) => l > 0);
        expect(episode.isTruncated).to.equal(livesLeft);
        expect(episode.toRecord().end).to.equal(livesLeft ? 'truncated' : 'terminal');
      });
    }

    it('covers a full 3,000-step truncated game and games decided on lives', () => {
      const traces = slimeTraces();
      expect(traces.some((t) => t.steps.length === 3000 && t.steps.at(-1)!.lives.every((l) => l > 0))).to.equal(true);
      expect(traces.filter((t) => t.steps.at(-1)!.lives.includes(0)).length).to.be.at.least(3);
    });

    it('keeps the one-step-stale observation on scoring steps, as the reference does', () => {
      const trace = slimeTraces().find((t) => t.name === 'random-vs-random-1')!;
      const scoring = trace.steps.findIndex((s) => s.r !== 0);
      let state = env.init(env.parseParams(trace.params), 0);
      for (let i = 0; i < scoring; i++) state = env.applyJoint(state, [...trace.steps[i]!.a]);
      const before = Array.from(env.observationTensor(state, 1));
      state = env.applyJoint(state, [...trace.steps[scoring]!.a]);
      expect(Array.from(env.observationTensor(state, 1))).to.deep.equal(before);
      // ...while the view already shows the new serve at the top of the court.
      const view = env.view(state, 'spectator') as unknown as View & { serveIn: number };
      expect([view.ball.x, view.ball.y, view.serveIn]).to.deep.equal([0, 12, 30]);
    });
  });

  describe('rules', () => {
    it('serves from launchVelocities in order, then from the seeded RNG within the documented ranges', () => {
      const s = env.init(env.parseParams({ launchVelocities: [3, 11] }), 1) as SlimeVolleyballState;
      expect([s.ball.vx, s.ball.vy]).to.deep.equal([3, 11]);
      const a = env.init(env.parseParams(), 5) as SlimeVolleyballState;
      const b = env.init(env.parseParams(), 5) as SlimeVolleyballState;
      expect(a).to.deep.equal(b);
      for (let seed = 0; seed < 200; seed++) {
        const { ball } = env.init(env.parseParams(), seed) as SlimeVolleyballState;
        expect(ball.vx).to.be.within(-20, 20);
        expect(ball.vy).to.be.within(10, 25);
      }
    });

    it('ends a game after maxSteps as truncated and declares real-time play with held input', () => {
      let state = env.init(env.parseParams({ maxSteps: 10 }), 0);
      for (let i = 0; i < 10; i++) state = env.applyJoint(state, [0, 0]);
      expect(env.turn(state).kind).to.equal('terminal');
      expect(isTruncatedState(env, state)).to.equal(true);
      expect(env.dims(env.parseParams()).realtime).to.deep.equal({ tickHz: 30, input: 'held', defaultActions: [0, 0] });
    });

    it('moves a slime toward the net on forward, away on backward, and jumps only from the ground', () => {
      const params = env.parseParams({ launchVelocities: [0, 10] });
      const at = (actions: [number, number], steps = 1) => {
        let s = env.init(params, 0) as SlimeVolleyballState;
        for (let i = 0; i < steps; i++) s = env.applyJoint(s, actions) as SlimeVolleyballState;
        return s.agents;
      };
      const [left, right] = at([1, 1]);
      expect(left.x).to.be.greaterThan(-12); // the left slime's forward is +x
      expect(right.x).to.be.lessThan(12);
      expect(at([2, 2])[1].x).to.be.greaterThan(12);
      expect(at([4, 0])[0].y).to.be.greaterThan(1.5);
      expect(at([3, 0])[0].x).to.equal(-12); // forward + backward cancel
    });

    it('names, parses, encodes and decodes the 8 actions', () => {
      const s = env.init(env.parseParams(), 0);
      for (let id = 0; id < 8; id++) {
        const text = env.actionText(s, 0, id);
        expect(tryParseActionText(env, s, 0, `I press ${text}`)).to.equal(id);
        expect(env.encodeAction(s, 0, env.decodeAction(s, 0, id))).to.equal(id);
      }
      expect(tryParseActionText(env, s, 0, 'I go [jump + forward]')).to.equal(5);
      expect(tryParseActionText(env, s, 0, 'backward+jump')).to.equal(6);
      expect(tryParseActionText(env, s, 0, '[noop]')).to.equal(0);
      expect(tryParseActionText(env, s, 0, '[dive]')).to.equal(undefined);
      expect(env.encodeAction(s, 1, { forward: false, jump: true, backward: true })).to.equal(6);
    });

    it("describes the game for a language model in the reader's own frame", () => {
      const s = env.init(env.parseParams({ launchVelocities: [5, 12] }), 0);
      const left = env.observationText(s, 0);
      expect(left).to.match(/You are the left slime \(seat 0\)/);
      expect(left).to.match(/You: x 12\.00, y 1\.50 \(on the ground\)/);
      expect(left).to.match(/Ball: x 0\.00, y 12\.00, velocity \(-5\.00, 12\.00\), on your opponent's side/);
      expect(left).to.match(/starts moving in 30 frames/);
      expect(env.observationText(s, 'spectator')).to.match(/Left slime: x -12\.00/);
    });

    it('rejects malformed params with the field named', () => {
      expect(() => env.parseParams({ launchVelocities: [1, 2, 3] })).to.throw(/launchVelocities: needs \(vx, vy\) pairs/);
      expect(() => env.parseParams({ lives: 0 })).to.throw(/lives/);
    });
  });
});
