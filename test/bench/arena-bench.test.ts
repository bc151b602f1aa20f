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
    // The default rate limits let agents answering at full speed through: not one refusal.
    expect(result.errors).to.deep.equal({});
    expect(result.serverCpuMsPerDecision as number).to.be.greaterThan(0);
  });

  it('plays several matches per socket.io connection', async function () {
    this.timeout(30_000);
    const result = await runArenaBench({ matches: 6, perConnection: 3, seconds: 2, warmupSeconds: 0, drainSeconds: 10, seed: 8, rateLimit: 'default' });
    expect(result.socketIoConnections).to.equal(2);
    expect([result.lost, result.duplicated, result.errors], JSON.stringify(result)).to.deep.equal([0, 0, {}]);
    expect(result.replaysVerified).to.equal(result.matches);
  });
});
