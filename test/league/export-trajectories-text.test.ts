import { expect } from 'chai';
import { describe, it } from 'mocha';
import { Episode } from '../../envs/core/episode.ts';
import { simpleNegotiation } from '../../envs/games/simple-negotiation/index.ts';
import { matchSteps } from '../../league/export-trajectories.ts';
import type { LeagueRow, MatchRow } from '../../league/storage/league-store.ts';

describe('league trajectories of a text env', () => {
  it('replays text entries: the reply is the move, the verdict names what it did, rewards land on the last move', () => {
    const episode = new Episode(simpleNegotiation, {}, 0);
    episode.stepText(0, '[Offer: 4 Wood -> 2 Gold]');
    episode.stepText(1, '[Accept]');
    for (let i = 0; i < 8; i++) episode.stepText(i % 2, 'What are you looking to trade?');
    const league = { name: 'talk', env: simpleNegotiation.key } as LeagueRow;
    const match = {
      index: 0,
      seed: 0,
      seats: ['a', 'b'],
      returns: episode.returns,
      length: 10,
      status: 'finished',
      fault: null,
      record: episode.toRecord(),
      notes: null,
    } as MatchRow;
    const steps = matchSteps(simpleNegotiation, league, match, episode.toRecord());
    expect(steps).to.have.length(10);
    expect(steps[0]).to.deep.include({ seat: 0, turn: 0, reply: '[Offer: 4 Wood -> 2 Gold]', action: null, actionText: 'offer: 4 Wood -> 2 Gold', reward: 0 });
    expect(steps[0]!.observation).to.include('You are Player 0 in the Negotiation Game.');
    expect(steps[1]).to.deep.include({ seat: 1, actionText: 'accept' });
    expect(steps.filter((s) => s.done).map((s) => [s.seat, s.reward])).to.deep.equal([
      [0, -1],
      [1, 1],
    ]);
  });
});
