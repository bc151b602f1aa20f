import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { Rng } from '../../../envs/index.ts';
import { CALM, startGateway, type LiveGateway } from '../../arena/gateway/gateway-harness.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url));

// Plays every match given on the command line with one connection; the policy answers with
// the text of the first legal action for even batch positions and its id for odd ones.
const ROLLOUT = `
import json, sys
from ludus_client import LudusClient
server, pairs = sys.argv[1], sys.argv[2:]
client = LudusClient(server, timeout=30)
batches = []
def policy(observations):
    batches.append(len(observations))
    return [obs["legal_texts"][0] if i % 2 == 0 else obs["legal_actions"][0] for i, obs in enumerate(observations)]
try:
    results = client.play_many([tuple(p.split("=")) for p in pairs], policy)
finally:
    client.close()
print(json.dumps({"decisions": sum(batches), "results": {m: r["returns"] for m, r in results.items()}}))
`;

function findPython(): string {
  for (const candidate of [process.env.LUDUS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c)) {
    if (spawnSync(candidate, ['-c', 'import socketio, websocket']).status === 0) return candidate;
  }
  throw new Error('no python3 with python-socketio (apt-get install python3-socketio python3-websocket)');
}

describe('clients/python LudusClient.play_many (many matches over one connection)', () => {
  let live: LiveGateway;
  let opponent: LudusAgentClient | undefined;
  beforeEach(async () => {
    live = await startGateway();
  });
  afterEach(async () => {
    opponent?.close();
    await live.close();
  });

  it('plays four tic-tac-toe matches at once, with text and id actions, to their ends', async () => {
    const created = await Promise.all(
      [0, 1, 2, 3].map(() => live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM })),
    );
    const rng = new Rng(9);
    opponent = await LudusAgentClient.connect(live.url);
    opponent.onDecision((request) => rng.pick(request.legalActions).id);
    for (const m of created) await opponent.join(m.matchId, m.seatTokens[1]!);
    const args = [ROLLOUT.trim(), live.url, ...created.map((m) => `${m.matchId}=${m.seatTokens[0]}`)];
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(findPython(), ['-c', ...args], { cwd: CLIENT_DIR });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout.trim().split('\n').pop()!) as { decisions: number; results: Record<string, number[]> };
    expect(Object.keys(printed.results).sort()).to.deep.equal(created.map((m) => m.matchId).sort());
    let seat0Moves = 0;
    for (const m of created) {
      const runner = live.matches.get(m.matchId)!;
      expect(printed.results[m.matchId]).to.deep.equal(runner.env.returns(runner.state));
      seat0Moves += Math.ceil(runner.stepIndex / 2);
    }
    expect(printed.decisions).to.equal(seat0Moves);
  });
});
