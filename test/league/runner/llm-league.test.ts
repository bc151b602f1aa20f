import { expect } from 'chai';
import { parseLeagueConfig } from '../../../league/config/league-config.ts';
import { exportMatches } from '../../../league/export-matches.ts';
import { trajectoryLines, type TrajectoryStep } from '../../../league/export-trajectories.ts';
import { runLeague } from '../../../league/runner/league-runner.ts';
import { computeStandings } from '../../../league/standings.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { ChatServer, firstListedMove } from '../../agents/llm/chat-server.ts';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('league with an llm member (loopback chat-completions server)', () => {
  let server: ChatServer;
  beforeEach(async () => {
    server = await ChatServer.start(firstListedMove);
  });
  afterEach(async () => {
    await server.close();
  });

  const config = (name: string, env = 'tic-tac-toe-v1', matches = 24) =>
    parseLeagueConfig({
      name,
      env,
      seed: 11,
      members: [
        { agentId: 'llm', agent: `llm:model=league-model,baseUrl=${server.baseUrl},concurrency=3` },
        { agentId: 'random', agent: 'random' },
        { agentId: 'first', agent: 'first-legal' },
      ],
      schedule: { concurrency: 8 },
      stop: { matches },
    });

  it("plays a league against scripted agents, storing each llm move's reply and tokens beside the replay", async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: config('llm-ttt') });
    const league = (await store.getLeague('llm-ttt'))!;
    const summaries = await store.matchSummaries(league.id);
    expect(summaries).to.have.length(24);
    expect(summaries.every((m) => m.status === 'finished')).to.equal(true);
    const llmMatches = summaries.filter((m) => m.seats.includes('llm'));
    expect(llmMatches.length).to.be.greaterThan(0);
    let llmMoves = 0;
    for (const m of llmMatches) {
      const { record, notes } = (await store.getMatch(league.id, m.index))!;
      record!.history.forEach((entry, i) => {
        const byLlm = entry.kind === 'decision' && m.seats[entry.seat] === 'llm';
        if (byLlm) {
          llmMoves++;
          expect(notes![i]).to.deep.include({ model: 'league-model', promptTokens: 10, completionTokens: 5, calls: 1 });
          expect((notes![i] as { reply: string }).reply).to.match(/\\boxed\{\d\}$/);
        } else {
          expect(notes![i] ?? null).to.equal(null);
        }
      });
    }
    expect(server.requests).to.have.length(llmMoves);
    expect(server.maxInFlight).to.be.within(1, 3); // the member's cap, across the 8 matches of a wave
    expect((await computeStandings(store, league)).map((s) => s.agentId)).to.include('llm');
    const exported = JSON.parse(await exportMatches(store, league, 'json', true)) as { index: number; notes: unknown }[];
    for (const row of exported) expect(row.notes).to.deep.equal((await store.getMatch(league.id, row.index))!.notes);
    expect(exported.some((row) => row.notes !== null)).to.equal(true);
    await store.close();
  });

  it('exports trajectories: one line per (match, seat, turn), replies, rewards summing to returns, RAE baselines', async () => {
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: config('llm-kuhn', 'kuhn-poker-v1', 16) });
    const league = (await store.getLeague('llm-kuhn'))!;
    const lines = (await collect(trajectoryLines(store, league, { baselineDecay: 0.9 }))).map((l) => JSON.parse(l) as TrajectoryStep);
    let decisions = 0;
    for (const m of await store.matchSummaries(league.id)) {
      decisions += (await store.getMatch(league.id, m.index))!.record!.history.filter((h) => h.kind === 'decision').length;
    }
    expect(lines).to.have.length(decisions);
    const byMatchSeat = new Map<string, TrajectoryStep[]>();
    for (const l of lines) {
      const key = `${l.match}:${l.seat}`;
      byMatchSeat.set(key, [...(byMatchSeat.get(key) ?? []), l]);
      expect(l).to.include({ league: 'llm-kuhn', env: 'kuhn-poker-v1', role: `player-${l.seat}` });
      expect(l.observation).to.match(/Your card is: [JQK]/);
      if (l.agent === 'llm') expect(l.reply).to.equal(`I will take ${l.actionText.slice(1, -1)}. \\boxed{${l.actionText.slice(1, -1)}}`);
      else expect(l.reply).to.equal(null);
    }
    for (const steps of byMatchSeat.values()) {
      expect(steps.map((s) => s.turn)).to.deep.equal(steps.map((_, i) => i));
      expect(steps.filter((s) => s.done)).to.have.length(1);
      expect(steps[steps.length - 1]!.done).to.equal(true);
      expect(steps.reduce((sum, s) => sum + s.reward, 0)).to.be.closeTo(steps[0]!.return, 1e-9);
    }
    // SPIRAL's RAE, recomputed: per role, the EMA of final returns before each match's update.
    const ema = new Map<string, number>();
    for (const match of [...new Set(lines.map((l) => l.match))]) {
      const mine = lines.filter((l) => l.match === match);
      for (const l of mine) {
        expect(l.baseline).to.be.closeTo(ema.get(l.role) ?? 0, 1e-12);
        expect(l.advantage).to.be.closeTo(l.return - l.baseline!, 1e-12);
      }
      for (const l of mine.filter((x) => x.done)) ema.set(l.role, 0.9 * (ema.get(l.role) ?? 0) + 0.1 * l.return);
    }
    expect((await collect(trajectoryLines(store, league, { agent: 'llm' }))).map((l) => JSON.parse(l).agent)).to.satisfy(
      (a: string[]) => a.length > 0 && a.every((x) => x === 'llm'),
    );
    await store.close();
  });

  it('a model that never names a legal move loses by invalid move; the league carries on', async () => {
    server.setScript(() => ({ reply: 'I refuse to play.' }));
    const store = new SqliteStore(':memory:');
    await runLeague({ store, config: config('llm-bad', 'tic-tac-toe-v1', 12) });
    const league = (await store.getLeague('llm-bad'))!;
    const summaries = await store.matchSummaries(league.id);
    expect(summaries).to.have.length(12);
    for (const m of summaries) {
      if (m.seats.includes('llm') && !m.seats.every((s) => s === 'llm'))
        expect(m.fault).to.deep.include({ code: 'illegal-action', seat: m.seats.indexOf('llm') });
      if (!m.seats.includes('llm')) expect(m.status).to.equal('finished');
    }
    await store.close();
  });
});
