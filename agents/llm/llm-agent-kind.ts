/**
 * Agent kind `llm`: a language model behind an OpenAI-compatible chat-completions API
 * (vLLM, llama.cpp server, Ollama, hosted APIs), e.g.
 * `llm:model=Qwen/Qwen3-4B,baseUrl=http://127.0.0.1:8000/v1,template=spiral-qwen,temperature=0.6`.
 * The API key comes from LUDUS_LLM_API_KEY, else OPENAI_API_KEY (or the variable named by
 * `apiKeyEnv`); a local server needs none.
 */
import { z } from 'zod';
import { defineAgentKind } from '../agent-kind.ts';
import { BadAgentOptionsError } from '../errors.ts';
import { agentKinds, registerAgentKind } from '../registry.ts';
import { LlmAgent } from './llm-agent.ts';
import { LlmClient } from './llm-client.ts';
import { loadTemplate } from './prompt-template.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const LlmAgentOptionsSchema = z
  .object({
    // Optional in the schema only so `{}` parses like every kind's; create() requires it. Numbers are names too (model=7).
    model: z
      .union([z.string().min(1), z.number()])
      .transform(String)
      .optional()
      .describe('model name the server knows (required)'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('server URL ending in /v1; default OPENAI_BASE_URL or OpenAI'),
    api: z.enum(['chat', 'completions']).default('chat').describe('chat: /chat/completions; completions: raw ChatML prompt for base models'),
    template: z.string().default('plain').describe('prompt template: plain or spiral-qwen'),
    templateFile: z.string().min(1).optional().describe('JSON file {system?, user, reprompt?} with {observation} placeholders'),
    temperature: z.number().min(0).max(2).optional().describe('sampling temperature; server default when unset'),
    topP: z.number().gt(0).max(1).optional().describe('nucleus sampling; server default when unset'),
    maxTokens: z.number().int().min(1).max(1_000_000).default(4096).describe('max generated tokens per call'),
    timeoutMs: z.number().int().min(1).max(3_600_000).default(120_000).describe('per-call timeout (cut to the decision deadline)'),
    retries: z.number().int().min(0).max(20).default(3).describe('HTTP retries on connection errors, timeouts, 408/409/429/5xx'),
    retryDelayMs: z.number().int().min(0).max(60_000).default(500).describe('first backoff delay, doubling'),
    concurrency: z.number().int().min(1).max(10_000).default(8).describe('calls in flight to this server, for the whole process'),
    reprompts: z.number().int().min(0).max(10).default(1).describe('re-prompts after a reply that names no legal action'),
    seed: z.boolean().default(true).describe('send a per-call seed derived from the match seed'),
    apiKeyEnv: z.string().regex(ENV_NAME).optional().describe('environment variable holding the API key'),
  })
  .strict();
export type LlmAgentKindOptions = z.infer<typeof LlmAgentOptionsSchema>;

/** LUDUS_LLM_API_KEY, then OPENAI_API_KEY; or only the named variable. Empty counts as unset. */
export function apiKeyFrom(env: NodeJS.ProcessEnv, name?: string): string | undefined {
  const names = name === undefined ? ['LUDUS_LLM_API_KEY', 'OPENAI_API_KEY'] : [name];
  for (const n of names) {
    const value = env[n]?.trim();
    if (value) return value;
  }
  return undefined;
}

export const llmAgentKind = defineAgentKind({
  kind: 'llm',
  description: 'a language model over an OpenAI-compatible chat-completions API, prompted with the observation text',
  optionsSchema: LlmAgentOptionsSchema,
  create(options, { name }) {
    if (options.model === undefined) {
      throw new BadAgentOptionsError('agent llm needs a model', 'write llm:model=NAME,baseUrl=http://HOST:PORT/v1');
    }
    const template = loadTemplate(options.template, options.templateFile);
    const client = new LlmClient({
      baseUrl: options.baseUrl,
      apiKey: apiKeyFrom(process.env, options.apiKeyEnv),
      model: options.model,
      api: options.api,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      concurrency: options.concurrency,
      maxTokens: options.maxTokens,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.topP === undefined ? {} : { topP: options.topP }),
    });
    return new LlmAgent({ name, client, template, reprompts: options.reprompts, sendSeed: options.seed });
  },
});

// Registered on import, like `neural`.
if (!agentKinds().some((def) => def.kind === llmAgentKind.kind)) registerAgentKind(llmAgentKind);
