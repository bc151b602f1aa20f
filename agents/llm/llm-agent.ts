/**
 * The `llm` agent: prompts a language model with the env's observation text, parses its
 * reply with the env's own parser (handed in by the driver as `parseReply`), and on a reply
 * that names no legal action re-prompts up to `reprompts` times with the parser's error,
 * keeping the conversation. After that the parse error goes to the driver, where the env's
 * invalid-move rule applies. In envs that judge free text themselves (`actText`) the reply is
 * the move and the env judges it. Each move's reply, tokens and latency go to `noteMove`.
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
    const { template, reprompts } = this.options;
    const started = performance.now();
    const values = promptValues(request);
    const messages: ChatMessage[] = firstMessages(template, values);
    const usage = { promptTokens: 0, completionTokens: 0, retries: 0 };
    for (let attempt = 0; ; attempt++) {
      const text = await this.call(messages, request, attempt, usage);
      let action: ActionId;
      try {
        action = parse(text);
      } catch (error) {
        if (!(error instanceof ActionParseError) || attempt >= reprompts) throw error;
        messages.push({ role: 'assistant', content: text }, repromptMessage(template, values, bareMessage(error), error.hint));
        continue;
      }
      this.note(request, text, started, attempt, usage);
      return action;
    }
  }

  /**
   * Envs that judge free text themselves: the model's reply, as it is, is the move. There is no
   * re-prompt: the env's own invalid-move rule (TextArena's error allowance, a who-is-the-spy
   * clue that says the word) decides what an invalid reply costs.
   */
  async actText(request: DecisionRequest): Promise<string> {
    const started = performance.now();
    const usage = { promptTokens: 0, completionTokens: 0, retries: 0 };
    const text = await this.call(firstMessages(this.options.template, promptValues(request)), request, 0, usage);
    this.note(request, text, started, 0, usage);
    return text;
  }

  private async call(messages: readonly ChatMessage[], request: DecisionRequest, attempt: number, usage: Usage): Promise<string> {
    const seed = this.options.sendSeed ? deriveSeed(this.seed, SEED_STREAMS.llmSampling, request.stepIndex, attempt) & 0x7fffffff : undefined;
    const completion = await this.options.client.complete(messages, { deadline: request.deadline, ...(seed === undefined ? {} : { seed }) });
    usage.promptTokens += completion.promptTokens;
    usage.completionTokens += completion.completionTokens;
    usage.retries += completion.retries;
    return completion.text;
  }

  private note(request: DecisionRequest, reply: string, started: number, reprompts: number, usage: Usage): void {
    request.noteMove?.({
      reply,
      model: this.options.client.options.model,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      latencyMs: Math.round(performance.now() - started),
      calls: reprompts + 1,
      reprompts,
      retries: usage.retries,
    });
  }
}

interface Usage {
  promptTokens: number;
  completionTokens: number;
  retries: number;
}

const promptValues = (request: DecisionRequest): PromptValues => ({
  observation: request.observation.text,
  rules: request.env.spec.rulesText,
  env: request.env.key,
  seat: request.seat,
});

/** LudusError appends its hint to the message; the re-prompt shows both separately. */
function bareMessage(error: LudusError): string {
  const suffix = error.hint ? ` (${error.hint})` : '';
  return suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}
