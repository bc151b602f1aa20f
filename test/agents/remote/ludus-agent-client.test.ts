import { expect } from 'chai';
import { Rng } from '../../../envs/index.ts';
import { LudusAgentClient, RemoteAgentError } from '../../../agents/remote/ludus-agent-client.ts';
import type { Ack, DecisionMessage, MatchEndMessage } from '../../../protocol/messages.ts';
import { CALM, startGateway, until, type LiveGateway } from '../../arena/gateway/gateway-harness.ts';

// The client restates the wire types (agents/ may not import arena/): they must keep agreeing.
const agreesWithWire = (d: DecisionMessage, e: MatchEndMessage, a: Ack): [DecisionMessage, MatchEndMessage, Ack] => [d, e, a];
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

describe('agents/remote/ludus-agent-client', async () => {
  let live: LiveGateway;
  const clients: LudusAgentClient[] = [];
  const connect = async (token?: string): Promise<LudusAgentClient> => {
    const client = await LudusAgentClient.connect(live.url, token === undefined ? {} : { token });
    clients.push(client);
    return client;
  };
  const newMatch = async (env = 'connect-four-v1') => await live.matches.create({ env, seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });

  beforeEach(async () => {
    live = await startGateway({ verifyAgentToken: async (token) => (token === 'agent-secret' ? 'agent-1' : undefined) });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await live.close();
  });

  it('plays connect-four to the end with id, text and async answers, and resolves the returns', async () => {
    const { matchId, seatTokens } = await newMatch();
    const rng = new Rng(9);
    const [a, b] = [await connect('agent-secret'), await connect()];
    a.onDecision((request) => rng.pick(request.legalActions).id);
    b.onDecision(async (request) => ({ text: `I drop in ${rng.pick(request.legalActions).text}` }));
    const errors: string[] = [];
    for (const c of [a, b]) c.onError((error) => errors.push(error.code));
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    const [endA, endB] = await Promise.all([a.result(matchId), b.result(matchId)]);
    const runner = live.matches.get(matchId)!;
    expect(endA).to.deep.equal(endB);
    expect(endA.reason).to.equal('terminal');
    expect(endA.returns).to.deep.equal(runner.env.returns(runner.state));
    expect(runner.record().history.length).to.be.at.least(7); // a connect-four win takes at least 7 moves
    expect(errors).to.deep.equal([]);
    expect(await a.result(matchId)).to.equal(endA); // resolved again after the end
  });

  it('rejects a bad connection token and a bad seat token with their wire codes', async () => {
    expect((await rejection(LudusAgentClient.connect(live.url, { token: 'nope' }))).code).to.equal('unauthorized');
    const { matchId } = await newMatch();
    const client = await connect();
    expect((await rejection(client.join(matchId, 'guess'))).code).to.equal('unauthorized');
    expect((await rejection(client.join('no-such-match', 'guess'))).code).to.equal('unknown-match');
  });

  it('reports a rejected answer (an illegal move) through onError and keeps the match as it was', async () => {
    const { matchId, seatTokens } = await newMatch('tic-tac-toe-v1');
    const [a, b] = [await connect(), await connect()];
    const errors: string[] = [];
    a.onError((error) => errors.push(error.code));
    a.onDecision(() => 99);
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    await until(() => errors.length > 0, 'the rejection');
    expect(errors).to.deep.equal(['illegal-action']);
    expect(live.matches.get(matchId)!.stepIndex).to.equal(0);
    // The same step answered by hand, legally.
    expect(await a.act(matchId, 0, { id: 4 })).to.include({ type: 'committed', nextStepIndex: 1 });
  });

  it('takes its seat back after a reconnection', async () => {
    const { matchId, seatTokens } = await newMatch('tic-tac-toe-v1');
    const [a, b] = [await connect(), await connect()];
    await a.join(matchId, seatTokens[0]!);
    await b.join(matchId, seatTokens[1]!);
    const runner = live.matches.get(matchId)!;
    const firstId = a.socket.id;
    a.socket.io.engine.close(); // a dropped transport: socket.io reconnects with a new session
    await until(() => a.socket.connected && a.socket.id !== firstId && runner.seats.sessionOf(0) === a.socket.id, 'the rejoin');
    a.onDecision((request) => request.legalActions[0]!.id);
    b.onDecision((request) => request.legalActions[0]!.id);
    expect((await a.act(matchId, 0, { id: 0 })).type).to.equal('committed');
    expect((await a.result(matchId)).reason).to.equal('terminal');
  });

  it('answers ping with the server time', async () => {
    const client = await connect();
    expect(await client.ping()).to.be.a('number');
  });
});
