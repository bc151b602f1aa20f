/**
 * One completion from an OpenAI-compatible server through the official `openai` client:
 * a per-call timeout (shortened to the decision deadline), our own retries with exponential
 * backoff (honouring `retry-after-ms` / `retry-after`), and the process-wide concurrency cap
 * of the server (shared-limiter.ts) around each HTTP call, never around a backoff wait.
 * The `openai` module loads at the first call, so commands without llm agents never load it.
 */
import type OpenAI from 'openai';
import { AgentError } from '../errors.ts';
import { type ChatMessage, toChatMl } from './prompt-template.ts';
import { sharedLimiter, type Limiter } from './shared-limiter.ts';

export interface LlmClientOptions {
  readonly baseUrl: string | undefined;
  readonly apiKey: string | undefined;
  readonly model: string;
  readonly api: 'chat' | 'completions';
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly concurrency: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
}

export interface Completion {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** HTTP attempts beyond the first. */
  readonly retries: number;
}

export interface CompleteOptions {
  /** ms since epoch; the call is cut short so the answer can still arrive in time. */
  readonly deadline: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

const MAX_RETRY_DELAY_MS = 30_000;
/** Room left before a decision deadline for parsing and sending the move. */
const DEADLINE_MARGIN_MS = 50;

type OpenAIModule = typeof import('openai');

let openaiModule: Promise<OpenAIModule> | undefined;
const loadOpenAI = (): Promise<OpenAIModule> => (openaiModule ??= import('openai'));

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export class LlmClient {
  readonly options: LlmClientOptions;
  readonly baseUrl: string;
  private client: OpenAI | undefined;
  private sdk: OpenAIModule | undefined;
  private readonly limiter: Limiter;

  constructor(options: LlmClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl ?? process.env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL;
    this.limiter = sharedLimiter(this.baseUrl, options.concurrency);
  }

  private async ready(): Promise<{ client: OpenAI; sdk: OpenAIModule }> {
    this.sdk ??= await loadOpenAI();
    this.client ??= new this.sdk.OpenAI({
      baseURL: this.baseUrl,
      // A local server needs no key: the client insists on one, so send no Authorization header instead.
      apiKey: this.options.apiKey ?? 'unused',
      ...(this.options.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
      maxRetries: 0,
      timeout: this.options.timeoutMs,
    });
    return { client: this.client, sdk: this.sdk };
  }

  /** Completes the conversation; throws AgentError llm-request-failed | llm-timeout | llm-bad-response. */
  async complete(messages: readonly ChatMessage[], call: CompleteOptions): Promise<Completion> {
    const { client, sdk } = await this.ready();
    for (let attempt = 0; ; attempt++) {
      let timeout = this.options.timeoutMs;
      try {
        // The time left is measured once the call leaves the queue of the concurrency cap.
        const completion = await this.limiter(() => {
          timeout = Math.min(this.options.timeoutMs, call.deadline - Date.now() - DEADLINE_MARGIN_MS);
          if (timeout <= 0)
            throw new AgentError(
              'llm-timeout',
              `no time left before the decision deadline (model ${this.options.model})`,
              'raise the match clock or use a faster model',
            );
          return this.request(client, messages, call, timeout);
        });
        return { ...completion, retries: attempt };
      } catch (error) {
        const failure = classify(sdk, error, this.options, timeout);
        if (!failure.retry || attempt >= this.options.retries || call.signal?.aborted) throw failure.error;
        const delay = Math.min(failure.retryAfterMs ?? backoff(this.options.retryDelayMs, attempt), MAX_RETRY_DELAY_MS);
        if (Date.now() + delay >= call.deadline - DEADLINE_MARGIN_MS) throw failure.error;
        await sleep(delay, call.signal);
      }
    }
  }

  private async request(client: OpenAI, messages: readonly ChatMessage[], call: CompleteOptions, timeout: number): Promise<Omit<Completion, 'retries'>> {
    const o = this.options;
    const sampling = {
      model: o.model,
      ...(o.temperature === undefined ? {} : { temperature: o.temperature }),
      ...(o.topP === undefined ? {} : { top_p: o.topP }),
      ...(o.maxTokens === undefined ? {} : { max_tokens: o.maxTokens }),
      ...(call.seed === undefined ? {} : { seed: call.seed }),
    };
    const requestOptions = { timeout, maxRetries: 0, ...(call.signal ? { signal: call.signal } : {}) };
    if (o.api === 'completions') {
      const res = await client.completions.create({ ...sampling, prompt: toChatMl(messages), stream: false }, requestOptions);
      const text = res?.choices?.[0]?.text;
      if (typeof text !== 'string') throw badResponse(o.model, 'no choices[0].text');
      return { text, ...usage(res.usage) };
    }
    const res = await client.chat.completions.create({ ...sampling, messages: messages.map((m) => ({ ...m })), stream: false }, requestOptions);
    const message = res?.choices?.[0]?.message;
    if (message === undefined || message === null) throw badResponse(o.model, 'no choices[0].message');
    // A reply cut off at max tokens may have no content: an empty reply, re-prompted like any unparseable one.
    return { text: typeof message.content === 'string' ? message.content : '', ...usage(res.usage) };
  }
}

function usage(u: { prompt_tokens?: number; completion_tokens?: number } | undefined | null): { promptTokens: number; completionTokens: number } {
  return { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
}

function badResponse(model: string, what: string): AgentError {
  return new AgentError(
    'llm-bad-response',
    `the server's answer for model ${model} has ${what}`,
    'check baseUrl points at an OpenAI-compatible /v1 endpoint and api=chat|completions matches it',
  );
}

interface Failure {
  readonly error: AgentError;
  readonly retry: boolean;
  readonly retryAfterMs?: number;
}

/** Transient failures (connection, timeout, 408, 409, 429, 5xx) are retried; the rest fail the move. */
function classify({ OpenAI }: OpenAIModule, error: unknown, o: LlmClientOptions, timeout: number): Failure {
  if (error instanceof AgentError) return { error, retry: false };
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return {
      error: new AgentError('llm-timeout', `model ${o.model} did not answer within ${timeout} ms`, 'raise timeoutMs, lower maxTokens, or lower concurrency'),
      retry: true,
    };
  }
  if (error instanceof OpenAI.APIUserAbortError)
    return { error: new AgentError('llm-request-failed', 'the call was cancelled', 'the match was left'), retry: false };
  if (error instanceof OpenAI.APIConnectionError) {
    return {
      error: new AgentError('llm-request-failed', `cannot reach the server for model ${o.model}: ${error.message}`, 'check baseUrl and that the server runs'),
      retry: true,
    };
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const retry = status === 408 || status === 409 || status === 429 || status >= 500;
    const hint =
      status === 401 || status === 403
        ? 'set LUDUS_LLM_API_KEY (or OPENAI_API_KEY)'
        : status === 404
          ? 'check baseUrl (it usually ends in /v1) and the model name'
          : 'see the server log';
    const retryAfterMs = retryAfter(error.headers);
    return {
      error: new AgentError('llm-request-failed', `the server answered ${status} for model ${o.model}: ${error.message}`, hint),
      retry,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  // The client parses JSON itself; anything else here is a reply that is not a completion.
  return { error: badResponse(o.model, `an unexpected shape (${(error as Error)?.message ?? String(error)})`), retry: false };
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers?.get('retry-after') ?? NaN);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}

/** Exponential with full jitter in its upper half: base·2^attempt·[0.5, 1). */
function backoff(baseMs: number, attempt: number): number {
  return baseMs * 2 ** attempt * (0.5 + Math.random() / 2);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
