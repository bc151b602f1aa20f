/**
 * What a module provides to make an agent kind available by name (`mcts`, `random`, ...):
 * a description, a strict zod schema for its options, and a factory. Kinds live beside
 * their agent; `agents/registry.ts` holds the table and parses specs.
 */
import type { z } from 'zod';
import type { AnyEnv } from '../envs/index.ts';
import type { Agent } from './agent.ts';

export interface AgentContext {
  readonly env: AnyEnv;
  /** Parsed env params of the match (defaults filled in). */
  readonly params: unknown;
  /** The agent's display name: the formatted spec. */
  readonly name: string;
}

export interface AgentKindDefinition<O = any> {
  /** kebab-case, unique: the word before the colon in a spec. */
  readonly kind: string;
  /** One line for `ludus agents` and help texts. */
  readonly description: string;
  /** Strict object schema (unknown options are errors) with a default for every option. */
  readonly optionsSchema: z.ZodType<O, any>;
  /** A fresh agent; throws AgentUnsupportedEnvError if the kind cannot play this env. */
  create(options: O, context: AgentContext): Agent;
}

/** Identity helper that infers the options type from the schema. */
export function defineAgentKind<O>(def: AgentKindDefinition<O>): AgentKindDefinition<O> {
  return def;
}
