/**
 * The error catalog of the agents layer: bad agent specs, unknown kinds, agents asked to
 * play an env they cannot handle, failures of language-model calls. Each error names what went wrong and how to fix it.
 */
import { errorClass } from '../envs/index.ts';

export const AGENT_ERROR_CODES = {
  'unknown-agent': 'no agent kind is registered under that name',
  'bad-agent-options': "an agent spec or its options do not parse or do not pass the kind's schema",
  'agent-unsupported-env': 'the agent kind cannot play this environment',
  'agent-needs-state': 'an agent that needs the game state (a search agent, random text replies) was asked to act from an observation alone',
  'duplicate-agent-kind': 'an agent kind was registered twice',
  'llm-request-failed': 'the chat-completions server failed or refused a request, after retries',
  'llm-timeout': 'a chat-completions call took longer than its timeout or the decision deadline',
  'llm-bad-response': 'the server answered with something that is not a chat completion',
  'llm-unparseable-reply': "the model's replies named no legal action, re-prompts included",
  'llm-no-parser': 'the driver of this match cannot parse text replies for a text agent',
  'llm-bad-template': 'a prompt template file is missing or malformed',
} as const;

export type AgentErrorCode = keyof typeof AGENT_ERROR_CODES;

export class AgentError extends errorClass<AgentErrorCode>('AgentError', AGENT_ERROR_CODES) {}

export class UnknownAgentError extends AgentError {
  readonly known: readonly string[];

  constructor(kind: string, known: readonly string[]) {
    super('unknown-agent', `unknown agent kind "${kind}"`, `known agent kinds: ${known.join(', ')}`);
    this.name = 'UnknownAgentError';
    this.known = known;
  }
}

export class BadAgentOptionsError extends AgentError {
  constructor(message: string, hint: string) {
    super('bad-agent-options', message, hint);
    this.name = 'BadAgentOptionsError';
  }
}

export class AgentUnsupportedEnvError extends AgentError {
  constructor(kind: string, envKey: string, reason: string, hint: string) {
    super('agent-unsupported-env', `agent ${kind} cannot play ${envKey}: ${reason}`, hint);
    this.name = 'AgentUnsupportedEnvError';
  }
}
