import { expect } from 'chai';
import { runAgentProcess, type AgentProcessEvent } from '../../../agents/remote/agent-process.ts';
import { registerAgent, startArena, until, type LiveArena } from '../remote/arena-harness.ts';
import { ChatServer, firstListedMove, lastUserText } from './chat-server.ts';

describe('agents/llm as a `ludus agent` process (arena + loopback chat-completions server)', () => {
  let live: LiveArena;
  let server: ChatServer;
  before(async () => {
    live = await startArena();
    server = await ChatServer.start(firstListedMove);
  });
  after(async () => {
    await live.close();
    await server.close();
  });

  it('plays assigned matches from the wire observation, parsing replies against the wire legal actions', async () => {
    const token = await registerAgent(live, 'proc-llm');
    const events: AgentProcessEvent[] = [];
    const done = runAgentProcess({
      serverUrl: live.url,
      token,
      policy: `llm:model=remote-model,baseUrl=${server.baseUrl}`,
      maxMatches: 2,
      connectAttempts: 1,
      onEvent: (event) => events.push(event),
    });
    await until(() => live.isOnline('proc-llm'), 'the llm agent to come online');
    const ids = [
      (await live.assignMatch('proc-llm', 'tic-tac-toe-v1', 'first-legal')).matchId,
      (await live.assignMatch('proc-llm', 'kuhn-poker-v1', 'random')).matchId,
    ];
    const summary = await done;
    expect(summary).to.include({ matches: 2, failed: 0, stopReason: 'max-matches' });
    const matches = events.flatMap((e) => (e.kind === 'match' ? [e] : []));
    for (const id of ids) expect((await live.arena.matches.summary(id))!.status).to.equal('finished');
    const decisions = matches.reduce((n, e) => n + e.decisions, 0);
    expect(server.requests).to.have.length(decisions);
    expect(matches.reduce((n, e) => n + (e.usage?.moves ?? 0), 0)).to.equal(decisions);
    expect(matches.reduce((n, e) => n + (e.usage?.completionTokens ?? 0), 0)).to.equal(5 * decisions);
    expect(server.requests.some((r) => lastUserText(r).includes('Your card is:'))).to.equal(true);
  });

  it('plays a text-only env from the wire: the raw reply is sent as { text } and the server env judges it', async () => {
    const token = await registerAgent(live, 'proc-llm-text');
    const events: AgentProcessEvent[] = [];
    const before = server.requests.length;
    server.setScript(() => ({ reply: 'Happy to trade. [Offer: 1 Wood -> 1 Gold]' }));
    const done = runAgentProcess({
      serverUrl: live.url,
      token,
      policy: `llm:model=remote-model,baseUrl=${server.baseUrl}`,
      maxMatches: 1,
      connectAttempts: 1,
      onEvent: (event) => events.push(event),
    });
    await until(() => live.isOnline('proc-llm-text'), 'the llm agent to come online');
    // The opponent is the server's own random agent, which plays the env's sampled replies.
    const { matchId } = await live.assignMatch('proc-llm-text', 'simple-negotiation-v1', 'random');
    const summary = await done;
    expect(summary).to.include({ matches: 1, failed: 0 });
    expect(events.filter((e) => e.kind === 'error')).to.deep.equal([]);
    expect((await live.arena.matches.summary(matchId))!.status).to.equal('finished');
    const record = (await live.arena.matches.replay(matchId))!;
    const ours = record.history.filter((e) => e.kind === 'text' && e.seat === 0);
    expect(ours).to.have.length(5);
    expect(ours.every((e) => e.kind === 'text' && e.text === 'Happy to trade. [Offer: 1 Wood -> 1 Gold]')).to.equal(true);
    expect(server.requests.length - before).to.equal(5);
    expect(lastUserText(server.requests[before]!)).to.include('You are Player 0 in the Negotiation Game.');
    const match = events.find((e) => e.kind === 'match');
    expect(match?.kind === 'match' && match.usage?.moves).to.equal(5);
  });
});
