import { expect } from 'chai';
import { BadParamsError, Episode, getEnv, IllegalActionError, parseActionText, Rng, tryParseActionText, type Viewer } from '../../../envs/index.ts';
import type { KuhnState } from '../../../envs/games/kuhn-poker/index.ts';
import { checkNoLeak } from '../../../envs/testing/leak-test.ts';

const env = getEnv('kuhn-poker-v1');

/** Plays a hand: cards for seat 0 and 1, then a betting string of p/b. */
function play(cards: [number, number], betting: string, params: unknown = {}, state?: KuhnState): KuhnState {
  let s: KuhnState = state ?? env.init(env.parseParams(params), 0);
  s = env.apply(s, 'chance', cards[0]);
  s = env.apply(s, 'chance', cards[1]);
  for (const a of betting) {
    const turn = env.turn(s);
    if (turn.kind !== 'decision') throw new Error(`not a decision at ${a}`);
    s = env.apply(s, turn.seat, a === 'b' ? 1 : 0);
  }
  return s;
}

/** Exact expected returns of a behaviour policy p(seat, card, history) = P(bet), over the chance tree. */
function value(pBet: (seat: number, card: number, history: string) => number): number {
  let total = 0;
  for (const c0 of [0, 1, 2]) {
    for (const c1 of [0, 1, 2]) {
      if (c0 === c1) continue;
      const walk = (s: KuhnState, prob: number): void => {
        const turn = env.turn(s);
        if (turn.kind === 'terminal') {
          total += prob * env.returns(s)[0]!;
          return;
        }
        if (turn.kind !== 'decision') throw new Error('unexpected node');
        const p = pBet(turn.seat, s.cards[turn.seat]!, s.history);
        if (p > 0) walk(env.apply(s, turn.seat, 1), prob * p);
        if (p < 1) walk(env.apply(s, turn.seat, 0), prob * (1 - p));
      };
      walk(play([c0, c1], ''), 1 / 6);
    }
  }
  return total;
}

/** OpenSpiel's optimal family GetOptimalPolicy(alpha): probability of bet/call. */
const nash =
  (alpha: number) =>
  (seat: number, card: number, history: string): number => {
    if (seat === 0) {
      if (history === '') return [alpha, 0, 3 * alpha][card]!;
      return [0, 1 / 3 + alpha, 1][card]!; // after pb
    }
    if (history === 'p') return [1 / 3, 0, 1][card]!;
    return [0, 1 / 3, 1][card]!; // after b
  };

describe('kuhn-poker', () => {
  describe('one hand (OpenSpiel rules)', () => {
    it('pays every betting sequence as OpenSpiel does', () => {
      const cases: [[number, number], string, number][] = [
        [[2, 0], 'pp', 1],
        [[0, 2], 'pp', -1], // showdown of the antes
        [[0, 2], 'bp', 1], // seat 1 folds to a bet
        [[2, 1], 'bb', 2],
        [[1, 2], 'bb', -2], // called bet
        [[2, 0], 'pbp', -1], // seat 0 folds after check-bet
        [[0, 1], 'pbb', -2],
        [[2, 1], 'pbb', 2],
      ];
      for (const [cards, betting, r0] of cases) {
        const s = play(cards, betting);
        expect(env.turn(s).kind, betting).to.equal('terminal');
        expect(env.returns(s), `${cards} ${betting}`).to.deep.equal([r0, 0 - r0]);
      }
    });

    it('deals with probabilities 1/3, then 1/2 over the cards left', () => {
      const s0 = env.init(env.parseParams({}), 0);
      expect(env.chanceOutcomes(s0)).to.deep.equal([0, 1, 2].map((action) => ({ action, probability: 1 / 3 })));
      const s1 = env.apply(s0, 'chance', 1);
      expect(env.chanceOutcomes(s1)).to.deep.equal([
        { action: 0, probability: 0.5 },
        { action: 2, probability: 0.5 },
      ]);
      expect(() => env.apply(s1, 'chance', 1)).to.throw(IllegalActionError);
    });

    it('lets seat 0 open and keeps returns at zero until the end', () => {
      const s = play([0, 1], '');
      expect(env.turn(s)).to.deep.equal({ kind: 'decision', seat: 0 });
      expect(env.legalActions(s, 0)).to.deep.equal([0, 1]);
      expect(env.legalActions(s, 1)).to.deep.equal([]);
      expect(env.returns(play([0, 1], 'p'))).to.deep.equal([0, 0]);
      expect(() => env.apply(s, 1, 0)).to.throw(IllegalActionError);
    });

    it('builds the information-state tensor of the brief (seat 0 holding Q after its pass)', () => {
      const s = play([1, 2], 'p');
      expect(Array.from(env.observationTensor(s, 0))).to.deep.equal([1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
      expect(Array.from(env.observationTensor(play([1, 2], 'pb'), 1))).to.deep.equal([0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0]);
      expect(Array.from(env.observationTensor(play([1, 2], 'pb'), 'spectator'))).to.deep.equal([0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    });

    it('has exactly 12 decision infosets, 6 per seat', () => {
      const infosets = new Set<string>();
      const walk = (s: KuhnState): void => {
        const turn = env.turn(s);
        if (turn.kind === 'terminal') return;
        if (turn.kind === 'chance') {
          for (const o of env.chanceOutcomes(s)) walk(env.apply(s, 'chance', o.action));
          return;
        }
        if (turn.kind !== 'decision') throw new Error('unexpected node');
        infosets.add(`${turn.seat}|${env.observationTensor(s, turn.seat).join('')}`);
        for (const a of env.legalActions(s, turn.seat)) walk(env.apply(s, turn.seat, a));
      };
      walk(env.init(env.parseParams({}), 0));
      expect(infosets.size).to.equal(12);
      expect([...infosets].filter((k) => k.startsWith('0|'))).to.have.length(6);
      expect([...infosets].filter((k) => k.startsWith('1|'))).to.have.length(6);
    });

    it('has the game value -1/18 for seat 0 under every Nash policy, and 1/8 under uniform play', () => {
      for (const alpha of [0, 1 / 6, 0.2, 1 / 3]) expect(value(nash(alpha)), `alpha=${alpha}`).to.be.closeTo(-1 / 18, 1e-12);
      expect(value(() => 0.5)).to.be.closeTo(1 / 8, 1e-12);
      expect(value(() => 1)).to.not.be.closeTo(-1 / 18, 1e-3); // the evaluator is not blind to the policy
    });

    it('never shows the opponent card to a seat or the spectator before the showdown', () => {
      for (const betting of ['', 'p', 'b', 'pb']) {
        const a = play([0, 1], betting);
        const b = play([0, 2], betting);
        for (const viewer of [0, 'spectator'] as const) {
          expect(env.observationText(a, viewer)).to.equal(env.observationText(b, viewer));
          expect(env.view(a, viewer)).to.deep.equal(env.view(b, viewer));
          expect(Array.from(env.observationTensor(a, viewer))).to.deep.equal(Array.from(env.observationTensor(b, viewer)));
        }
      }
    });

    it('resamples only what the seat cannot see', () => {
      const s = play([1, 2], 'p');
      const rng = new Rng(3);
      const seen = new Set<number>();
      for (let i = 0; i < 50; i++) {
        const twin = env.resampleHidden!(s, 0, rng) as KuhnState;
        expect(twin.cards[0]).to.equal(1);
        seen.add(twin.cards[1]!);
      }
      expect([...seen].sort()).to.deep.equal([0, 2]);
    });
  });

  describe('text and actions', () => {
    it('writes TextArena-style prompts and reads replies in context', () => {
      const s = play([2, 0], '');
      const text = env.observationText(s, 0);
      expect(text).to.contain('Your card is: K').and.contain('Your available actions are: [check], [bet]');
      expect(parseActionText(env, s, 0, 'I will [Bet]')).to.equal(1);
      expect(parseActionText(env, s, 0, '\\boxed{check}')).to.equal(0);
      expect(tryParseActionText(env, s, 0, 'I [call]')).to.equal(undefined); // nobody has bet
      const facing = play([2, 0], 'b');
      expect(env.observationText(facing, 1)).to.contain('Your available actions are: [fold], [call]');
      expect(env.actionText(facing, 1, 0)).to.equal('[fold]');
      expect(parseActionText(env, facing, 1, '[CALL]')).to.equal(1);
      expect(tryParseActionText(env, facing, 1, '[bet]')).to.equal(undefined);
      expect(env.encodeAction(facing, 1, { move: 'check' })).to.equal(undefined);
      expect(env.encodeAction(facing, 1, { move: 'fold' })).to.equal(0);
    });
  });

  describe('several rounds (TextArena / SPIRAL KuhnPoker-v1)', () => {
    const five = { rounds: 5 };

    it('alternates the opener, grows the pot with bets and lets the chip leader win', () => {
      let s = play([2, 0], 'bb', five); // hand 1: seat 0 opens, wins 2
      expect(s.chips).to.equal(2);
      expect(env.turn(s).kind).to.equal('chance');
      s = play([0, 1], 'p', five, s); // hand 2: seat 1 opens
      expect(env.turn(s)).to.deep.equal({ kind: 'decision', seat: 0 });
      s = env.apply(s, 0, 0); // seat 0 checks back: showdown, seat 1's Q wins 1
      expect(s.chips).to.equal(1);
      expect(s.hands.map((h) => h.opener)).to.deep.equal([0, 1]);
      for (const betting of ['pp', 'pp', 'pp']) s = play([1, 0], betting, five, s); // seat 0 wins 1, 1, 1 (it holds Q vs J)
      expect(env.turn(s).kind).to.equal('terminal');
      expect(s.chips).to.equal(4);
      expect(env.returns(s)).to.deep.equal([1, -1]);
      expect(env.observationText(s, 1)).to.contain('Player 0 won by having more chips');
    });

    it('draws when the chips are level', () => {
      let s = play([2, 0], 'pp', { rounds: 2 });
      s = play([2, 0], 'pp', { rounds: 2 }, s); // seat 0 holds K again and wins
      expect(env.returns(s)).to.deep.equal([1, -1]);
      let t = play([2, 0], 'pp', { rounds: 2 });
      t = play([0, 2], 'pp', { rounds: 2 }, t);
      expect(t.chips).to.equal(0);
      expect(env.returns(t)).to.deep.equal([0, 0]);
    });

    it('can settle by chip difference', () => {
      let s = play([2, 0], 'bb', { rounds: 2, scoring: 'chips' });
      s = play([1, 0], 'pp', { rounds: 2, scoring: 'chips' }, s);
      expect(env.returns(s)).to.deep.equal([3, -3]);
      expect(env.dims(env.parseParams({ rounds: 2, scoring: 'chips' })).maxUtility).to.equal(4);
    });

    it('reproduces SPIRAL: seat 1 opens round 1, a fixed pot, and the last hand decides the game', () => {
      const compat = { rounds: 3, spiralCompat: true };
      let s = play([2, 0], '', compat);
      expect(env.turn(s)).to.deep.equal({ kind: 'decision', seat: 1 });
      s = play([2, 0], 'bb', compat); // seat 1 bets, seat 0 calls with K: the pot stays 2, +1 only
      expect(s.chips).to.equal(1);
      s = play([2, 0], 'bb', compat, s); // seat 0 opens hand 2 and wins again: +2 chips in total
      s = play([0, 2], 'pp', compat, s); // hand 3: seat 1 wins the last hand while behind on chips
      expect(s.chips).to.equal(1);
      expect(env.returns(s)).to.deep.equal([-1, 1]);
      expect(env.observationText(s, 0)).to.contain('declared the winner');
    });

    it('shows folded cards to nobody and showdown cards to everyone in later hands', () => {
      let s = play([2, 0], 'bp', five); // seat 1 folds: its J stays hidden
      s = play([0, 1], 'pp', five, s); // showdown: both cards shown
      const view = env.view(s, 0) as { hands: { cards: (string | null)[] }[] };
      expect(view.hands[0]!.cards).to.deep.equal(['K', null]);
      expect(view.hands[1]!.cards).to.deep.equal(['J', 'Q']);
      const spectator = env.view(s, 'spectator') as { hands: { cards: (string | null)[] }[] };
      expect(spectator.hands[0]!.cards).to.deep.equal([null, null]);
    });

    it('plays whole seeded episodes that replay exactly', () => {
      const episode = new Episode(env, five, 11);
      const rng = new Rng(11);
      while (!episode.isTerminal) {
        const turn = episode.turn;
        if (turn.kind === 'chance') episode.resolveChance();
        else if (turn.kind === 'decision') episode.step(turn.seat, rng.int(2));
      }
      const again = Episode.replay(env, JSON.parse(JSON.stringify(episode.toRecord())));
      expect(again.state).to.deep.equal(episode.state);
      expect(episode.returns[0]! + episode.returns[1]!).to.equal(0);
    });
    it('grows the pot by the ante and the bets, and scales the utility range with the ante', () => {
      const two = { ante: 2 };
      expect(env.returns(play([2, 0], 'pp', two))).to.deep.equal([2, -2]);
      expect(env.returns(play([0, 2], 'bp', two))).to.deep.equal([2, -2]);
      expect(env.returns(play([2, 1], 'pbb', two))).to.deep.equal([3, -3]);
      expect(env.dims(env.parseParams(two))).to.include({ minUtility: -3, maxUtility: 3 });
      expect(env.observationText(play([2, 0], 'b', two), 1)).to.contain('Pot: 5 chips.');
    });

    it('lets firstSeat and alternate choose the openers', () => {
      const fixed = { rounds: 3, firstSeat: 1, alternate: false };
      let s = play([2, 0], 'pp', fixed);
      s = play([2, 0], 'pp', fixed, s);
      expect(env.turn(play([2, 0], '', fixed, s))).to.deep.equal({ kind: 'decision', seat: 1 });
      expect(s.hands.map((h) => h.opener)).to.deep.equal([1, 1]);
      const spiralSeat0 = { rounds: 2, spiralCompat: true, firstSeat: 0 };
      expect(env.turn(play([2, 0], '', spiralSeat0))).to.deep.equal({ kind: 'decision', seat: 0 });
    });

    it("writes SPIRAL's showdown and fold messages, with the fixed pot under spiralCompat", () => {
      const compat = { rounds: 2, spiralCompat: true };
      let s = play([2, 0], 'bb', compat); // seat 1 opens and bets, seat 0 calls with K
      const text = env.observationText(s, 1);
      expect(text).to.contain('Cards: Player 0 had K, Player 1 had J');
      expect(text).to.contain("Showdown: Player 0's K beats Player 1's J. Player 0 wins pot of 2 chips.");
      s = play([0, 1], 'bp', compat, s); // seat 0 opens and bets, seat 1 folds
      expect(env.observationText(s, 0)).to.contain('Player 1 has folded. Player 0 wins pot of 2 chips.');
      expect(env.returns(s)).to.deep.equal([1, -1]);
      const fair = play([2, 0], 'pbb', { rounds: 2 });
      expect(env.observationText(fair, 'spectator')).to.contain('Player 0 wins pot of 4 chips.');
    });

    it('lays out one tensor block per hand, keeping finished hands (hand-built example)', () => {
      const s = play([2, 0], 'pp', { rounds: 2 }); // K vs J, check-check: both cards shown
      const expected = new Array<number>(2 + 2 * 12).fill(0);
      expected[0] = 1; // seat 0
      expected[2 + 2] = 1; // own card K
      expected[2 + 3] = 1; // row 0: pass
      expected[2 + 5] = 1; // row 1: pass
      expected[2 + 9 + 0] = 1; // the opponent showed J
      expect(Array.from(env.observationTensor(s, 0))).to.deep.equal(expected);
      const spectator = Array.from(env.observationTensor(s, 'spectator'));
      expect([spectator[4], spectator[11]]).to.deep.equal([1, 1]); // seat 0's K, seat 1's J, after the showdown
    });

    it('has perfect recall: (seat, tensor) pairs match what each seat has seen, one to one', () => {
      const seen = (s: KuhnState, seat: number): string => {
        const past = s.hands.map((h) => `${h.cards[seat]}${h.history}${h.showdown ? h.cards[1 - seat] : '?'}`);
        return [...past, `${s.cards[seat] ?? '-'}${s.history}`].join('/');
      };
      const byTensor = new Map<string, Set<string>>();
      const byHistory = new Map<string, Set<string>>();
      const walk = (s: KuhnState): void => {
        const turn = env.turn(s);
        if (turn.kind === 'terminal') return;
        if (turn.kind === 'chance') {
          for (const o of env.chanceOutcomes(s)) walk(env.apply(s, 'chance', o.action));
          return;
        }
        if (turn.kind !== 'decision') throw new Error('unexpected node');
        const tensor = `${turn.seat}|${env.observationTensor(s, turn.seat).join('')}`;
        const history = `${turn.seat}|${seen(s, turn.seat)}`;
        (byTensor.get(tensor) ?? byTensor.set(tensor, new Set()).get(tensor)!).add(history);
        (byHistory.get(history) ?? byHistory.set(history, new Set()).get(history)!).add(tensor);
        for (const a of env.legalActions(s, turn.seat)) walk(env.apply(s, turn.seat, a));
      };
      walk(env.init(env.parseParams({ rounds: 2 }), 0));
      expect([...byTensor.values()].every((set) => set.size === 1)).to.equal(true);
      expect([...byHistory.values()].every((set) => set.size === 1)).to.equal(true);
      // Hand 1: OpenSpiel's 12. A seat's view of a finished hand 1: own card (3) x either a fold (bp, pbp; the other
      // card unseen) or a showdown (pp, bb, pbb) with one of the 2 other cards shown = 3 x (2 + 3 x 2) = 24. In hand 2
      // each seat acts in 2 betting situations with 3 cards: 6. Total 12 + 2 seats x 24 x 6 = 300.
      expect(byTensor.size).to.equal(12 + 2 * (3 * (2 + 3 * 2)) * 6);
    });

    it('resamples folded cards but keeps showdown cards, and leaks nothing to either seat or the spectator', () => {
      let s = play([2, 0], 'bp', five); // seat 1's J folded: hidden from seat 0
      s = play([0, 1], 'pp', five, s); // showdown: both shown
      s = play([1, 2], 'p', five, s);
      const rng = new Rng(5);
      const folded = new Set<number>();
      for (let i = 0; i < 40; i++) {
        const twin = env.resampleHidden!(s, 0, rng) as KuhnState;
        folded.add(twin.hands[0]!.cards[1]);
        expect(twin.hands[0]!.cards[0]).to.equal(2);
        expect(twin.hands[1]!.cards).to.deep.equal([0, 1]);
        expect(twin.cards[0]).to.equal(1);
        expect(twin.chips).to.equal(s.chips);
      }
      expect([...folded].sort()).to.deep.equal([0, 1]);
      checkNoLeak(env, s, { key: env.key, params: s.params }, { twins: 8, rng });
    });
  });

  describe('params and states', () => {
    it('rejects bad params with BadParamsError naming the field', () => {
      const bad = [{ rounds: 0 }, { rounds: 101 }, { ante: 0 }, { firstSeat: 2 }, { colour: 'red' }, { spiralCompat: true, scoring: 'chips' }];
      for (const params of bad) {
        expect(() => env.parseParams(params), JSON.stringify(params))
          .to.throw(BadParamsError)
          .with.property('code', 'bad-params');
      }
      expect(() => env.parseParams({ spiralCompat: true, scoring: 'chips' })).to.throw(/scoring/);
      expect(env.parseParams({})).to.deep.equal({ rounds: 1, ante: 1, alternate: true, spiralCompat: false });
    });

    it('deserializes only states that the rules can reach', () => {
      const s = play([2, 0], 'bb', { rounds: 3 });
      expect(env.deserialize(JSON.parse(JSON.stringify(s)))).to.deep.equal(s);
      const tampered: unknown[] = [
        { ...s, chips: 1 },
        { ...s, hands: [{ ...s.hands[0]!, winner: 1 }] },
        { ...s, hands: [{ ...s.hands[0]!, amount: 1 }] },
        { ...s, hands: [{ ...s.hands[0]!, cards: [2, 2] }] },
        { ...s, cards: [1, 1] },
        { ...s, history: 'pp' },
        { ...s, history: 'b' }, // betting before the cards are dealt
      ];
      for (const state of tampered) expect(() => env.deserialize(state), JSON.stringify(state)).to.throw(BadParamsError);
    });

    it('gives every viewer a text, tensor and view at every node of a seeded game', () => {
      const episode = new Episode(env, { rounds: 3, ante: 2 }, 4);
      const rng = new Rng(4);
      const viewers: Viewer[] = [0, 1, 'spectator'];
      while (!episode.isTerminal) {
        for (const viewer of viewers) expect(env.observationText(episode.state, viewer)).to.be.a('string').and.not.equal('');
        const turn = episode.turn;
        if (turn.kind === 'chance') episode.resolveChance();
        else if (turn.kind === 'decision') episode.step(turn.seat, rng.int(2));
      }
      expect(env.observationText(episode.state, 0).split('\n').pop()).to.match(/^Game over: /);
    });
  });
});
