import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgentProcess, type AgentProcessEvent, type AgentProcessOptions, type AgentProcessSummary } from '../../../agents/remote/agent-process.ts';
import { RemoteAgentError } from '../../../agents/remote/ludus-agent-client.ts';
import { resolvePolicy } from '../../../agents/remote/resolve-policy.ts';
import { saveModel } from '../../../agents/runtime/model-io.ts';
import { createPolicyModel } from '../../../agents/runtime/policy-model.ts';
import { closeSharedRuntime } from '../../../agents/runtime/shared-runtime.ts';
import { getEnv } from '../../../envs/index.ts';
import { useBackend } from '../runtime/fixtures.ts';
import { registerAgent, startArena, until, type LiveArena } from './arena-harness.ts';

interface Started {
  readonly done: Promise<AgentProcessSummary>;
  readonly events: AgentProcessEvent[];
  readonly stop: AbortController;
}

describe('agents/remote/agent-process', () => {
  let live: LiveArena;
  before(async () => {
    live = await startArena();
  });
  after(async () => {
    await live.close();
    await closeSharedRuntime();
  });

  const start = async (agentId: string, options: Partial<AgentProcessOptions> = {}): Promise<Started> => {
    const token = await registerAgent(live, agentId);
    const events: AgentProcessEvent[] = [];
    const stop = new AbortController();
    const done = runAgentProcess({
      serverUrl: live.url,
      token,
      policy: 'random',
      signal: stop.signal,
      connectAttempts: 1,
      onEvent: (event) => events.push(event),
      ...options,
    });
    done.catch(() => undefined); // awaited by the test
    return { done, events, stop };
  };
  const matchEvents = (events: AgentProcessEvent[]) => events.flatMap((e) => (e.kind === 'match' ? [e] : []));

  it('plays every assigned match to the end, counts W/D/L and stops after --max-matches', async () => {
    const run = await start('proc-random', { maxMatches: 3 });
    await until(() => live.isOnline('proc-random'), 'the agent to come online');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await live.assignMatch('proc-random', 'tic-tac-toe-v1', 'first-legal')).matchId);
    const summary = await run.done;
    expect(summary.stopReason).to.equal('max-matches');
    expect(summary.matches).to.equal(3);
    expect(summary.wins + summary.draws + summary.losses).to.equal(3);
    expect(summary.failed).to.equal(0);
    expect(
      matchEvents(run.events)
        .map((e) => e.matchId)
        .sort(),
    ).to.deep.equal([...ids].sort());
    for (const id of ids) {
      const view = (await live.arena.matches.summary(id))!;
      expect(view.status).to.equal('finished');
      const mine = matchEvents(run.events).find((e) => e.matchId === id)!;
      expect(mine.returns).to.deep.equal(view.returns);
      // tic-tac-toe: seat 0 makes ceil(steps / 2) moves
      expect(mine.decisions).to.equal(Math.ceil(view.stepIndex / 2));
    }
    expect(summary.decisions).to.equal(matchEvents(run.events).reduce((sum, e) => sum + e.decisions, 0));
    await until(() => !live.isOnline('proc-random'), 'the agent to leave the lobby');
  });

  it('queues for an env, plays each pairing at the move time it asked for, and queues again', async () => {
    const a = await start('queue-a', { maxMatches: 2, queue: { env: 'tic-tac-toe-v1', moveTimeMs: 120_000 } });
    const b = await start('queue-b', { maxMatches: 2, queue: { env: 'tic-tac-toe-v1' } });
    const [sa, sb] = await Promise.all([a.done, b.done]);
    expect([sa.stopReason, sb.stopReason]).to.deep.equal(['max-matches', 'max-matches']);
    expect([sa.matches, sb.matches, sa.failed, sb.failed]).to.deep.equal([2, 2, 0, 0]);
    const ids = matchEvents(a.events)
      .map((e) => e.matchId)
      .sort();
    expect(
      matchEvents(b.events)
        .map((e) => e.matchId)
        .sort(),
    ).to.deep.equal(ids);
    for (const id of ids) {
      expect(live.arena.matches.get(id)!.settings.moveTimeMs).to.equal(120_000);
      expect((await live.arena.matches.summary(id))!.seats.map((s) => s.agentId).sort()).to.deep.equal(['queue-a', 'queue-b']);
    }
  });

  it("stops with the server's refusal when the queue refuses its env", async () => {
    const run = await start('queue-bad', { queue: { env: 'no-such-game-v1' } });
    const error = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RemoteAgentError);
    expect((error as RemoteAgentError).code).to.equal('unknown-env');
  });

  it('on a stop signal leaves the lobby, lets the running match finish and reports it', async () => {
    const run = await start('proc-stop', { drainMs: 60_000 });
    await until(() => live.isOnline('proc-stop'), 'the agent to come online');
    const { matchId } = await live.assignMatch('proc-stop', 'connect-four-v1', 'random');
    await until(() => run.events.some((e) => e.kind === 'assigned'), 'the assignment');
    run.stop.abort();
    const summary = await run.done;
    expect(summary.stopReason).to.equal('signal');
    expect(summary.matches).to.equal(1);
    expect((await live.arena.matches.summary(matchId))?.status).to.equal('finished');
    expect(live.isOnline('proc-stop')).to.equal(false);
  });

  it('rejects a refused token with unauthorized, without retrying', async () => {
    const events: AgentProcessEvent[] = [];
    const error = await runAgentProcess({ serverUrl: live.url, token: 'nobody', policy: 'random', onEvent: (e) => events.push(e) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RemoteAgentError);
    expect((error as RemoteAgentError).code).to.equal('unauthorized');
    expect(events.filter((e) => e.kind === 'retrying')).to.deep.equal([]);
  });

  it('retries an unreachable server a limited number of times, then gives up with client-connect', async () => {
    const events: AgentProcessEvent[] = [];
    const error = await runAgentProcess({
      serverUrl: 'http://127.0.0.1:9',
      token: 't',
      policy: 'random',
      connectAttempts: 3,
      retryDelayMs: 1,
      onEvent: (e) => events.push(e),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as RemoteAgentError).code).to.equal('client-connect');
    expect(events.filter((e) => e.kind === 'retrying').map((e) => (e as { attempt: number }).attempt)).to.deep.equal([1, 2]);
  });

  it('stops with agent-needs-state when the policy is a search agent', async () => {
    const run = await start('proc-mcts', { policy: 'mcts:sims=10' });
    await until(() => live.isOnline('proc-mcts'), 'the agent to come online');
    await live.assignMatch('proc-mcts');
    const error = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).to.equal('agent-needs-state');
  });

  it("stops with agent-needs-state when random is assigned a text-only env (its replies come from the server's sampler)", async () => {
    const run = await start('proc-random-text', { policy: 'random' });
    await until(() => live.isOnline('proc-random-text'), 'the agent to come online');
    await live.assignMatch('proc-random-text', 'simple-negotiation-v1');
    const error = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).to.equal('agent-needs-state');
  });

  it('resolves a league member agentId to its stored agent spec', async () => {
    await live.arena.matches.create({
      env: 'tic-tac-toe-v1',
      seats: [
        { kind: 'agent', agent: 'first-legal', agentId: 'fl-member' },
        { kind: 'agent', agent: 'random' },
      ],
    });
    const resolved = await resolvePolicy('fl-member', { serverUrl: live.url });
    expect(resolved).to.deep.include({ source: 'member', league: 'arena-tic-tac-toe-v1' });
    expect(resolved.spec).to.deep.equal({ kind: 'first-legal', options: {} });
    expect((await resolvePolicy('cfr:iterations=5', { serverUrl: live.url })).spec).to.deep.equal({ kind: 'cfr', options: { iterations: 5 } });
    const unknown = await resolvePolicy('nobody-here', { serverUrl: live.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((unknown as { code?: string }).code).to.equal('unknown-agent');
    // An external member of a league config carries the spec its agent process plays; a bare connection has none.
    const league = (await live.store.getLeague('arena-tic-tac-toe-v1'))!;
    const member = { env: 'tic-tac-toe-v1', parentId: null, createdAt: 0, frozen: false, anchor: false, kind: 'external' as const };
    await live.store.upsertMembers(league.id, [
      { ...member, agentId: 'ext-cfr', agent: { kind: 'cfr', options: { iterations: 7 } } },
      { ...member, agentId: 'ext-remote', agent: { kind: 'remote', options: {} } },
    ]);
    expect((await resolvePolicy('ext-cfr', { serverUrl: live.url, league: league.name })).spec).to.deep.equal({ kind: 'cfr', options: { iterations: 7 } });
    const bare = await resolvePolicy('ext-remote', { serverUrl: live.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((bare as { code?: string }).code).to.equal('bad-agent-options');
  });

  it('plays a real-time slime match, answering its ticks with slime-baseline inputs', async () => {
    const run = await start('proc-slime', { policy: 'slime-baseline', maxMatches: 1 });
    await until(() => live.isOnline('proc-slime'), 'the agent to come online');
    // A short, fast match: 90 ticks at 120 Hz.
    const { matchId } = await live.assignMatch('proc-slime', 'slime-volleyball-v1', 'random', {
      params: { maxSteps: 90, lives: 5 },
      settings: { realtime: { tickHz: 120 } },
    });
    const summary = await run.done;
    expect(summary.matches).to.equal(1);
    expect(summary.failed).to.equal(0);
    expect(summary.decisions, 'ticks answered as inputs').to.be.greaterThan(10);
    const record = await live.arena.matches.replay(matchId);
    expect(record?.history.length).to.equal(90);
    expect(record?.end).to.equal('truncated');
  });

  describe('with a neural policy', () => {
    let root: string;
    before(async () => {
      await useBackend();
      // The runtime loads models by dynamic import, which gets its own copy of backend.ts under mocha.
      await (await import('../../../agents/runtime/backend.ts')).selectBackend({ log: () => {} });
      await closeSharedRuntime(); // a fresh shared server, created by the process with its batching options
      root = mkdtempSync(join(tmpdir(), 'ludus-agent-process-'));
      const model = createPolicyModel(getEnv('connect-four-v1'), {}, { arch: { kind: 'mlp', hidden: [16] }, seed: 3 });
      await saveModel(model, join(root, 'c4'));
      model.dispose();
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('serves concurrent matches through one inference server, batching their decisions', async () => {
      const matches = 8;
      const run = await start('proc-neural', { policy: join(root, 'c4'), maxMatches: matches, batchWaitMs: 20 });
      await until(() => live.isOnline('proc-neural'), 'the agent to come online');
      for (let i = 0; i < matches; i++) await live.assignMatch('proc-neural', 'connect-four-v1', 'random');
      const summary = await run.done;
      expect(summary.matches).to.equal(matches);
      expect(summary.failed).to.equal(0);
      expect(summary.spec).to.match(/^neural:model=/);
      expect(summary.inference!.requests).to.equal(summary.decisions);
      expect(summary.inference!.meanBatch).to.be.greaterThan(1);
    });
  });

  describe('when the server goes away', () => {
    it('after losing the server, keeps retrying a limited number of times, then stops with server-lost', async () => {
      const other = await start('proc-lost', { retryDelayMs: 1, connectAttempts: 2 });
      await until(() => live.isOnline('proc-lost'), 'the agent to come online');
      await live.close(); // last test of this file on this arena
      const summary = await other.done;
      expect(summary.stopReason).to.equal('server-lost');
      expect(other.events.filter((e) => e.kind === 'retrying')).to.have.length(1);
    });
  });
});
