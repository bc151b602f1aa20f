import { expect } from 'chai';
import { LudusAgentClient, type ReportedError } from '../../../agents/remote/ludus-agent-client.ts';
import { tugOfWar } from '../match/tug-of-war-env.ts';
import { CALM, startGateway, type LiveGateway } from './gateway-harness.ts';

describe('arena/gateway/socketio-gateway: real-time matches', () => {
  let live: LiveGateway;
  const clients: LudusAgentClient[] = [];

  before(async () => {
    live = await startGateway();
    live.matches.testEnvs.set(tugOfWar.key, tugOfWar);
  });

  after(async () => {
    for (const client of clients) client.close();
    await live.close();
  });

  it('plays a real-time match with decision handlers answering ticks as inputs, over the connection budget', async () => {
    // Consumed inputs at 100 Hz: the puller must send a fresh input every tick, far more than
    // the connection's own bucket (40, then 20/s) would let through; the match's budget takes them.
    const { matchId, seatTokens } = await live.matches.create({
      env: tugOfWar.key,
      params: { goal: 60, maxTicks: 100_000, tickHz: 100, input: 'consumed' },
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: { ...CALM, rateLimit: { capacity: 20, refillPerSecond: 10 } },
    });
    const errors: ReportedError[] = [];
    const [puller, rester] = await Promise.all([LudusAgentClient.connect(live.url), LudusAgentClient.connect(live.url)]);
    clients.push(puller, rester);
    puller.onDecision(() => 1).onError((error) => errors.push(error));
    rester.onDecision(() => 0).onError((error) => errors.push(error));
    await puller.join(matchId, seatTokens[0]!);
    await rester.join(matchId, seatTokens[1]!);
    const [end] = await Promise.all([puller.result(matchId), rester.result(matchId)]);
    expect(end.returns).to.deep.equal([1, -1]);
    expect(errors).to.deep.equal([]);
    const runner = live.matches.get(matchId)!;
    expect((runner.state as { knot: number }).knot).to.equal(-60);
    expect(runner.tick).to.be.at.least(60);
  });
});
