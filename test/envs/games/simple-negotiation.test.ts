import { expect } from 'chai';
import { describe, it } from 'mocha';
import { Episode } from '../../../envs/core/episode.ts';
import { simpleNegotiation } from '../../../envs/games/simple-negotiation/index.ts';
import { parseOffer, pyTitle } from '../../../envs/games/simple-negotiation/offers.ts';

const WOOD_GOLD = ['Wood', 'Gold'];

describe('simple-negotiation-v1', () => {
  it('parses the offer grammar as TextArena does', () => {
    const offer = parseOffer('I give 2 wood and 1 WOOD, 1 gold -> 3 Golds.', WOOD_GOLD, { Woods: 'Wood', Golds: 'Gold' })!;
    expect([...offer.give]).to.deep.equal([
      ['Wood', 3],
      ['Gold', 1],
    ]);
    expect([...offer.take]).to.deep.equal([['Gold', 3]]);
    expect(parseOffer('2 Wood', WOOD_GOLD, {})).to.equal(undefined);
    expect(parseOffer('0 Wood -> 1 Gold', WOOD_GOLD, {})).to.equal(undefined);
    expect(parseOffer('2 Silver -> 1 Gold', WOOD_GOLD, {})).to.equal(undefined);
    expect(pyTitle("gold coin's")).to.equal("Gold Coin'S");
  });

  it('plays the worked example: two trades, the larger gain wins', () => {
    const episode = new Episode(simpleNegotiation, {}, 0);
    const say = (seat: number, text: string): void => {
      expect(episode.stepText(seat, text).kind, text).to.equal('move');
    };
    say(0, 'Wood is worth little to me. [Offer: 4 Wood -> 2 Gold]');
    say(1, 'Deal. [Accept]');
    expect(episode.state.log).to.have.length(2);
    expect(simpleNegotiation.view(episode.state, 0)).to.deep.include({ own: { resources: { Wood: 6, Gold: 12 }, values: { Wood: 5, Gold: 15 }, gain: 10 } });
    say(0, '[Offer: 2 Gold -> 5 Wood]');
    say(1, '[Accept]');
    for (let i = 0; i < 6; i++) say(i % 2, 'What are you looking to trade?');
    expect(episode.isTerminal).to.equal(true);
    expect(simpleNegotiation.view(episode.state, 0)).to.deep.include({ own: { resources: { Wood: 11, Gold: 10 }, values: { Wood: 5, Gold: 15 }, gain: 5 } });
    expect(simpleNegotiation.view(episode.state, 1)).to.deep.include({ own: { resources: { Wood: 9, Gold: 10 }, values: { Wood: 15, Gold: 5 }, gain: -15 } });
    expect(episode.returns).to.deep.equal([1, -1]);
    expect(simpleNegotiation.observationText(episode.state, 1)).to.include(
      '[GAME] Player 0 won the game. Reason: Player 0 won by having a larger gain in inventory value.',
    );
  });

  it('treats accepting an offer made to someone else as an invalid move, and keeps private values out of the other view', () => {
    const episode = new Episode(simpleNegotiation, { variant: 'textarena-v0' }, 7);
    const p0 = simpleNegotiation.observationText(episode.state, 0);
    const p1 = simpleNegotiation.observationText(episode.state, 1);
    expect(p0).to.include('You are Player 0').and.not.include('You are Player 1');
    expect(p1).to.not.include(p0.split('\n')[4]!);
    const v1 = new Episode(simpleNegotiation, {}, 0);
    v1.stepText(0, '[Offer: 1 Wood -> 1 Gold]');
    v1.stepText(1, 'Let me think about what would be a fair trade.');
    expect(v1.stepText(0, 'Fine, [Accept]')).to.deep.include({
      kind: 'invalid',
      final: true,
      reason: 'Player 0 tried to accept an offer that was not made to them.',
    });
    expect(v1.returns).to.deep.equal([-1, 0]);
  });
});
