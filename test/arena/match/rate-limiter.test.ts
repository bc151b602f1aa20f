import { expect } from 'chai';
import { RateLimiter } from '../../../arena/match/rate-limiter.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

describe('arena/match/rate-limiter', () => {
  it('allows a burst of `capacity`, then refills at the given rate', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 4, maxViolations: 10 }, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal(['ok', 'ok', 'limited']);
    clock.advance(250); // one token back at 4 per second
    expect([limiter.take('a'), limiter.take('a')]).to.deep.equal(['ok', 'limited']);
    clock.advance(10_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal(['ok', 'ok', 'limited']);
  });

  it('says kick after maxViolations refusals in a row, and forgets a key', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, maxViolations: 2 }, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).to.deep.equal(['ok', 'limited', 'kick', 'ok']);
    limiter.forget('a');
    expect(limiter.take('a')).to.equal('ok');
  });
});
