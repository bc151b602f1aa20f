import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../envs/index.ts';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { CALM, startGateway, type LiveGateway } from '../../arena/gateway/gateway-harness.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = 'clients/python/example_random_agent.py';

/**
 * The first interpreter that has python-socketio: $LUDUS_PYTHON, then python3, then Debian's
 * /usr/bin/python3 (apt packages are invisible to a pyenv python3 on the PATH).
 */
function findPython(): string {
  const candidates = [process.env.LUDUS_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import socketio, websocket'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    `no python3 with python-socketio found (tried ${candidates.join(', ')}): ` +
      'run `apt-get install -y python3-socketio python3-websocket python3-requests python3-numpy`, ' +
      'or `pip install "python-socketio[client]"`, or set LUDUS_PYTHON',
  );
}

function runPython(python: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, [SCRIPT, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('clients/python/example_random_agent', () => {
  let live: LiveGateway;
  let opponent: LudusAgentClient | undefined;

  beforeEach(async () => {
    live = await startGateway();
  });

  afterEach(async () => {
    opponent?.close();
    await live.close();
  });

  for (const [env, pythonSeat] of [
    ['tic-tac-toe-v1', 1],
    ['connect-four-v1', 0],
  ] as const) {
    it(`plays ${env} as seat ${pythonSeat} to the end against a TS client and prints the returns`, async () => {
      const python = findPython();
      const { matchId, seatTokens } = await live.matches.create({ env, seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
      const rng = new Rng(5);
      opponent = await LudusAgentClient.connect(live.url);
      opponent.onDecision((request) => rng.pick(request.legalActions).id);
      await opponent.join(matchId, seatTokens[1 - pythonSeat]!);
      const run = await runPython(python, ['--server', live.url, '--match', matchId, '--token', seatTokens[pythonSeat]!, '--seed', '3', '--timeout', '30']);
      expect(run.code, run.stderr).to.equal(0);
      const lastLine = run.stdout.trim().split('\n').pop() ?? '';
      const printed = JSON.parse(lastLine) as { matchId: string; seat: number; returns: number[]; reason: string };
      const end = await opponent.result(matchId);
      const runner = live.matches.get(matchId)!;
      expect(printed).to.deep.equal({ matchId, seat: pythonSeat, returns: end.returns, reason: 'terminal' });
      expect(printed.returns).to.deep.equal(runner.env.returns(runner.state));
      expect(printed.returns[0]! + printed.returns[1]!).to.equal(0); // both games are zero-sum
    });
  }

  it('exits non-zero with the wire code on a wrong seat token', async () => {
    const python = findPython();
    const { matchId } = await live.matches.create({ env: 'tic-tac-toe-v1', seats: [{ kind: 'remote' }, { kind: 'remote' }], settings: CALM });
    const run = await runPython(python, ['--server', live.url, '--match', matchId, '--token', 'wrong', '--timeout', '10']);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/unauthorized/);
  });
});
