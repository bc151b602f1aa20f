/**
 * Issue #18: agents on a cluster. Who is online and the env queue are shared by the processes;
 * an agent connected to A that is assigned a match owned by B is told so (`server`) and plays
 * it there to the end, over socket.io (a second connection, to B) and over Colyseus (the seat
 * reserved on B). Real `ludus serve` processes on Redis and PostgreSQL (cluster-harness.ts).
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ColyseusAgentClient } from '../../../agents/remote/colyseus-agent-client.ts';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import type { DecisionMessage, MatchAssignedMessage } from '../../../protocol/index.ts';
import { requireServices } from '../../helpers/cluster-services.ts';
import { TestCluster, type NodeProcess } from './cluster-harness.ts';

const ENV = 'tic-tac-toe-v1';
const PYTHON_CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url));

// Queues, takes the assignment on the server it names, plays the first legal action each turn.
const PYTHON_AGENT = `
import json, sys
from ludus_client import LudusClient
client = LudusClient(sys.argv[1], token=sys.argv[2], timeout=60)
try:
    client.queue("tic-tac-toe-v1")
    print("queued", flush=True)
    assignment = client.next_assignment()
    client.join_assigned(assignment)
    obs, info = client.reset()
    while obs is not None:
        obs, reward, terminated, truncated, info = client.step(obs["legal_actions"][0])
        if terminated or truncated:
            break
    print(json.dumps({"server": assignment.get("server"), "returns": info["returns"], "reason": info["reason"], "servers": sorted(client._conns)}))
finally:
    client.close()
`;

function findPython(): string {
  for (const candidate of [process.env['LUDUS_PYTHON'], '/usr/bin/python3', 'python3'].filter((c): c is string => !!c)) {
    if (spawnSync(candidate, ['-c', 'import socketio, websocket']).status === 0) return candidate;
  }
  throw new Error('no python3 with python-socketio (apt-get install python3-socketio python3-websocket)');
}
const firstLegal = (request: DecisionMessage): number => request.legalActions[0]!.id;

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('arena cluster: agents across processes', function () {
  this.timeout(180_000);
  const cluster = new TestCluster();
  let a: NodeProcess;
  let b: NodeProcess;
  const tokens = new Map<string, string>();
  const clients: { close(): void }[] = [];

  before(async function () {
    await requireServices(this);
    await cluster.setUp();
    a = await cluster.start();
    b = await cluster.start();
    for (const agentId of ['sio-on-a', 'sio-on-b', 'col-on-a', 'col-on-b', 'py-on-a']) {
      const { status, body } = await cluster.admin<{ token: string }>(a, 'POST', '/api/agents', { agentId });
      expect(status).to.equal(201);
      tokens.set(agentId, body.token);
    }
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  after(async function () {
    this.timeout(60_000);
    await cluster.tearDown();
  });

  const onlineOn = async (node: NodeProcess): Promise<string[]> => {
    const { body } = await cluster.admin<{ agentsOnline: { agentId: string }[] }>(node, 'GET', '/api/admin/overview');
    return body.agentsOnline.map((o) => o.agentId);
  };

  it('socket.io: queued on A and on B, paired on B; the agent on A joins the match on B and both play it to the end', async () => {
    const onA = await LudusAgentClient.connect(a.url, { token: tokens.get('sio-on-a')! });
    const onB = await LudusAgentClient.connect(b.url, { token: tokens.get('sio-on-b')! });
    clients.push(onA, onB);
    const assigned: MatchAssignedMessage[] = [];
    for (const client of [onA, onB]) client.onDecision(firstLegal).onAssigned((m) => assigned.push(m), { autoJoin: true });
    // Each process sees the agent connected to the other one.
    await until(async () => (await onlineOn(a)).includes('sio-on-b') && (await onlineOn(b)).includes('sio-on-a'), 'both agents online on both processes');

    await onA.queue(ENV);
    await onB.queue(ENV); // completes the pairing: created on B
    await until(() => assigned.length === 2, 'both assignments');
    const [matchId] = new Set(assigned.map((m) => m.matchId));
    expect(assigned.map((m) => m.server)).to.deep.equal([b.url, b.url]);
    const [endA, endB] = await Promise.all([onA.result(matchId!), onB.result(matchId!)]);
    expect(endA.reason).to.equal('terminal');
    expect(endA.returns).to.deep.equal(endB.returns);
    expect(onA.servers()).to.include.members([a.url, b.url]); // the agent on A opened a connection to B for it
    const summary = await fetch(`${a.url}/api/matches/${matchId}`).then((r) => r.json() as Promise<{ status: string; seats: { agentId: string }[] }>);
    expect(summary.status).to.equal('finished');
    expect(summary.seats.map((s) => s.agentId).sort()).to.deep.equal(['sio-on-a', 'sio-on-b']);
  });

  it('Colyseus: the lobby of A hands its agent the pairing made on B, and the agent plays it through the seat reserved on B', async () => {
    const clientA = new ColyseusAgentClient(a.url);
    const clientB = new ColyseusAgentClient(b.url);
    const lobbyA = await clientA.connectLobby(tokens.get('col-on-a')!);
    const lobbyB = await clientB.connectLobby(tokens.get('col-on-b')!);
    clients.push({ close: () => void lobbyA.close() }, { close: () => void lobbyB.close() });
    const next = (lobby: typeof lobbyA): Promise<MatchAssignedMessage> => new Promise((resolve) => lobby.onAssignment(resolve));
    const [assignedA, assignedB] = [next(lobbyA), next(lobbyB)];
    await until(async () => (await onlineOn(b)).includes('col-on-a'), 'the agent on A online on B');
    // One lobby per process: each agent's lobby is on the process it asked, not one lobby for the cluster.
    const { body: overview } = await cluster.admin<{ rooms: { name: string; processId: string }[] }>(a, 'GET', '/api/admin/overview');
    const lobbies = overview.rooms.filter((room) => room.name === 'agents');
    expect(lobbies).to.have.length(2);
    expect(new Set(lobbies.map((room) => room.processId)).size).to.equal(2);

    await lobbyA.queue({ env: ENV });
    await lobbyB.queue({ env: ENV });
    const [forA, forB] = await Promise.all([assignedA, assignedB]);
    expect(forA.matchId).to.equal(forB.matchId);
    expect(forA.server).to.equal(b.url);
    const [endA, endB] = await Promise.all([clientA.playMatch(forA, firstLegal), clientB.playMatch(forB, firstLegal)]);
    expect(endA.reason).to.equal('terminal');
    expect(endA.returns).to.deep.equal(endB.returns);
    const summary = await fetch(`${b.url}/api/matches/${forA.matchId}`).then((r) => r.json() as Promise<{ status: string }>);
    expect(summary.status).to.equal('finished');
  });

  it('Python: a client connected to A takes a pairing made on B on a second connection, to B, and plays it to the end', async () => {
    const onB = await LudusAgentClient.connect(b.url, { token: tokens.get('sio-on-b')! });
    clients.push(onB);
    onB.onDecision(firstLegal).onAssigned(() => {}, { autoJoin: true });
    const child = spawn(findPython(), ['-c', PYTHON_AGENT.trim(), a.url, tokens.get('py-on-a')!], { cwd: PYTHON_CLIENT_DIR });
    let stdout = '';
    let stderr = '';
    const queued = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('queued')) resolve();
      }),
    );
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await Promise.race([queued, exited.then(() => Promise.reject(new Error(`python exited: ${stderr}`)))]);
      await onB.queue(ENV); // completes the pairing: created on B
      expect(await exited, stderr).to.equal(0);
    } finally {
      child.kill();
    }
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { server: string; returns: number[]; reason: string; servers: string[] };
    expect(result.server).to.equal(b.url);
    expect(result.reason).to.equal('terminal');
    expect(result.servers).to.deep.equal([a.url, b.url].sort());
  });

  it("revoking an agent's token on A closes its connection on B", async () => {
    const onB = await LudusAgentClient.connect(b.url, { token: tokens.get('sio-on-b')! });
    clients.push(onB);
    await until(async () => (await onlineOn(a)).includes('sio-on-b'), 'the agent online on A');
    const dropped = new Promise<string>((resolve) => onB.socket.on('disconnect', (reason) => resolve(reason)));
    const { status } = await cluster.admin(a, 'DELETE', '/api/agents/sio-on-b/token');
    expect(status).to.equal(200);
    expect(await dropped).to.equal('io server disconnect');
    await until(async () => !(await onlineOn(a)).includes('sio-on-b'), 'the agent offline on A');
  });
});
