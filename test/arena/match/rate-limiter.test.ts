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

  it('scales the burst and the refill by the scale of each take', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 4, maxViolations: 10 }, clock);
    const takes = (n: number, scale: number) => Array.from({ length: n }, () => limiter.take('a', scale));
    expect(takes(7, 3)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'limited']);
    clock.advance(250); // 4 x 3 per second: three tokens back
    expect(takes(4, 3)).to.deep.equal(['ok', 'ok', 'ok', 'limited']);
    clock.advance(250); // at scale 1 only one comes back, and the bucket holds at most 2
    expect(takes(2, 1)).to.deep.equal(['ok', 'limited']);
  });

  it('credits one token per call, up to the capacity at the given scale; an unknown key is full already', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 0.001, maxViolations: 10 }, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).to.deep.equal(['ok', 'ok', 'limited']);
    limiter.credit('a');
    expect([limiter.take('a'), limiter.take('a')]).to.deep.equal(['ok', 'limited']);
    for (let i = 0; i < 10; i++) limiter.credit('a');
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')], 'capped at capacity').to.deep.equal(['ok', 'ok', 'limited']);
    for (let i = 0; i < 10; i++) limiter.credit('a', 2);
    expect(
      Array.from({ length: 5 }, () => limiter.take('a', 2)),
      'capped at capacity x 2',
    ).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'limited']);
    limiter.credit('b');
    expect(limiter.size).to.equal(1);
  });
});
