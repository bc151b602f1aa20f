/**
 * A real HTTP server speaking the OpenAI chat-completions protocol on a loopback port, for
 * tests: each request is answered by a script (a reply, an HTTP error, a malformed body, or a
 * reply held until the test releases it). It records every request and the most requests
 * it ever had in flight at once.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Plan =
  | { readonly reply: string; readonly promptTokens?: number; readonly completionTokens?: number; readonly content?: 'null' }
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly malformed: true }
  /** Answers with the plan the promise gives; a promise that never settles holds the request until the client gives up. */
  | { readonly hold: Promise<Plan> };

export interface ChatRequest {
  readonly index: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    model: string;
    messages?: { role: string; content: string }[];
    prompt?: string;
    temperature?: number;
    top_p?: number;
    max_tokens?: number;
    seed?: number;
  };
}

export type Script = (request: ChatRequest) => Plan;

export class ChatServer {
  readonly requests: ChatRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly server: Server;
  private script: Script;
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(script: Script) {
    this.script = script;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  static async start(script: Script): Promise<ChatServer> {
    const server = new ChatServer(script);
    server.server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  setScript(script: Script): void {
    this.script = script;
  }

  /** Resolves once `count` requests have arrived in total. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(path: string, headers: IncomingHttpHeaders, raw: string, res: ServerResponse): Promise<void> {
    const request: ChatRequest = { index: this.requests.length, path, headers, body: JSON.parse(raw) };
    this.requests.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => {
      this.inFlight--;
    });
    for (const w of this.waiters.filter((x) => this.requests.length >= x.count)) w.resolve();
    this.waiters = this.waiters.filter((x) => this.requests.length < x.count);
    let plan = this.script(request);
    while ('hold' in plan) plan = await plan.hold;
    if (res.destroyed) return;
    if ('malformed' in plan) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [ {"message": ');
    } else if ('status' in plan) {
      res
        .writeHead(plan.status, { 'content-type': 'application/json', ...plan.headers })
        .end(plan.body ?? JSON.stringify({ error: { message: `scripted ${plan.status}`, type: 'server_error' } }));
    } else {
      const usage = {
        prompt_tokens: plan.promptTokens ?? 10,
        completion_tokens: plan.completionTokens ?? 5,
        total_tokens: (plan.promptTokens ?? 10) + (plan.completionTokens ?? 5),
      };
      const body = path.endsWith('/chat/completions')
        ? {
            id: `chat-${request.index}`,
            object: 'chat.completion',
            created: 0,
            model: request.body.model,
            usage,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: plan.content === 'null' ? null : plan.reply } }],
          }
        : {
            id: `cmpl-${request.index}`,
            object: 'text_completion',
            created: 0,
            model: request.body.model,
            usage,
            choices: [{ index: 0, finish_reason: 'stop', text: plan.reply }],
          };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
  }
}

/** The last user message of a chat request (or the raw prompt). */
export function lastUserText(request: ChatRequest): string {
  const users = (request.body.messages ?? []).filter((m) => m.role === 'user');
  return users[users.length - 1]?.content ?? request.body.prompt ?? '';
}

/** A "model" that plays the first move of the last "Available Moves:" (tic-tac-toe) or "available actions are:" (Kuhn) list, boxed. */
export function firstListedMove(request: ChatRequest): Plan {
  const text = (request.body.messages ?? []).map((m) => m.content).join('\n') + (request.body.prompt ?? '');
  const lists = [...text.matchAll(/(?:Available Moves|available actions are): (.*)/gi)];
  const moves = lists[lists.length - 1]?.[1] ?? '';
  const first = /\[([^\]]+)\]/.exec(moves)?.[1];
  return { reply: first === undefined ? 'I pass.' : `I will take ${first}. \\boxed{${first}}` };
}
