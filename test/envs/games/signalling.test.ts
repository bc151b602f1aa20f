import { expect } from 'chai';
import { IllegalActionError, Rng, parseActionText, type Viewer } from '../../../envs/index.ts';
import { signalling, type SignallingParams, type SignallingState } from '../../../envs/games/signalling/index.ts';

const env = signalling;

/** A mixed strategy: probabilities over action ids, given what the seat sees. */
type Strategy = (seen: number, params: SignallingParams) => readonly number[];

const pure =
  (choice: (seen: number) => number, size: (p: SignallingParams) => number): Strategy =>
  (seen, p) =>
    Array.from({ length: size(p) }, (_, id) => (id === choice(seen) ? 1 : 0));
const speakerPure = (choice: (world: number) => number): Strategy => pure(choice, (p) => p.signals);
const listenerPure = (choice: (signal: number) => number): Strategy => pure(choice, (p) => p.states);
const uniform =
  (size: (p: SignallingParams) => number): Strategy =>
  (_seen, p) =>
    new Array<number>(size(p)).fill(1 / size(p));

/** Exact expected return of seat 0, summed over the chance outcomes and both strategies. */
function expectedSuccess(rawParams: unknown, speaker: Strategy, listener: Strategy): number {
  const params = env.parseParams(rawParams);
  const root = env.init(params, 0);
  let total = 0;
  for (const { action: world, probability } of env.chanceOutcomes(root)) {
    const afterChance = env.apply(root, 'chance', world);
    speaker(world, params).forEach((ps, signal) => {
      if (ps === 0) return;
      const afterSignal = env.apply(afterChance, 0, signal);
      listener(signal, params).forEach((pl, act) => {
        if (pl === 0) return;
        const end = env.apply(afterSignal, 1, act);
        expect(env.turn(end).kind).to.equal('terminal');
        total += probability * ps * pl * env.returns(end)[0]!;
      });
    });
  }
  return total;
}

function reach(world: number, signal?: number, act?: number, params: unknown = {}): SignallingState {
  let state = env.apply(env.init(env.parseParams(params), 0), 'chance', world);
  if (signal !== undefined) state = env.apply(state, 0, signal);
  if (act !== undefined) state = env.apply(state, 1, act);
  return state;
}

const seenBy = (state: SignallingState, viewer: Viewer) => ({
  tensor: Array.from(env.observationTensor(state, viewer)),
  text: env.observationText(state, viewer),
  view: env.view(state, viewer),
  legal: viewer === 'spectator' ? [] : env.legalActions(state, viewer),
});

const PERMUTATIONS_3 = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

describe('signalling', () => {
  describe('known values', () => {
    it('succeeds 1/N when the signal carries no information', () => {
      expect(
        expectedSuccess(
          {},
          speakerPure(() => 0),
          listenerPure(() => 0),
        ),
      ).to.be.closeTo(1 / 3, 1e-12);
      expect(
        expectedSuccess(
          {},
          speakerPure(() => 2),
          listenerPure(() => 1),
        ),
      ).to.be.closeTo(1 / 3, 1e-12);
      const random = [uniform((p) => p.signals), uniform((p) => p.states)] as const;
      expect(expectedSuccess({}, ...random)).to.be.closeTo(1 / 3, 1e-12);
      expect(expectedSuccess({ states: 5, signals: 2 }, ...random)).to.be.closeTo(1 / 5, 1e-12);
    });

    it('succeeds max_s p(s) for a pooling speaker and the best listener under a prior', () => {
      expect(
        expectedSuccess(
          { prior: [1, 2, 1] },
          speakerPure(() => 0),
          listenerPure(() => 1),
        ),
      ).to.be.closeTo(0.5, 1e-12);
    });

    it('succeeds with certainty under every signalling system for N = 3', () => {
      for (const perm of PERMUTATIONS_3) {
        const inverse = (signal: number) => perm.indexOf(signal);
        expect(
          expectedSuccess(
            {},
            speakerPure((w) => perm[w]!),
            listenerPure(inverse),
          ),
          `perm=${perm}`,
        ).to.be.closeTo(1, 1e-12);
      }
    });

    it('succeeds 2/3 under the partial pooling equilibrium for N = 3', () => {
      // states 0 and 1 share signal 0 (read as 0); state 2 has signal 1 (read as 2)
      const speaker = speakerPure((w) => (w === 2 ? 1 : 0));
      const listener = listenerPure((m) => (m === 1 ? 2 : 0));
      expect(expectedSuccess({}, speaker, listener)).to.be.closeTo(2 / 3, 1e-12);
    });
  });

  describe('rules', () => {
    it('goes chance, speaker, listener, terminal with identical returns', () => {
      let state = env.init(env.parseParams({}), 0);
      expect(env.turn(state).kind).to.equal('chance');
      expect(env.chanceOutcomes(state)).to.deep.equal([0, 1, 2].map((action) => ({ action, probability: 1 / 3 })));
      state = env.apply(state, 'chance', 1);
      expect(env.turn(state)).to.deep.equal({ kind: 'decision', seat: 0 });
      state = env.apply(state, 0, 2);
      expect(env.turn(state)).to.deep.equal({ kind: 'decision', seat: 1 });
      expect(env.returns(env.apply(state, 1, 1))).to.deep.equal([1, 1]);
      expect(env.returns(env.apply(state, 1, 0))).to.deep.equal([0, 0]);
    });

    it('gives each seat its own legal set when signals and states differ', () => {
      const params = { states: 4, signals: 2 };
      expect(env.dims(env.parseParams(params)).numDistinctActions).to.equal(4);
      const speaking = reach(3, undefined, undefined, params);
      expect(env.legalActions(speaking, 0)).to.deep.equal([0, 1]);
      expect(env.legalActions(speaking, 1)).to.deep.equal([]);
      expect(() => env.apply(speaking, 0, 2))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(env.legalActions(env.apply(speaking, 0, 1), 1)).to.deep.equal([0, 1, 2, 3]);
    });

    it('normalises the prior and leaves zero-weight states out of the chance outcomes', () => {
      const root = env.init(env.parseParams({ prior: [0, 1, 3] }), 0);
      expect(env.chanceOutcomes(root)).to.deep.equal([
        { action: 1, probability: 0.25 },
        { action: 2, probability: 0.75 },
      ]);
      expect(() => env.apply(root, 'chance', 0)).to.throw(IllegalActionError);
    });

    it('rejects a prior of the wrong length or with no positive weight', () => {
      expect(() => env.parseParams({ prior: [1, 1] })).to.throw(/prior/);
      expect(() => env.parseParams({ prior: [0, 0, 0] })).to.throw(/prior/);
      expect(() => env.parseParams({ states: 1 })).to.throw(/states/);
    });
  });

  describe('hidden information', () => {
    it('shows the listener the same observation for every state behind one signal', () => {
      for (const signal of [0, 1, 2]) {
        const seen = [0, 1, 2].map((world) => seenBy(reach(world, signal), 1));
        expect(seen[1], `signal=${signal}`).to.deep.equal(seen[0]);
        expect(seen[2], `signal=${signal}`).to.deep.equal(seen[0]);
        expect(seen[0]!.text).to.include(`The speaker sent signal ${signal}.`);
        expect(seen[0]!.text).to.include('[act 0], [act 1], [act 2]');
      }
    });

    it('hides the state from the listener and spectators until the end, but not from the speaker', () => {
      for (const viewer of [1, 'spectator'] as const) {
        expect(seenBy(reach(0), viewer), `viewer=${viewer}`).to.deep.equal(seenBy(reach(2), viewer));
        expect(seenBy(reach(0, 1), viewer), `viewer=${viewer}`).to.deep.equal(seenBy(reach(2, 1), viewer));
      }
      expect(seenBy(reach(0), 0).tensor).not.to.deep.equal(seenBy(reach(2), 0).tensor);
      expect(env.observationText(reach(2), 0)).to.include('The hidden state is 2.');
      expect(env.view(reach(2, 1), 'spectator')).to.include({ world: null, signal: 1, success: null });
      expect(env.view(reach(2, 1, 0), 'spectator')).to.include({ world: 2, signal: 1, act: 0, success: false });
      expect(env.observationText(reach(2, 1, 2), 1)).to.include('the hidden state was 2');
    });

    it('lays out the tensor as role, state, signal and act one-hots', () => {
      const state = reach(2, 1);
      expect(Array.from(env.observationTensor(state, 0))).to.deep.equal([1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
      expect(Array.from(env.observationTensor(state, 1))).to.deep.equal([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
      expect(Array.from(env.observationTensor(reach(2, 1, 0), 'spectator'))).to.deep.equal([0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    });

    it('resamples the state for the listener from the prior and keeps it for the speaker', () => {
      const state = reach(0, 1);
      const rng = new Rng(3);
      const worlds = new Set<number>();
      for (let i = 0; i < 30; i++) {
        const twin = env.resampleHidden!(state, 1, rng);
        worlds.add(twin.world!);
        expect(seenBy(twin, 1), `i=${i}`).to.deep.equal(seenBy(state, 1));
        expect(twin.signal).to.equal(1);
      }
      expect([...worlds].sort()).to.deep.equal([0, 1, 2]);
      expect(env.resampleHidden!(state, 0, rng)).to.equal(state);
      const skewed = reach(1, 0, undefined, { prior: [0, 1, 1] });
      for (let i = 0; i < 20; i++) expect(env.resampleHidden!(skewed, 1, rng).world).not.to.equal(0);
    });
  });

  describe('actions', () => {
    it('writes [signal k] for the speaker and [act k] for the listener and parses them back', () => {
      const speaking = reach(1);
      const listening = reach(1, 2);
      expect(env.actionText(speaking, 0, 2)).to.equal('[signal 2]');
      expect(env.actionText(listening, 1, 0)).to.equal('[act 0]');
      expect(parseActionText(env, speaking, 0, 'I send [signal 2]')).to.equal(2);
      expect(parseActionText(env, speaking, 0, '[1]')).to.equal(1);
      expect(parseActionText(env, listening, 1, 'since [signal 2] means it, [act 1]')).to.equal(1);
    });

    it('encodes the struct of the seat that acts and rejects the other kind', () => {
      const state = reach(1);
      expect(env.encodeAction(state, 0, { signal: 2 })).to.equal(2);
      expect(env.encodeAction(state, 1, { signal: 2 })).to.equal(undefined);
      expect(env.encodeAction(state, 1, { act: 0 })).to.equal(0);
      expect(env.decodeAction(state, 0, 1)).to.deep.equal({ signal: 1 });
      expect(env.decodeAction(state, 1, 1)).to.deep.equal({ act: 1 });
    });

    it('round-trips a state through serialize, prior included', () => {
      const state = reach(2, 1, undefined, { prior: [1, 1, 2] });
      expect(env.deserialize(JSON.parse(JSON.stringify(env.serialize(state))))).to.deep.equal(state);
      expect(() => env.deserialize({ ...state, world: null })).to.throw(/bad state/);
    });
  });
});
