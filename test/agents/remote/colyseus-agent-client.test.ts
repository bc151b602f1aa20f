import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { ColyseusAgentClient, toRemoteError, type AgentLobby } from '../../../agents/remote/colyseus-agent-client.ts';
import { RemoteAgentError } from '../../../agents/remote/ludus-agent-client.ts';
import type { MatchAssignedMessage } from '../../../protocol/assignment.ts';
import { registerAgent, startArena, until, type LiveArena } from './arena-harness.ts';
import type { DecisionMessage } from '../../../protocol/index.ts';

// The client restates the assignment shape (agents/ may not import arena/): they must keep agreeing.
const agreesWithWire = (m: MatchAssignedMessage): MatchAssignedMessage => m;
void agreesWithWire;

async function rejection(promise: Promise<unknown>): Promise<RemoteAgentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RemoteAgentError);
    return error as RemoteAgentError;
  }
  throw new Error('expected a rejection');
}

describe('agents/remote/colyseus-agent-client', () => {
  let live: LiveArena;
  before(async () => {
    live = await startArena();
  });
  after(async () => {
    await live.close();
  });

  it('plays a remote seat to the end with a seat token, answering each decision once', async () => {
    const { matchId, seatTokens } = await live.arena.matches.create({
      env: 'connect-four-v1',
      seed: 3,
      seats: [
        { kind: 'remote', agentId: 'c4-bot' },
        { kind: 'agent', agent: 'random' },
      ],
    });
    const rng = new Rng(5);
    const asked: DecisionMessage[] = [];
    const errors: string[] = [];
    const client = new ColyseusAgentClient(live.url);
    const end = await client.playMatch(
      { matchId, seatToken: seatTokens[0]! },
      async (request) => {
        asked.push(request);
        return rng.pick(request.legalActions).id;
      },
      { onError: (error) => errors.push(error.code) },
    );
    const runner = live.arena.matches.get(matchId)!;
    expect(end.reason).to.equal('terminal');
    expect(end.returns).to.deep.equal(runner.result!.returns);
    // Seat 0 moved at every even step of the record and was asked exactly those steps, once each.
    const seat0Steps = runner.record().history.flatMap((_entry, step) => (step % 2 === 0 ? [step] : []));
    expect(asked.map((r) => r.stepIndex)).to.deep.equal(seat0Steps);
    expect(asked.every((r) => r.seat === 0 && r.matchId === matchId)).to.equal(true);
    expect(errors).to.deep.equal([]);
    await runner.whenIdle();
    expect((await live.arena.matches.summary(matchId))?.status).to.equal('finished');
  });

  it('reports a rejected answer and a timeout through onError, and plays on after them', async () => {
    const { matchId, seatTokens } = await live.arena.matches.create({
      env: 'tic-tac-toe-v1',
      settings: { moveTimeMs: 300 },
      seats: [
        { kind: 'remote', agentId: 'ttt-bot' },
        { kind: 'agent', agent: 'first-legal' },
      ],
    });
    const errors: string[] = [];
    let calls = 0;
    const end = await new ColyseusAgentClient(live.url).playMatch(
      { matchId, seatToken: seatTokens[0]! },
      (request) => {
        calls++;
        return calls === 1 ? 99 : request.legalActions[0]!.id; // 99 is illegal; the step is not answered again
      },
      { onError: (error) => errors.push(error.code) },
    );
    // The refused step ran out of time and the timeout policy moved for the seat; later steps were answered.
    expect(errors).to.deep.equal(['illegal-action', 'timeout']);
    expect(end.reason).to.equal('terminal');
    expect(calls).to.be.greaterThan(1);
  });

  it('refuses a wrong seat token and an unknown match with their wire codes', async () => {
    const { matchId } = await live.arena.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'agent', agent: 'random' }] });
    const client = new ColyseusAgentClient(live.url);
    expect((await rejection(client.playMatch({ matchId, seatToken: 'guess' }, () => 0))).code).to.equal('unauthorized');
    expect((await rejection(client.playMatch({ matchId: 'no-such-match', seatToken: 'guess' }, () => 0))).code).to.equal('unknown-match');
  });

  it('receives assignments in the lobby and plays them', async () => {
    const token = await registerAgent(live, 'lobby-bot');
    const client = new ColyseusAgentClient(live.url);
    const lobby: AgentLobby = await client.connectLobby(token);
    await until(() => live.isOnline('lobby-bot'), 'the lobby connection');
    const assignments: MatchAssignedMessage[] = [];
    lobby.onAssignment((a) => assignments.push(a));
    const { matchId } = await live.assignMatch('lobby-bot');
    await until(() => assignments.length === 1, 'the assignment');
    expect(assignments[0]).to.include({ type: 'match:assigned', matchId, seat: 0, agentId: 'lobby-bot', env: 'tic-tac-toe-v1' });
    const end = await client.playMatch(assignments[0]!, (request) => request.legalActions[0]!.id);
    expect(end.matchId).to.equal(matchId);
    await lobby.close();
    await until(() => !live.isOnline('lobby-bot'), 'the lobby to let go');
  });

  it('refuses an unknown agent token with unauthorized', async () => {
    expect((await rejection(new ColyseusAgentClient(live.url).connectLobby('not-a-token'))).code).to.equal('unauthorized');
  });

  it('says client-connect when nothing listens at the address', async () => {
    const error = await rejection(new ColyseusAgentClient('http://127.0.0.1:9').connectLobby('x'));
    expect(error.code).to.equal('client-connect');
  });

  it('reads the wire code out of a room refusal', () => {
    const error = toRemoteError(
      Object.assign(new Error('unauthorized: wrong seat token for this match (use the token issued with your seat)'), { code: 4215 }),
      'x',
    );
    expect([error.code, error.hint]).to.deep.equal(['unauthorized', 'use the token issued with your seat']);
    expect(toRemoteError(Object.assign(new Error('fetch failed'), { code: 'ECONNREFUSED' }), 'x').code).to.equal('client-connect');
  });
});
