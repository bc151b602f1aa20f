import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Episode, isTruncatedState } from '../../../envs/index.ts';
import { tryParseActionText } from '../../../envs/core/text.ts';
import { overcooked, shapedReturns, type OvercookedState } from '../../../envs/games/overcooked/index.ts';
import { GRIDS, LAYOUT_FILES, LAYOUT_NAMES } from '../../../envs/games/overcooked/kitchen.ts';
import { overcookedTraces, type OvercookedTrace, type SparseEncoding, type TraceItem, type TraceState } from './overcooked-traces.ts';

const env = overcooked;

interface ViewItem {
  name: string;
  pos: [number, number];
  ingredients?: string[];
  tick?: number;
}
interface View {
  timestep: number;
  players: { pos: [number, number]; orientation: string; held: ViewItem | null }[];
  objects: ViewItem[];
  lastRewards: { sparse: [number, number]; shaped: [number, number] };
}

const item = (i: ViewItem | TraceItem): Record<string, unknown> => {
  const tick = 'cookingTick' in i ? i.cookingTick : (i as ViewItem).tick;
  return i.name === 'soup' ? { name: i.name, pos: i.pos, ingredients: [...i.ingredients!].sort(), tick } : { name: i.name, pos: i.pos };
};
const byPos = (a: { pos: [number, number] }, b: { pos: [number, number] }): number => a.pos[0] - b.pos[0] || a.pos[1] - b.pos[1];

/** The view in the trace's form (held items take their holder's position, as in the reference). */
function asTrace(v: View): unknown {
  return {
    timestep: v.timestep,
    players: v.players.map((p) => ({ pos: p.pos, orientation: p.orientation, held: p.held ? item({ ...p.held, pos: p.pos }) : null })),
    objects: v.objects.map(item).sort(byPos as never),
  };
}
const traceState = (t: TraceState): unknown => ({
  timestep: t.timestep,
  players: t.players.map((p) => ({ ...p, held: p.held ? item(p.held) : null })),
  objects: t.objects.map(item).sort(byPos as never),
});

function sparse(tensor: Float32Array, [, height, channels]: readonly number[]): SparseEncoding {
  const out: SparseEncoding = [];
  tensor.forEach((v, i) => {
    if (v !== 0) out.push([Math.floor(i / (height! * channels!)), Math.floor(i / channels!) % height!, i % channels!, v]);
  });
  return out;
}

function replay(trace: OvercookedTrace): { checked: number; soups: number } {
  const params = { layout: trace.layout, oldDynamics: trace.oldDynamics };
  const lossless = new Episode(env, params, 1);
  const featured = overcooked.parseParams({ ...params, observation: 'featurized' });
  const shape = env.dims(env.parseParams(params)).observationShape;
  expect(shape).to.deep.equal(trace.shape);
  let checked = 0;
  const checkEncodings = (s: OvercookedState, enc: [SparseEncoding, SparseEncoding], feats: [number[], number[]], at: string): void => {
    for (const seat of [0, 1]) {
      expect(sparse(env.observationTensor(s, seat), shape), `${trace.name} ${at} lossless seat ${seat}`).to.deep.equal(enc[seat]);
      expect(Array.from(env.observationTensor({ ...s, params: featured }, seat)), `${trace.name} ${at} features seat ${seat}`).to.deep.equal(feats[seat]);
      checked++;
    }
  };
  expect(asTrace(env.view(lossless.state, 'spectator') as unknown as View)).to.deep.equal(traceState(trace.start));
  checkEncodings(lossless.state, trace.startLossless, trace.startFeatures, 'start');
  let score = 0;
  const shaped: [number, number] = [0, 0];
  trace.steps.forEach((step, i) => {
    lossless.stepJoint(step.actions);
    const view = env.view(lossless.state, 'spectator') as unknown as View;
    expect(asTrace(view), `${trace.name} step ${i + 1}`).to.deep.equal(traceState(step.state));
    expect(view.lastRewards, `${trace.name} rewards at step ${i + 1}`).to.deep.equal({ sparse: step.sparse, shaped: step.shaped });
    score += step.sparse[0] + step.sparse[1];
    shaped[0] += step.shaped[0];
    shaped[1] += step.shaped[1];
    expect(lossless.returns).to.deep.equal([score, score]);
    expect(shapedReturns(lossless.state)).to.deep.equal(shaped);
    if (step.lossless) checkEncodings(lossless.state, step.lossless, step.features!, `step ${i + 1}`);
  });
  return { checked, soups: score / 20 };
}

describe('envs/games/overcooked', () => {
  describe('traces recorded from overcooked_ai', () => {
    const traces = overcookedTraces();
    it('cover every layout under both cooking rules, with soups served', () => {
      for (const layout of LAYOUT_NAMES) {
        for (const old of [true, false])
          expect(
            traces.some((t) => t.layout === layout && t.oldDynamics === old),
            `${layout} ${old}`,
          ).to.equal(true);
      }
      const soups = traces.map((t) => t.steps.reduce((n, s) => n + s.sparse[0] + s.sparse[1], 0) / 20);
      expect(soups.reduce((a, b) => a + b)).to.be.greaterThan(40);
    });
    for (const trace of traces) {
      it(`reproduces ${trace.name} (${trace.steps.length} steps): state, sparse and shaped rewards, encodings`, () => {
        const { checked } = replay(trace);
        expect(checked).to.be.at.least(2 * (1 + Math.floor(trace.steps.length / 25)));
      });
    }
  });

  it('ships the grids of the vendored layout files', () => {
    for (const name of LAYOUT_NAMES) {
      const text = readFileSync(new URL(`../../../envs/games/overcooked/layouts/${LAYOUT_FILES[name]}`, import.meta.url), 'utf8');
      const grid = /"grid":\s*"""([\s\S]*?)"""/
        .exec(text)![1]!
        .split('\n')
        .map((l) => l.trim());
      expect(grid, name).to.deep.equal(GRIDS[name]);
    }
  });

  for (const oldDynamics of [true, false]) {
    it(`one chef alone in cramped_room serves a soup (${oldDynamics ? 'old' : 'new'} rules): ready 20 ticks after cooking starts, shaped 3+3+3+3+5`, () => {
      const [N, S, E, W, STAY, I] = [0, 1, 2, 3, 4, 5];
      const ep = new Episode(env, { oldDynamics }, 0);
      const play = (...moves: number[]): void => {
        for (const m of moves) ep.stepJoint([m, STAY]);
      };
      const onion = [W, W, I, E, N, I]; // from (2,1) facing the pot: to the left dispenser and back
      play(N, W, I, E, N, I, ...onion, ...onion);
      const pot = (): { ingredients?: string[]; tick?: number } => (env.view(ep.state, 'spectator') as unknown as View).objects[0]!;
      expect(pot().ingredients).to.deep.equal(['onion', 'onion', 'onion']);
      expect(pot().tick).to.equal(oldDynamics ? 1 : -1);
      if (!oldDynamics) {
        play(I); // empty hands at a full pot: start cooking
        expect(pot().tick).to.equal(1);
      }
      const cookingFrom = ep.state.timestep - 1;
      play(W, S, S, I, N, E, N); // a dish (useful: a pot is cooking), back facing the pot
      let waited = 0;
      while ((ep.state as OvercookedState).chefs[0].held?.name !== 'soup' && waited < 40) {
        play(I);
        waited++;
      }
      expect(ep.state.timestep - cookingFrom).to.equal(21); // the tick reaches 20 at the end of step cookingFrom + 20
      expect(waited).to.be.greaterThan(1);
      play(S, E, S, I);
      expect(ep.returns).to.deep.equal([20, 20]);
      expect(shapedReturns(ep.state)).to.deep.equal([17, 0]);
      expect((env.view(ep.state, 'spectator') as unknown as View).lastRewards).to.deep.equal({ sparse: [20, 0], shaped: [0, 0] });
    });
  }

  it('truncates at the horizon, is real-time with consumed input and STAY as default', () => {
    const p = env.parseParams({ horizon: 3 });
    const d = env.dims(p);
    expect(d.realtime).to.deep.equal({ tickHz: 20 / 3, input: 'consumed', defaultActions: [4, 4] });
    expect(d.teams).to.deep.equal([0, 0]);
    const ep = new Episode(env, p, 0);
    for (let i = 0; i < 3; i++) ep.stepJoint([4, 4]);
    expect(ep.isTerminal).to.equal(true);
    expect(isTruncatedState(env, ep.state)).to.equal(true);
  });

  it('names actions for text replies and renders a compact grid', () => {
    const s = env.init(env.parseParams(), 0);
    for (let a = 0; a < 6; a++) expect(tryParseActionText(env, s, 0, `I choose ${env.actionText(s, 0, a)}`)).to.equal(a);
    expect(tryParseActionText(env, s, 1, 'move left')).to.equal(3);
    const text = env.observationText(s, 1);
    expect(text).to.contain(' 0 XXPXX\n 1 O  AO\n 2 XB  X\n 3 XDXSX');
    expect(text).to.contain('You (A): at (3,1) facing up (N), holding nothing.');
    expect(text).to.contain('Pots: (2,0) empty.');
  });

  it('rejects unknown params and layouts with a named field', () => {
    expect(() => env.parseParams({ layout: 'kitchen' })).to.throw(/layout/);
    expect(() => env.parseParams({ horizn: 10 })).to.throw(/horizn/);
  });
});
