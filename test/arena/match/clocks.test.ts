import { expect } from 'chai';
import { MatchClocks } from '../../../arena/match/clocks.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

describe('arena/match/clocks', () => {
  it('gives each acting seat the move time when there is no bank', () => {
    const clock = new FakeClock(1000);
    const clocks = new MatchClocks(clock, 3, 500);
    clocks.startTurn([0, 2]);
    expect(clocks.allDeadlines()).to.deep.equal([1500, null, 1500]);
    expect(clocks.timeBanks()).to.deep.equal([null, null, null]);
  });

  it('charges thinking time to the bank and cuts deadlines to what is left', () => {
    const clock = new FakeClock(0);
    const clocks = new MatchClocks(clock, 2, 1000, 1500);
    clocks.startTurn([0]);
    clock.advance(900);
    clocks.stop(0);
    expect(clocks.timeBanks()).to.deep.equal([600, 1500]);
    clocks.startTurn([0]);
    expect(clocks.deadline(0)).to.equal(900 + 600);
    clocks.stop(0);
    clocks.stop(0);
    expect(clocks.timeBanks(), 'a second stop charges nothing').to.deep.equal([600, 1500]);
  });

  it('fires an armed deadline once, and never after stop or clear', () => {
    const clock = new FakeClock(0);
    const clocks = new MatchClocks(clock, 2, 100);
    const fired: number[] = [];
    clocks.startTurn([0, 1]);
    clocks.arm(0, () => fired.push(0));
    clocks.arm(1, () => fired.push(1));
    clocks.stop(1);
    clock.advance(100);
    clock.advance(100);
    expect(fired).to.deep.equal([0]);
    clocks.startTurn([0]);
    clocks.arm(0, () => fired.push(2));
    clocks.clear();
    clock.advance(1000);
    expect(fired).to.deep.equal([0]);
    expect(clock.pending).to.equal(0);
  });
});
