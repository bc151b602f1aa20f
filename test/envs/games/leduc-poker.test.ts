import { expect } from 'chai';
import { IllegalActionError, Rng, getEnv, parseActionText, type Viewer } from '../../../envs/index.ts';
import { leducPoker, type LeducState } from '../../../envs/games/leduc-poker/index.ts';

const env = leducPoker;
const FOLD = 0;
const CALL = 1;
const RAISE = 2;
const root = (): LeducState => env.init(env.parseParams({}), 0);

/** Deals the private cards, plays round 1, deals the public card (if given) and plays round 2. */
function reach(deal: readonly number[], round1: readonly number[] = [], round2: readonly number[] = []): LeducState {
  let state = root();
  const bet = (action: number) => {
    const turn = env.turn(state);
    if (turn.kind !== 'decision') throw new Error(`expected a decision, got ${turn.kind}`);
    state = env.apply(state, turn.seat, action);
  };
  for (const card of deal.slice(0, 2)) state = env.apply(state, 'chance', card);
  round1.forEach(bet);
  if (deal[2] !== undefined) state = env.apply(state, 'chance', deal[2]);
  round2.forEach(bet);
  return state;
}

const seenBy = (state: LeducState, viewer: Viewer) => ({
  tensor: Array.from(env.observationTensor(state, viewer)),
  text: env.observationText(state, viewer),
  view: env.view(state, viewer),
  legal: viewer === 'spectator' ? [] : env.legalActions(state, viewer),
});

/** Every reachable state, with its reach probability under chance and uniform-random play. */
function forEachState(visit: (state: LeducState, probability: number) => void): void {
  const walk = (state: LeducState, probability: number): void => {
    visit(state, probability);
    const turn = env.turn(state);
    if (turn.kind === 'chance') {
      for (const o of env.chanceOutcomes(state)) walk(env.apply(state, 'chance', o.action), probability * o.probability);
    } else if (turn.kind === 'decision') {
      const legal = env.legalActions(state, turn.seat);
      for (const a of legal) walk(env.apply(state, turn.seat, a), probability / legal.length);
    }
  };
  walk(root(), 1);
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('leduc-poker', () => {
  describe('known values', () => {
    it('has on-policy value -0.078125 for seat 0 when both seats play uniformly at random', () => {
      let value = 0;
      let mass = 0;
      forEachState((state, p) => {
        if (env.turn(state).kind !== 'terminal') return;
        value += p * env.returns(state)[0]!;
        mass += p;
      });
      expect(mass).to.be.closeTo(1, 1e-12);
      expect(value).to.be.closeTo(-0.078125, 1e-12);
    });

    it('has 936 decision infosets, 468 per seat, as distinct (seat, tensor) pairs', () => {
      const infosets = [new Set<string>(), new Set<string>()];
      forEachState((state) => {
        const turn = env.turn(state);
        if (turn.kind === 'decision') infosets[turn.seat]!.add(Array.from(env.observationTensor(state, turn.seat)).join(''));
      });
      expect(infosets.map((set) => set.size)).to.deep.equal([468, 468]);
    });

    it('keeps every terminal return within +-13 and zero-sum, and needs at most 8 decisions', () => {
      const dims = env.dims(env.parseParams({}));
      expect(dims).to.include({ numPlayers: 2, numDistinctActions: 3, maxChanceOutcomes: 6, maxGameLength: 8, minUtility: -13, maxUtility: 13 });
      expect(dims.observationShape).to.deep.equal([30]);
      let extreme = 0;
      forEachState((state) => {
        if (env.turn(state).kind !== 'terminal') return;
        const [a, b] = env.returns(state) as [number, number];
        expect(a + b).to.equal(0);
        extreme = Math.max(extreme, Math.abs(a));
        expect(state.round1.length + state.round2.length).to.be.at.most(8);
      });
      expect(extreme).to.equal(13);
    });

    it('is registered under leduc-poker-v1', () => {
      expect(getEnv('leduc-poker')).to.equal(env);
      expect(env.key).to.equal('leduc-poker-v1');
    });
  });

  describe('chance', () => {
    it('deals seat 0, then seat 1, uniformly from the cards left', () => {
      const start = root();
      expect(env.turn(start).kind).to.equal('chance');
      expect(env.chanceOutcomes(start)).to.deep.equal(ids(6).map((action) => ({ action, probability: 1 / 6 })));
      const one = env.apply(start, 'chance', 3);
      expect(env.turn(one).kind).to.equal('chance');
      expect(env.chanceOutcomes(one)).to.deep.equal([0, 1, 2, 4, 5].map((action) => ({ action, probability: 1 / 5 })));
      expect(() => env.apply(one, 'chance', 3)).to.throw(IllegalActionError);
      const two = env.apply(one, 'chance', 0);
      expect(env.turn(two)).to.deep.equal({ kind: 'decision', seat: 0 });
      expect(env.chanceOutcomes(two)).to.deep.equal([]);
      expect(two.cards).to.deep.equal([3, 0]);
    });

    it('deals the public card uniformly from the 4 cards left once round 1 ends', () => {
      const between = reach([3, 0], [CALL, CALL]);
      expect(env.turn(between).kind).to.equal('chance');
      expect(env.chanceOutcomes(between)).to.deep.equal([1, 2, 4, 5].map((action) => ({ action, probability: 1 / 4 })));
      expect(env.turn(env.apply(between, 'chance', 5))).to.deep.equal({ kind: 'decision', seat: 0 });
    });
  });

  describe('betting', () => {
    it('ends the hand when a seat folds to a raise, without a showdown', () => {
      const folded = reach([0, 5], [RAISE, FOLD]);
      expect(env.turn(folded).kind).to.equal('terminal');
      expect(env.returns(folded)).to.deep.equal([1, -1]); // seat 1 loses its ante
      const late = reach([4, 0], [CALL, RAISE, FOLD]);
      expect(env.returns(late)).to.deep.equal([-1, 1]);
      const round2 = reach([4, 0, 2], [RAISE, CALL], [RAISE, FOLD]);
      expect(env.returns(round2)).to.deep.equal([3, -3]);
    });

    it('goes to a showdown for 1 chip when both seats check both rounds', () => {
      let state = reach([4, 0], [CALL]);
      expect(env.turn(state)).to.deep.equal({ kind: 'decision', seat: 1 });
      state = env.apply(state, 1, CALL);
      expect(env.turn(state).kind).to.equal('chance');
      expect(state.round).to.equal(2);
      state = env.apply(state, 'chance', 2);
      expect(env.legalActions(state, 0)).to.deep.equal([CALL, RAISE]);
      state = env.apply(env.apply(state, 0, CALL), 1, CALL);
      expect(env.turn(state).kind).to.equal('terminal');
      expect(env.returns(state)).to.deep.equal([1, -1]);
    });

    it('raises by 2 in round 1 and by 4 in round 2, capped at 2 raises per round', () => {
      let state = reach([4, 0]);
      expect(env.legalActions(state, 0)).to.deep.equal([CALL, RAISE]);
      state = env.apply(state, 0, RAISE);
      expect(state.ante).to.deep.equal([3, 1]);
      expect(env.legalActions(state, 1)).to.deep.equal([FOLD, CALL, RAISE]);
      state = env.apply(state, 1, RAISE);
      expect(state.ante).to.deep.equal([3, 5]);
      expect(env.legalActions(state, 0)).to.deep.equal([FOLD, CALL]);
      expect(() => env.apply(state, 0, RAISE))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      state = env.apply(env.apply(env.apply(state, 0, CALL), 'chance', 2), 0, CALL);
      expect(state.ante).to.deep.equal([5, 5]);
      state = env.apply(state, 1, RAISE);
      expect(state.ante).to.deep.equal([5, 9]);
      state = env.apply(state, 0, RAISE);
      expect(state.ante).to.deep.equal([13, 9]);
      expect(env.legalActions(state, 1)).to.deep.equal([FOLD, CALL]);
      state = env.apply(state, 1, CALL);
      expect(env.turn(state).kind).to.equal('terminal');
      expect(env.returns(state)).to.deep.equal([13, -13]);
    });

    it('rejects a fold when not facing a bet and any move out of turn', () => {
      const state = reach([4, 0]);
      expect(() => env.apply(state, 0, FOLD))
        .to.throw(IllegalActionError)
        .with.property('code', 'illegal');
      expect(() => env.apply(state, 1, CALL))
        .to.throw(IllegalActionError)
        .with.property('code', 'not-acting');
      expect(env.isLegal(state, 0, FOLD)).to.equal(false);
      expect(env.isLegal(state, 0, 3)).to.equal(false);
      expect(env.isLegal(state, 1, CALL)).to.equal(false);
      expect(() => env.apply(reach([4, 0], [RAISE, FOLD]), 0, CALL))
        .to.throw(IllegalActionError)
        .with.property('code', 'terminal');
    });
  });

  describe('showdown', () => {
    it('lets a pair with the public card beat a higher private card', () => {
      expect(env.returns(reach([5, 0, 1], [CALL, CALL], [CALL, CALL]))).to.deep.equal([-1, 1]);
      expect(env.returns(reach([2, 4, 3], [RAISE, CALL], [CALL, CALL]))).to.deep.equal([3, -3]);
    });

    it('gives the pot to the higher private rank when nobody pairs', () => {
      expect(env.returns(reach([2, 5, 0], [CALL, CALL], [RAISE, CALL]))).to.deep.equal([-5, 5]);
      expect(env.returns(reach([4, 3, 1], [RAISE, CALL], [CALL, CALL]))).to.deep.equal([3, -3]);
    });

    it('splits the pot when the private ranks are equal', () => {
      const split = reach([4, 5, 0], [RAISE, RAISE, CALL], [RAISE, CALL]);
      expect(env.returns(split)).to.deep.equal([0, 0]);
      expect(env.view(split, 0)).to.deep.include({ result: { kind: 'showdown', winners: [0, 1], returns: [0, 0] } });
      expect(env.observationText(split, 1)).to.include('split');
    });
  });

  describe('observations', () => {
    it("prints OpenSpiel's information-state string", () => {
      const state = reach([5, 1], [RAISE]);
      expect(env.observationText(state, 0).split('\n')[0]).to.equal('[Observer: 0][Private: 5][Round 1][Player: 1][Pot: 4][Money: 97 99][Round1: 2][Round2: ]');
      const later = reach([5, 1, 3], [RAISE, CALL], [CALL]);
      expect(env.observationText(later, 1).split('\n')[0]).to.equal(
        '[Observer: 1][Private: 1][Round 2][Player: 1][Pot: 6][Money: 97 97][Public: 3][Round1: 2 1][Round2: 1]',
      );
      expect(env.observationText(later, 'spectator').split('\n')[0]).to.equal('[Round 2][Player: 1][Pot: 6][Money: 97 97][Public: 3][Round1: 2 1][Round2: 1]');
    });

    it('lays out the information-state tensor as player, private, public and betting bits', () => {
      const state = reach([5, 1, 3], [CALL, RAISE, CALL], [RAISE]);
      const expected1 = new Array<number>(30).fill(0);
      for (const i of [1, 2 + 1, 8 + 3, 14 + 0, 14 + 3, 14 + 4, 22 + 1]) expected1[i] = 1;
      expect(Array.from(env.observationTensor(state, 1))).to.deep.equal(expected1);
      const expected0 = expected1.slice();
      expected0[1] = 0;
      expected0[0] = 1;
      expected0[3] = 0;
      expected0[7] = 1;
      expect(Array.from(env.observationTensor(state, 0))).to.deep.equal(expected0);
      const spectator = expected1.slice();
      spectator[1] = 0;
      spectator[3] = 0;
      expect(Array.from(env.observationTensor(state, 'spectator'))).to.deep.equal(spectator);
    });

    it('encodes a fold as 00 in the betting bits', () => {
      const folded = reach([5, 1], [RAISE, FOLD]);
      const expected = new Array<number>(30).fill(0);
      for (const i of [0, 2 + 5, 15]) expected[i] = 1;
      expect(Array.from(env.observationTensor(folded, 0))).to.deep.equal(expected);
    });
  });

  describe('hidden information', () => {
    it('shows a seat the same observation whatever card the opponent holds, until a showdown', () => {
      const histories: [number[], number[], boolean][] = [
        [[], [], false],
        [[RAISE], [], false],
        [[CALL, RAISE, FOLD], [], false],
        [[CALL, CALL], [RAISE], true],
        [[CALL, CALL], [RAISE, FOLD], true],
        [[RAISE, CALL], [CALL], true],
      ];
      for (const [round1, round2, publicDealt] of histories) {
        for (const seat of [0, 1]) {
          const own = 4;
          const deal = (opponent: number) => {
            const cards = seat === 0 ? [own, opponent] : [opponent, own];
            return publicDealt ? [...cards, 2] : cards;
          };
          const base = seenBy(reach(deal(0), round1, round2), seat);
          for (const opponent of [1, 3, 5]) {
            expect(seenBy(reach(deal(opponent), round1, round2), seat), `seat=${seat} opp=${opponent} ${round1}/${round2}`).to.deep.equal(base);
          }
        }
      }
    });

    it('hides both private cards from the spectator until a showdown, then shows them', () => {
      expect(seenBy(reach([0, 2, 4], [RAISE, CALL], [CALL]), 'spectator')).to.deep.equal(seenBy(reach([5, 3, 4], [RAISE, CALL], [CALL]), 'spectator'));
      expect(seenBy(reach([0, 2], [RAISE, FOLD]), 'spectator')).to.deep.equal(seenBy(reach([5, 3], [RAISE, FOLD]), 'spectator'));
      const showdown = reach([0, 2, 4], [RAISE, CALL], [CALL, CALL]);
      expect(env.view(showdown, 'spectator')).to.deep.include({ cards: ['Js', 'Qs'], publicCard: 'Ks' });
      expect(env.observationText(showdown, 0)).to.include("Seat 1's card: Qs (queen of spades)");
      expect(env.view(reach([0, 2], [RAISE, FOLD]), 0)).to.deep.include({ cards: ['Js', null] });
    });

    it('resamples the opponent card from the cards the seat has not seen', () => {
      const state = reach([0, 2, 4], [RAISE, CALL], [CALL]);
      const rng = new Rng(7);
      for (const seat of [0, 1]) {
        const seen = new Set<number>();
        for (let i = 0; i < 60; i++) {
          const twin = env.resampleHidden!(state, seat, rng);
          expect(twin.cards[seat]).to.equal(state.cards[seat]);
          expect(twin.cards[2]).to.equal(4);
          expect(seenBy(twin, seat), `seat=${seat} i=${i}`).to.deep.equal(seenBy(state, seat));
          seen.add(twin.cards[1 - seat]!);
        }
        expect([...seen].sort()).to.deep.equal(ids(6).filter((c) => c !== state.cards[seat] && c !== 4));
      }
      const showdown = reach([0, 2, 4], [RAISE, CALL], [CALL, CALL]);
      expect(env.resampleHidden!(showdown, 0, rng)).to.equal(showdown);
      const start = root();
      expect(env.resampleHidden!(start, 1, rng)).to.equal(start);
    });
  });

  describe('actions', () => {
    it('names call [check] when there is no bet to match, and parses the texts back', () => {
      const open = reach([4, 0]);
      expect(env.legalActions(open, 0).map((a) => env.actionText(open, 0, a))).to.deep.equal(['[check]', '[raise]']);
      const facing = env.apply(open, 0, RAISE);
      expect(env.legalActions(facing, 1).map((a) => env.actionText(facing, 1, a))).to.deep.equal(['[fold]', '[call]', '[raise]']);
      expect(parseActionText(env, facing, 1, 'I will [call].')).to.equal(CALL);
      expect(parseActionText(env, facing, 1, '\\boxed{fold}')).to.equal(FOLD);
      expect(parseActionText(env, open, 0, 'check')).to.equal(CALL);
      expect(parseActionText(env, open, 0, '[bet]')).to.equal(RAISE);
      expect(() => parseActionText(env, open, 0, '[fold]')).to.throw(/\[check\], \[raise\]/);
      expect(env.actionText(root(), 'chance', 5)).to.equal('deal Kh to seat 0');
    });

    it('encodes and decodes the move struct', () => {
      const open = reach([4, 0]);
      expect(env.decodeAction(open, 0, CALL)).to.deep.equal({ move: 'check' });
      expect(env.decodeAction(env.apply(open, 0, RAISE), 1, CALL)).to.deep.equal({ move: 'call' });
      expect(env.encodeAction(open, 0, { move: 'raise' })).to.equal(RAISE);
      expect(env.encodeAction(open, 0, { move: 'check' })).to.equal(CALL);
      expect(env.encodeAction(open, 0, { move: 'allin' } as never)).to.equal(undefined);
    });
  });

  describe('serialization', () => {
    it('round-trips states and rejects histories that cannot happen', () => {
      const state = reach([5, 1, 3], [RAISE, CALL], [RAISE]);
      expect(env.deserialize(JSON.parse(JSON.stringify(env.serialize(state))))).to.deep.equal(state);
      expect(env.clone(state)).to.deep.equal(state);
      expect(() => env.deserialize({ ...state, ante: [3, 7] })).to.throw(/bad state/);
      expect(() => env.deserialize({ ...state, cards: [5, 5, 3] })).to.throw(/dealt twice/);
      expect(() => env.deserialize({ ...state, round1: [RAISE, RAISE, RAISE] })).to.throw(/bad state/);
      // Unknown keys are refused by defineEnv before the (strict) schema runs, with their own message.
      expect(() => env.parseParams({ players: 3 })).to.throw(/unknown param "players" for leduc-poker-v1 \(leduc-poker-v1 takes no params\)/);
      expect(() => env.parseParams('three')).to.throw(/bad params/);
    });
  });
});
