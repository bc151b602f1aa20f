import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, parseAgentSpecs, type Agent, type DecisionRequest, type MoveNote } from '../../../agents/index.ts';
import { apiKeyFrom } from '../../../agents/llm/llm-agent-kind.ts';
import { limiterLoad } from '../../../agents/llm/shared-limiter.ts';
import { Episode, getEnv, parseActionText } from '../../../envs/index.ts';
import { playMatch } from '../../../league/play-match.ts';
import { ChatServer, firstListedMove, lastUserText, type Plan } from './chat-server.ts';

const ttt = getEnv('tic-tac-toe-v1');

function llm(server: ChatServer, options = ''): Agent {
  const spec = parseAgentSpecs(`llm:model=test-model,baseUrl=${server.baseUrl},retryDelayMs=1${options ? `,${options}` : ''}`)[0]!;
  return createAgent(spec, ttt, {});
}

/** A decision request at the start of a tic-tac-toe game, with the env's parser bound to its state. */
function startRequest(overrides: Partial<DecisionRequest> = {}): { request: DecisionRequest; notes: MoveNote[] } {
  const episode = new Episode(ttt, {}, 3);
  const notes: MoveNote[] = [];
  const request: DecisionRequest = {
    env: ttt,
    params: episode.params,
    seat: 0,
    stepIndex: 0,
    observation: episode.observe(0),
    deadline: Infinity,
    parseReply: (reply) => parseActionText(ttt, episode.state, 0, reply),
    noteMove: (note) => notes.push(note),
    ...overrides,
  };
  return { request, notes };
}

async function rejection(promise: unknown): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('agents/llm/llm-agent (against a loopback chat-completions server)', () => {
  let server: ChatServer;
  const savedEnv = { LUDUS_LLM_API_KEY: process.env.LUDUS_LLM_API_KEY, OPENAI_API_KEY: process.env.OPENAI_API_KEY };

  beforeEach(async () => {
    delete process.env.LUDUS_LLM_API_KEY;
    delete process.env.OPENAI_API_KEY;
    server = await ChatServer.start(firstListedMove);
  });

  afterEach(async () => {
    await server.close();
    for (const [k, v] of Object.entries(savedEnv))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('plays a whole match: the observation text as is in the prompt, replies parsed, notes per move', async () => {
    const result = await playMatch({
      env: ttt,
      seed: 5,
      agents: [llm(server, 'temperature=0.6,topP=0.95,maxTokens=256'), createAgent({ kind: 'random' }, ttt)],
    });
    expect(result.fault).to.equal(undefined);
    const llmMoves = result.record.history.filter((h) => h.kind === 'decision' && h.seat === 0).length;
    expect(server.requests).to.have.length(llmMoves);
    // Replay the record: every request showed that decision's observation text, verbatim.
    const episode = new Episode(ttt, {}, 5);
    let asked = 0;
    result.record.history.forEach((entry, i) => {
      if (entry.kind === 'decision' && entry.seat === 0) {
        const request = server.requests[asked++]!;
        expect(request.path).to.equal('/v1/chat/completions');
        expect(request.body.messages![0]).to.deep.equal({ role: 'system', content: ttt.spec.rulesText });
        expect(lastUserText(request)).to.include(episode.observe(0).text);
        expect(result.notes![i]).to.deep.include({
          reply: (firstListedMove(request) as { reply: string }).reply,
          model: 'test-model',
          promptTokens: 10,
          completionTokens: 5,
          calls: 1,
          reprompts: 0,
          retries: 0,
        });
      } else {
        expect(result.notes![i] ?? null).to.equal(null);
      }
      if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
    });
    // Seeds: one per call, derived from the match seed, so a rerun sends the same ones.
    const seeds = server.requests.map((r) => r.body.seed);
    expect(new Set(seeds).size).to.equal(seeds.length);
    await playMatch({ env: ttt, seed: 5, agents: [llm(server), createAgent({ kind: 'random' }, ttt)] });
    expect(server.requests.slice(seeds.length).map((r) => r.body.seed)).to.deep.equal(seeds);
    const body = server.requests[0]!.body;
    expect(body).to.include({ model: 'test-model', temperature: 0.6, top_p: 0.95, max_tokens: 256 });
    expect(body.seed).to.be.a('number');
    expect(server.requests[0]!.headers.authorization).to.equal(undefined); // a local server needs no key
  });

  it('sends the API key from LUDUS_LLM_API_KEY, falling back to OPENAI_API_KEY', async () => {
    process.env.OPENAI_API_KEY = 'sk-openai';
    await llm(server).act(startRequest().request);
    process.env.LUDUS_LLM_API_KEY = 'sk-ludus';
    await llm(server).act(startRequest().request);
    expect(server.requests.map((r) => r.headers.authorization)).to.deep.equal(['Bearer sk-openai', 'Bearer sk-ludus']);
    expect(apiKeyFrom({ LUDUS_LLM_API_KEY: ' ', OPENAI_API_KEY: 'k' })).to.equal('k');
    expect(apiKeyFrom({ MY_KEY: 'mine', LUDUS_LLM_API_KEY: 'x' }, 'MY_KEY')).to.equal('mine');
  });

  it("spiral-qwen: SPIRAL's user prompt and no system message; api=completions sends it as ChatML", async () => {
    const { request } = startRequest();
    const obs = request.observation.text;
    const spiral = `You are playing a two-player zero-sum game. Make valid actions to win.\nObservation: ${obs}\nPlease reason step by step, and put your final answer within \\boxed{}.`;
    expect(await llm(server, 'template=spiral-qwen').act(request)).to.equal(0);
    expect(server.requests[0]!.body.messages).to.deep.equal([{ role: 'user', content: spiral }]);
    await llm(server, 'template=spiral-qwen,api=completions').act(request);
    expect(server.requests[1]!.path).to.equal('/v1/completions');
    expect(server.requests[1]!.body.prompt).to.equal(`<|im_start|>user\n${spiral}<|im_end|>\n<|im_start|>assistant\n`);
  });

  it('re-prompts after an unparseable reply, keeping the conversation, and sums tokens over the calls', async () => {
    const replies: Plan[] = [
      { reply: 'Let me think about turtles.', promptTokens: 100, completionTokens: 7 },
      { reply: '\\boxed{4}', promptTokens: 130, completionTokens: 3 },
    ];
    server.setScript(() => replies.shift()!);
    const { request, notes } = startRequest();
    expect(await llm(server, 'reprompts=2').act(request)).to.equal(4);
    const second = server.requests[1]!.body.messages!;
    expect(second.slice(-2, -1)).to.deep.equal([{ role: 'assistant', content: 'Let me think about turtles.' }]);
    expect(second[second.length - 1]!.content).to.match(/^Your answer could not be played: no legal action found in reply "Let me think about turtles\."/);
    expect(notes).to.have.length(1);
    expect(notes[0]).to.deep.include({ reply: '\\boxed{4}', promptTokens: 230, completionTokens: 10, calls: 2, reprompts: 1, retries: 0 });
  });

  it('an empty reply (content null, e.g. cut at max tokens) is re-prompted like any unparseable one', async () => {
    const replies: Plan[] = [{ reply: '', content: 'null' }, { reply: '[2]' }];
    server.setScript(() => replies.shift()!);
    expect(await llm(server).act(startRequest().request)).to.equal(2);
    expect(server.requests).to.have.length(2);
  });

  it('after the last re-prompt the parse error reaches the driver: the match is faulted as an invalid move', async () => {
    server.setScript(() => ({ reply: 'no idea' }));
    const result = await playMatch({ env: ttt, seed: 1, agents: [llm(server, 'reprompts=1'), createAgent({ kind: 'random' }, ttt)] });
    expect(server.requests).to.have.length(2);
    expect(result.fault).to.deep.include({ seat: 0, code: 'illegal-action' });
    expect(result.fault!.message).to.include('no idea');
    expect(result.record.history).to.have.length(0);
  });

  it('retries 500 and 429 answers with backoff (honouring retry-after-ms), and counts the retries', async () => {
    const plans: Plan[] = [{ status: 500 }, { status: 429, headers: { 'retry-after-ms': '1' } }, { reply: '[8]' }];
    server.setScript(() => plans.shift()!);
    const { request, notes } = startRequest();
    expect(await llm(server, 'retries=2').act(request)).to.equal(8);
    expect(server.requests).to.have.length(3);
    expect(notes[0]).to.deep.include({ calls: 1, retries: 2 });
  });

  it('gives up after `retries` with llm-request-failed; a 400 is not retried', async () => {
    server.setScript(() => ({ status: 503 }));
    const failed = await rejection(llm(server, 'retries=1').act(startRequest().request));
    expect(failed.code).to.equal('llm-request-failed');
    expect(failed.message).to.include('503');
    expect(server.requests).to.have.length(2);
    server.setScript(() => ({ status: 400 }));
    expect((await rejection(llm(server, 'retries=3').act(startRequest().request))).code).to.equal('llm-request-failed');
    expect(server.requests).to.have.length(3);
  });

  it('a malformed body is llm-bad-response and is not retried', async () => {
    server.setScript(() => ({ malformed: true }));
    expect((await rejection(llm(server, 'retries=3').act(startRequest().request))).code).to.equal('llm-bad-response');
    expect(server.requests).to.have.length(1);
  });

  it('a call slower than timeoutMs times out (llm-timeout) and is retried when retries allow', async () => {
    let release: (plan: Plan) => void = () => {};
    server.setScript((r) =>
      r.index === 0
        ? {
            hold: new Promise<Plan>((resolve) => {
              release = resolve;
            }),
          }
        : { reply: '[6]' },
    );
    const { request, notes } = startRequest();
    // The held first call times out; 1 s leaves the retry ample time to answer on a loaded machine.
    expect(await llm(server, 'timeoutMs=1000,retries=1').act(request)).to.equal(6);
    expect(notes[0]).to.deep.include({ retries: 1 });
    release({ reply: '[0]' }); // the first, abandoned request ends
    server.setScript(() => ({ hold: new Promise<Plan>(() => {}) }));
    expect((await rejection(llm(server, 'timeoutMs=50,retries=0').act(startRequest().request))).code).to.equal('llm-timeout');
  });

  it('a passed decision deadline fails at once with llm-timeout, before any request', async () => {
    const failed = await rejection(llm(server).act(startRequest({ deadline: Date.now() - 1 }).request));
    expect(failed.code).to.equal('llm-timeout');
    expect(server.requests).to.have.length(0);
  });

  it('caps calls in flight to one server for the whole process', async () => {
    const gates: ((plan: Plan) => void)[] = [];
    server.setScript(() => ({ hold: new Promise<Plan>((resolve) => gates.push(resolve)) }));
    const moves = Array.from({ length: 5 }, () => llm(server, 'concurrency=2').act(startRequest().request));
    await server.received(2);
    expect(limiterLoad(server.baseUrl)).to.deep.equal({ active: 2, pending: 3, concurrency: 2 });
    let answered = 0;
    while (answered < 5) {
      await server.received(answered + 1);
      gates[answered++]!({ reply: '[1]' });
    }
    expect(await Promise.all(moves)).to.deep.equal([1, 1, 1, 1, 1]);
    expect(server.maxInFlight).to.equal(2);
  });

  it("needs the driver's parser (llm-no-parser), a model, a valid URL and a readable template", async () => {
    const { parseReply: _drop, ...request } = startRequest().request;
    expect((await rejection(llm(server).act(request))).code).to.equal('llm-no-parser');
    expect(() => createAgent({ kind: 'llm', options: {} }, ttt)).to.throw(/needs a model/);
    expect(() => createAgent({ kind: 'llm', options: { model: 'm', baseUrl: 'not a url' } }, ttt)).to.throw(/baseUrl/);
    expect(() => createAgent({ kind: 'llm', options: { model: 'm', template: 'fancy' } }, ttt)).to.throw(/no prompt template "fancy"/);
    const dir = mkdtempSync(join(tmpdir(), 'ludus-llm-'));
    try {
      const file = join(dir, 'prompt.json');
      writeFileSync(file, JSON.stringify({ user: 'Seat {seat} of {env}. {observation} Move?' }));
      await llm(server, `templateFile=${file}`).act(startRequest().request);
      expect(server.requests[0]!.body.messages).to.deep.equal([
        { role: 'user', content: `Seat 0 of tic-tac-toe-v1. ${startRequest().request.observation.text} Move?` },
      ]);
      writeFileSync(file, JSON.stringify({ user: 'no observation here' }));
      expect(() => llm(server, `templateFile=${file}`)).to.throw(/never shows the observation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
