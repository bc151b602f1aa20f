import { expect } from 'chai';
import type { MoveNote } from '../../../agents/index.ts';
import { LiveLeague } from '../../../arena/league/live-league.ts';
import { AssignmentHub } from '../../../arena/lobby/assignment-hub.ts';
import { MatchManager } from '../../../arena/lobby/match-manager.ts';
import { Episode, getEnv } from '../../../envs/index.ts';
import { parseLeagueConfig } from '../../../league/config/league-config.ts';
import type { MatchRow } from '../../../league/storage/league-store.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';
import { ChatServer, lastUserText, type ChatRequest, type Plan } from '../../agents/llm/chat-server.ts';

/** Plays a league of an `llm` member against `random` in the arena process; returns the stored matches. */
async function arenaLeague(server: ChatServer, env: string, params: Record<string, unknown>, matches: number): Promise<MatchRow[]> {
  const config = parseLeagueConfig({
    name: `llm-${env}`,
    env,
    params,
    seed: 3,
    members: [
      { agentId: 'model', agent: `llm:model=test-model,baseUrl=${server.baseUrl},retryDelayMs=1` },
      { agentId: 'rnd', agent: 'random' },
    ],
    schedule: { concurrency: 1 },
    stop: { matches },
  });
  const store = new SqliteStore(':memory:');
  const manager = await MatchManager.open({ store }); // the system clock: the model's calls are real HTTP
  const league = await LiveLeague.open({ config, store, matches: manager, hub: new AssignmentHub() });
  league.start();
  expect(await league.stopped).to.equal('matches');
  const id = league.league.id;
  const rows = await Promise.all((await store.matchSummaries(id)).map(async (m) => (await store.getMatch(id, m.index))!));
  await manager.close();
  await store.close();
  return rows;
}

/** Every move of the model's seat has its note (the reply is the recorded text), every other move none. */
function checkNotes(row: MatchRow): number {
  const seat = row.seats.indexOf('model');
  const notes = row.notes ?? [];
  let modelMoves = 0;
  row.record!.history.forEach((entry, i) => {
    const note = (notes[i] ?? null) as MoveNote | null;
    if (entry.kind !== 'chance' && entry.kind !== 'joint' && entry.seat === seat) {
      modelMoves++;
      expect(entry.kind, 'the model answers in text').to.equal('text');
      expect(note).to.deep.include({
        reply: entry.kind === 'text' ? entry.text : undefined,
        model: 'test-model',
        promptTokens: 10,
        completionTokens: 5,
        calls: 1,
      });
    } else {
      expect(note, `no note for step ${i}`).to.equal(null);
    }
  });
  return modelMoves;
}

describe('arena/league/live-league: llm members played in the arena process (loopback chat-completions server)', () => {
  let server: ChatServer;
  afterEach(async () => {
    await server.close();
  });

  it("tic-tac-toe under TextArena's rules: replies judged by the env (an invalid one spends the error allowance), notes stored", async () => {
    // The first reply names no cell: TextArena's invalid move, retried under errorAllowance 1; then the first free cell, as [n].
    const script = (request: ChatRequest): Plan => {
      if (request.index === 0) return { reply: 'Let me think about the corners.' };
      const moves = [...lastUserText(request).matchAll(/Available Moves: (.*)/g)].pop()?.[1] ?? '';
      return { reply: `I take ${/\[\d\]/.exec(moves)![0]}.` };
    };
    server = await ChatServer.start(script);
    const params = { textFormat: 'textarena', errorAllowance: 1 };
    const rows = await arenaLeague(server, 'tic-tac-toe-v1', params, 2);
    const env = getEnv('tic-tac-toe-v1');
    let modelMoves = 0;
    for (const row of rows) {
      expect(row.status).to.equal('finished');
      modelMoves += checkNotes(row);
      expect(Episode.replay(env, row.record).returns).to.deep.equal(row.returns);
    }
    expect(server.requests).to.have.length(modelMoves);
    // The invalid reply is in the record as text, the retry after it too.
    const first = rows.flatMap((r) => r.record!.history).find((e) => e.kind === 'text');
    expect(first).to.deep.include({ text: 'Let me think about the corners.' });
    const replayed = new Episode(env, params, 0);
    expect(replayed.stepText(0, 'Let me think about the corners.')).to.deep.include({ kind: 'invalid', final: false });
  });

  it('simple-negotiation (text only): the model and random (the env sampler) play to the end; texts and notes stored', async () => {
    server = await ChatServer.start((request) => ({
      reply: request.index % 2 === 0 ? 'Wood for gold? [Offer: 2 Wood -> 1 Gold]' : 'Let us keep talking. [Deny]',
    }));
    const rows = await arenaLeague(server, 'simple-negotiation-v1', {}, 2);
    const env = getEnv('simple-negotiation-v1');
    let modelMoves = 0;
    for (const row of rows) {
      expect(row.status).to.equal('finished');
      expect(row.record!.history).to.have.length(10);
      expect(row.record!.history.every((e) => e.kind === 'text')).to.equal(true);
      modelMoves += checkNotes(row);
      expect(Episode.replay(env, row.record).returns).to.deep.equal(row.returns);
    }
    expect(modelMoves).to.equal(10);
    expect(server.requests).to.have.length(10);
    expect(lastUserText(server.requests[0]!)).to.include('in the Negotiation Game');
  });
});
