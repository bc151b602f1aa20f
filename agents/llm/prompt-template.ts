/**
 * Prompt templates of the `llm` agent: how an env's observation text becomes chat messages
 * (or, for the completions API, one raw prompt string), and what a re-prompt after an
 * unparseable reply says. Placeholders: {observation} (the env's text, as is), {rules},
 * {env}, {seat}, {error}, {hint}. Built in: `plain` and `spiral-qwen` (SPIRAL's training
 * prompt for Qwen3, no system message); a JSON file `{system?, user, reprompt?}` adds more.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { AgentError } from '../errors.ts';

export interface PromptTemplate {
  readonly name: string;
  readonly system?: string;
  readonly user: string;
  readonly reprompt: string;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface PromptValues {
  readonly observation: string;
  readonly rules: string;
  readonly env: string;
  readonly seat: number;
}

const DEFAULT_REPROMPT = 'Your answer could not be played: {error} ({hint}). Answer again and put your final answer within \\boxed{}.';

export const PROMPT_TEMPLATES: Readonly<Record<string, PromptTemplate>> = {
  plain: {
    name: 'plain',
    system: '{rules}',
    user: '{observation}\n\nThink as much as you need, then put your move within \\boxed{}.',
    reprompt: DEFAULT_REPROMPT,
  },
  // SPIRAL (train_spiral.py) formats the observation into this text under Qwen's chat markup.
  'spiral-qwen': {
    name: 'spiral-qwen',
    user: 'You are playing a two-player zero-sum game. Make valid actions to win.\nObservation: {observation}\nPlease reason step by step, and put your final answer within \\boxed{}.',
    reprompt: DEFAULT_REPROMPT,
  },
};

const TemplateFileSchema = z
  .object({
    system: z.string().max(20_000).optional(),
    user: z.string().min(1).max(20_000),
    reprompt: z.string().min(1).max(20_000).optional(),
  })
  .strict();

/** A built-in template by name, or a JSON template file. */
export function loadTemplate(name: string, file?: string): PromptTemplate {
  if (file === undefined) {
    const builtIn = PROMPT_TEMPLATES[name];
    if (!builtIn) {
      throw new AgentError(
        'llm-bad-template',
        `no prompt template "${name}"`,
        `built-in templates: ${Object.keys(PROMPT_TEMPLATES).join(', ')}; or give templateFile=PATH`,
      );
    }
    return builtIn;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AgentError(
      'llm-bad-template',
      `cannot read the prompt template ${file}: ${(error as Error).message}`,
      'give a JSON file {"system": "...", "user": "... {observation} ...", "reprompt": "..."}',
    );
  }
  const parsed = TemplateFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AgentError(
      'llm-bad-template',
      `bad prompt template ${file}: ${formatZodError(parsed.error)}`,
      'keys: system (optional), user (required), reprompt (optional)',
    );
  }
  if (!parsed.data.user.includes('{observation}')) {
    throw new AgentError('llm-bad-template', `prompt template ${file} never shows the observation`, 'put {observation} in its "user" text');
  }
  return { name: file, ...parsed.data, reprompt: parsed.data.reprompt ?? DEFAULT_REPROMPT };
}

/** Replaces {key} placeholders in one pass, so values containing braces stay as they are. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? String(values[key]) : whole));
}

/** The first messages of a decision: optional system, then the user turn with the observation. */
export function firstMessages(template: PromptTemplate, values: PromptValues): ChatMessage[] {
  const vars = { ...values };
  const messages: ChatMessage[] = [];
  if (template.system !== undefined) messages.push({ role: 'system', content: fill(template.system, vars) });
  messages.push({ role: 'user', content: fill(template.user, vars) });
  return messages;
}

/** The user turn after an unparseable reply. */
export function repromptMessage(template: PromptTemplate, values: PromptValues, error: string, hint: string): ChatMessage {
  return { role: 'user', content: fill(template.reprompt, { ...values, error, hint }) };
}

/**
 * Messages as one raw prompt in ChatML (Qwen's chat markup), ending with an open assistant
 * turn: the text a chat server would render for Qwen, sent to the completions API so base
 * models see exactly the prompt SPIRAL trains with.
 */
export function toChatMl(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('')}<|im_start|>assistant\n`;
}
