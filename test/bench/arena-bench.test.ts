import { expect } from 'chai';
import { runArenaBench } from '../../bench/arena.ts';

describe('bench/arena', () => {
  it('plays matches over both transports with nothing lost or duplicated', async function () {
    this.timeout(30_000);
    const result = await runArenaBench({ matches: 4, seconds: 2, warmupSeconds: 0, drainSeconds: 10, seed: 7, rateLimit: 'default' });
    expect(result.lost, JSON.stringify(result)).to.equal(0);
    expect(result.duplicated, JSON.stringify(result)).to.equal(0);
    expect(result.decisionsPerSec as number).to.be.greaterThan(0);
    const transports = result.transports as Record<string, { decisions: number }>;
    expect(transports.socketio!.decisions).to.be.greaterThan(0);
    expect(transports.colyseus!.decisions).to.be.greaterThan(0);
    expect(result.replaysVerified).to.equal(result.matches);
    expect(result.matches as number).to.be.greaterThan(0);
  });
});
