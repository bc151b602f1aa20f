import { expect } from 'chai';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { Episode, getEnv } from '../../../envs/index.ts';
import type { DecisionMessage, MatchEndMessage } from '../../../protocol/index.ts';
import { CALM, startGateway, until, type LiveGateway } from './gateway-harness.ts';

const negotiation = getEnv('simple-negotiation-v1');

describe('arena/gateway/socketio-gateway: free-text moves of text envs', () => {
  let live: LiveGateway;
  const clients: LudusAgentClient[] = [];
  const client = async (): Promise<LudusAgentClient> => {
    const c = await LudusAgentClient.connect(live.url);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    live = await startGateway();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await live.close();
  });

  it('plays simple-negotiation to its end with { text } answers; every ack carries the verdict; the record replays', async () => {
    const { matchId, seatTokens } = await live.matches.create({
      env: 'simple-negotiation-v1',
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: CALM,
    });
    const [a, b] = [await client(), await client()];
    const seen: DecisionMessage[] = [];
    const replies = (d: DecisionMessage): string =>
      d.stepIndex === 0 ? 'Gold is dear to me. [Offer: 5 Wood -> 2 Gold]' : d.stepIndex === 1 ? 'Fine. [Accept]' : `Nothing more (turn ${d.stepIndex}).`;
    for (const c of [a, b])
      c.onDecision((d) => {
        seen.push(d);
        return { text: replies(d) };
      });
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    const [end] = (await Promise.all([a.result(matchId), b.result(matchId)])) as MatchEndMessage[];
    const runner = live.matches.get(matchId)!;
    expect(end!.reason).to.equal('terminal');
    expect(seen).to.have.length(10);
    for (const d of seen) {
      expect(d.legalActions).to.deep.equal([]);
      expect(d.textActions).to.deep.equal({ maxChars: 4096 });
      expect(d.rolePrompt).to.include(`You are Player ${d.seat} in the Negotiation Game.`);
    }
    const record = runner.record();
    expect(record.history.map((e) => e.kind === 'text' && e.text)).to.deep.equal(seen.map(replies));
    // Seat 0 gave 5 Wood (5 each to it) for 2 Gold (15 each): +5. Seat 1, valuing Wood 15 and Gold 5, gained 65: it wins.
    expect(end!.returns).to.deep.equal([-1, 1]);
    expect(Episode.replay(negotiation, record).returns).to.deep.equal(end!.returns);
  });

  it("acks an invalid move as committed with the env's verdict (a game event), and refuses ids with bad-action", async () => {
    const { matchId, seatTokens } = await live.matches.create({
      env: 'simple-negotiation-v1',
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: CALM,
    });
    const [a, b] = [await client(), await client()];
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    const runner = live.matches.get(matchId)!;
    await until(() => runner.isStarted, 'the match to start');
    const refused = await a.emitWithAck('act', { matchId, stepIndex: 0, action: { id: 0 } });
    expect(refused.ok === false && refused.error.code).to.equal('bad-action');
    const ack = await a.emitWithAck('act', { matchId, stepIndex: 0, action: { text: 'All yours: [Offer: 50 Wood -> 1 Gold]' } });
    expect(ack.ok && ack.result.type === 'committed' && ack.result.action.verdict).to.deep.include({ kind: 'invalid', final: true });
    const end = await a.result(matchId);
    expect(end.returns).to.deep.equal([-1, 0]);
    expect(runner.record().history).to.deep.equal([{ kind: 'text', seat: 0, text: 'All yours: [Offer: 50 Wood -> 1 Gold]' }]);
  });
});
