/**
 * The `llm` agent: prompts a language model with the env's observation text, parses its
 * reply with the env's own parser (handed in by the driver as `parseReply`), and on a reply
 * that names no legal action re-prompts up to `reprompts` times with the parser's error,
 * keeping the conversation. After that the parse error goes to the driver, where the env's
 * invalid-move rule applies. Each move's reply, tokens and latency go to `noteMove`.
 */
import { ActionParseError, deriveSeed, type LudusError, SEED_STREAMS } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { AgentError } from '../errors.ts';
import type { LlmClient } from './llm-client.ts';
import { firstMessages, repromptMessage, type ChatMessage, type PromptTemplate, type PromptValues } from './prompt-template.ts';

export interface LlmAgentOptions {
  readonly name: string;
  readonly client: LlmClient;
  readonly template: PromptTemplate;
  /** Extra calls allowed after unparseable replies, per move. */
  readonly reprompts: number;
  /** Send a per-call `seed` derived from the agent's reset seed (servers that honour it reproduce). */
  readonly sendSeed: boolean;
}

export class LlmAgent implements Agent {
  readonly name: string;
  private readonly options: LlmAgentOptions;
  private seed = 0;

  constructor(options: LlmAgentOptions) {
    this.name = options.name;
    this.options = options;
  }

  reset(_seat: Seat, seed: number): void {
    this.seed = seed;
  }

  async act(request: DecisionRequest): Promise<ActionId> {
    const parse = request.parseReply;
    if (parse === undefined) {
      throw new AgentError(
        'llm-no-parser',
        `${this.name} needs the env's text parser, which this match driver does not provide`,
        'play llm agents with `ludus play`, a headless league or `ludus agent`',
      );
    }
    const { client, template, reprompts } = this.options;
    const started = performance.now();
    const values: PromptValues = { observation: request.observation.text, rules: request.env.spec.rulesText, env: request.env.key, seat: request.seat };
    const messages: ChatMessage[] = firstMessages(template, values);
    let promptTokens = 0;
    let completionTokens = 0;
    let retries = 0;
    for (let attempt = 0; ; attempt++) {
      const seed = this.options.sendSeed ? deriveSeed(this.seed, SEED_STREAMS.llmSampling, request.stepIndex, attempt) & 0x7fffffff : undefined;
      const completion = await client.complete(messages, { deadline: request.deadline, ...(seed === undefined ? {} : { seed }) });
      promptTokens += completion.promptTokens;
      completionTokens += completion.completionTokens;
      retries += completion.retries;
      let action: ActionId;
      try {
        action = parse(completion.text);
      } catch (error) {
        if (!(error instanceof ActionParseError) || attempt >= reprompts) throw error;
        messages.push({ role: 'assistant', content: completion.text }, repromptMessage(template, values, bareMessage(error), error.hint));
        continue;
      }
      request.noteMove?.({
        reply: completion.text,
        model: client.options.model,
        promptTokens,
        completionTokens,
        latencyMs: Math.round(performance.now() - started),
        calls: attempt + 1,
        reprompts: attempt,
        retries,
      });
      return action;
    }
  }
}

/** LudusError appends its hint to the message; the re-prompt shows both separately. */
function bareMessage(error: LudusError): string {
  const suffix = error.hint ? ` (${error.hint})` : '';
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}
