import { expect } from 'chai';
import { FirstLegalAgent } from '../../../agents/scripted/first-legal-agent.ts';
import { SeatMap } from '../../../arena/match/seat-map.ts';

describe('arena/match/seat-map', () => {
  const make = () =>
    new SeatMap([
      { kind: 'remote', token: 'alpha', name: 'alice' },
      { kind: 'agent', agent: new FirstLegalAgent() },
      { kind: 'remote', token: 'gamma' },
    ]);

  it('finds a remote seat by its token only', () => {
    const seats = make();
    expect([seats.seatForToken('alpha'), seats.seatForToken('gamma'), seats.seatForToken('beta'), seats.seatForToken('')]).to.deep.equal([
      0,
      2,
      undefined,
      undefined,
    ]);
    expect(seats.players()).to.deep.equal([
      { seat: 0, kind: 'remote', name: 'alice' },
      { seat: 1, kind: 'agent', name: 'first-legal' },
      { seat: 2, kind: 'remote', name: 'seat 2' },
    ]);
  });

  it('binds, moves and releases sessions; agent seats always count as connected', () => {
    const seats = make();
    expect(seats.connectedFlags()).to.deep.equal([false, true, false]);
    expect(seats.bind(0, 'a')).to.equal(null);
    expect(seats.bind(2, 'a')).to.equal(null);
    expect(seats.seatsOf('a')).to.deep.equal([0, 2]);
    expect(seats.bind(2, 'b')).to.equal('a');
    seats.addSpectator('s');
    expect(seats.sessions()).to.deep.equal(['a', 'b', 's']);
    expect(seats.release('a')).to.deep.equal([0]);
    expect(seats.release('s')).to.deep.equal([]);
    expect(seats.isSpectator('s')).to.equal(false);
    expect(seats.connectedFlags()).to.deep.equal([false, true, true]);
  });

  it('turns a spectator that joins a seat into a player', () => {
    const seats = make();
    seats.addSpectator('s');
    seats.bind(0, 's');
    expect([seats.isSpectator('s'), seats.spectators(), seats.sessionOf(0)]).to.deep.equal([false, [], 's']);
  });
});
