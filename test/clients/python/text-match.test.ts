import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LudusAgentClient } from '../../../agents/remote/ludus-agent-client.ts';
import { Episode, getEnv } from '../../../envs/index.ts';
import { CALM, startGateway, type LiveGateway } from '../../arena/gateway/gateway-harness.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url));

// Plays seat 0 of a simple-negotiation match with free text through reset()/step(): first an offer
// of resources it does not have (an invalid move, retried under errorAllowance 1), then real replies.
const PLAYER = `
import json, sys
from ludus_client import LudusClient
server, match_id, token = sys.argv[1:4]
client = LudusClient(server, timeout=30)
replies = ["Take it all: [Offer: 50 Wood -> 1 Gold]", "Sorry. [Offer: 3 Wood -> 1 Gold]", "Still there?", "Fine.", "Bye.", "Done."]
try:
    client.join(match_id, token)
    obs, info = client.reset()
    first = {k: obs[k] for k in ("legal_actions", "text_actions", "step_index", "seat")}
    first["briefed"] = "You are Player 0 in the Negotiation Game." in (obs["role_prompt"] or "")
    first["observed"] = "Negotiation Game" in obs["text"]
    played, sent, terminated = [], 0, False
    while not terminated:
        obs, reward, terminated, truncated, info = client.step(replies[sent])
        sent += 1
        played.append(info["played"])
finally:
    client.close()
print(json.dumps({"first": first, "played": played, "returns": info["returns"], "reason": info["reason"]}))
`;

function findPython(): string {
  for (const candidate of [process.env.LUDUS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c)) {
    if (spawnSync(candidate, ['-c', 'import socketio, websocket']).status === 0) return candidate;
  }
  throw new Error('no python3 with python-socketio (apt-get install python3-socketio python3-websocket)');
}

function runPython(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
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
}

describe('clients/python LudusClient: a free-text match over socket.io', () => {
  let live: LiveGateway;
  let opponent: LudusAgentClient | undefined;
  beforeEach(async () => {
    live = await startGateway();
  });
  afterEach(async () => {
    opponent?.close();
    await live.close();
  });

  it("plays simple-negotiation in text: the decision briefs the seat, every step reports the env's verdict, invalid moves included", async () => {
    const params = { errorAllowance: 1 };
    const { matchId, seatTokens } = await live.matches.create({
      env: 'simple-negotiation-v1',
      params,
      seats: [{ kind: 'remote' }, { kind: 'remote' }],
      settings: CALM,
    });
    opponent = await LudusAgentClient.connect(live.url);
    opponent.onDecision((d) => ({ text: d.stepIndex === 2 ? 'Deal. [Accept]' : 'Hmm, no. [Deny]' }));
    await opponent.join(matchId, seatTokens[1]!);
    const run = await runPython([PLAYER.trim(), live.url, matchId, seatTokens[0]!]);
    expect(run.code, run.stderr).to.equal(0);
    const printed = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      first: Record<string, unknown>;
      played: { text: string; verdict: { kind: string; final?: boolean } }[];
      returns: number[];
      reason: string;
    };
    expect(printed.first).to.deep.equal({ legal_actions: [], text_actions: { maxChars: 4096 }, step_index: 0, seat: 0, briefed: true, observed: true });
    // The invalid offer is a move the env judged (one error allowed): the same seat answers again at the next step.
    expect(printed.played[0]!.verdict).to.deep.include({ kind: 'invalid', final: false });
    expect(printed.played.slice(1).map((p) => p.verdict.kind)).to.deep.equal(printed.played.slice(1).map(() => 'move'));
    expect(printed.played[1]!.text).to.equal('offer: 3 Wood -> 1 Gold');
    const runner = live.matches.get(matchId)!;
    const record = runner.record();
    const texts = record.history.flatMap((e) => (e.kind === 'text' && e.seat === 0 ? [e.text] : []));
    expect(texts).to.have.length(printed.played.length);
    expect(texts[0]).to.equal('Take it all: [Offer: 50 Wood -> 1 Gold]');
    expect(record.history[2]).to.deep.equal({ kind: 'text', seat: 1, text: 'Deal. [Accept]' });
    expect(printed.reason).to.equal('terminal');
    expect(printed.returns).to.deep.equal(runner.result!.returns);
    expect(Episode.replay(getEnv('simple-negotiation-v1'), record).returns).to.deep.equal(printed.returns);
  });
});
