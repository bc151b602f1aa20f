/**
 * Agent kinds by name and the spec language of the CLI and league configs:
 * `mcts:sims=200,c=2,random` is two agents, `mcts` with two options and `random`.
 * A comma separates agents; a comma-separated `key=value` continues the options of the
 * agent before it. Later modules add kinds with `registerAgentKind`.
 */
import { z } from 'zod';
import { formatZodError, isTextOnly, knownKeysErrorMap } from '../envs/index.ts';
import type { AnyEnv } from '../envs/index.ts';
import type { Agent } from './agent.ts';
import type { AgentKindDefinition } from './agent-kind.ts';
import { AgentError, AgentUnsupportedEnvError, BadAgentOptionsError, UnknownAgentError } from './errors.ts';
import { firstLegalAgentKind } from './scripted/first-legal-agent.ts';
import { ismctsAgentKind } from './scripted/ismcts-agent.ts';
import { mctsAgentKind } from './scripted/mcts-agent.ts';
import { minimaxAgentKind } from './scripted/minimax-agent.ts';
import { overcookedGreedyAgentKind } from './scripted/overcooked-greedy-agent.ts';
import { randomAgentKind } from './scripted/random-agent.ts';
import { slimeBaselineAgentKind } from './scripted/slime-baseline-agent.ts';
import { volleySkillAgentKind } from './scripted/volley-skill-agent.ts';

export type { AgentKindDefinition } from './agent-kind.ts';

const OptionValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const AgentSpecSchema = z.strictObject({
  kind: z.string(),
  options: z.record(z.string(), OptionValueSchema).default({}),
});
export type AgentSpec = z.infer<typeof AgentSpecSchema>;

const KIND_NAME = /^[a-z][a-z0-9-]*$/;
const OPTION_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;

const KINDS = new Map<string, AgentKindDefinition>();

export function registerAgentKind(def: AgentKindDefinition): void {
  if (!KIND_NAME.test(def.kind)) {
    throw new AgentError(
      'bad-agent-options',
      `agent kind name "${def.kind}" is not kebab-case`,
      'use lower-case letters, digits and "-", starting with a letter',
    );
  }
  if (KINDS.has(def.kind)) {
    throw new AgentError('duplicate-agent-kind', `agent kind "${def.kind}" is already registered`, 'register each kind once, under a unique name');
  }
  KINDS.set(def.kind, def);
}

export function agentKinds(): readonly AgentKindDefinition[] {
  return [...KINDS.values()];
}

for (const def of [
  randomAgentKind,
  firstLegalAgentKind,
  minimaxAgentKind,
  mctsAgentKind,
  ismctsAgentKind,
  slimeBaselineAgentKind,
  volleySkillAgentKind,
  overcookedGreedyAgentKind,
])
  registerAgentKind(def);

/** 'mcts:sims=200,c=2,random' -> [{kind: 'mcts', options: {sims: 200, c: 2}}, {kind: 'random', options: {}}]. */
export function parseAgentSpecs(text: string): AgentSpec[] {
  const specs: AgentSpec[] = [];
  const tokens = text.split(',').map((token) => token.trim());
  if (text.trim() === '') throw specSyntaxError(text, 'names no agent');
  for (const token of tokens) {
    if (token === '') throw specSyntaxError(text, 'has an empty entry between commas');
    const colon = token.indexOf(':');
    const equals = token.indexOf('=');
    if (colon >= 0 && (equals < 0 || colon < equals)) {
      const spec: AgentSpec = { kind: token.slice(0, colon).trim(), options: {} };
      specs.push(spec);
      const rest = token.slice(colon + 1).trim();
      if (rest !== '') addOption(spec, rest, text);
    } else if (equals >= 0) {
      const last = specs[specs.length - 1];
      if (!last) throw specSyntaxError(text, `starts with the option "${token}" before any agent`);
      addOption(last, token, text);
    } else {
      specs.push({ kind: token, options: {} });
    }
  }
  return specs;
}

function addOption(spec: AgentSpec, token: string, text: string): void {
  const equals = token.indexOf('=');
  if (equals < 0) throw specSyntaxError(text, `has "${token}" where a key=value option was expected`);
  const key = token.slice(0, equals).trim();
  if (!OPTION_KEY.test(key)) throw specSyntaxError(text, `has a bad option name "${key}"`);
  if (Object.hasOwn(spec.options, key)) throw specSyntaxError(text, `sets option "${key}" of ${spec.kind} twice`);
  spec.options[key] = coerceValue(token.slice(equals + 1).trim());
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function coerceValue(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (NUMBER.test(raw)) return Number(raw);
  return raw;
}

function specSyntaxError(text: string, problem: string): BadAgentOptionsError {
  return new BadAgentOptionsError(
    `agent spec "${text}" ${problem}`,
    'write agents separated by commas, options after a colon as key=value, e.g. mcts:sims=200,c=2,random',
  );
}

/** One agent as spec text, options sorted by key; parses back to the same spec. */
export function formatAgentSpec(spec: AgentSpec): string {
  const keys = Object.keys(spec.options).sort();
  if (keys.length === 0) return spec.kind;
  const parts = keys.map((key) => {
    const value = spec.options[key]!;
    if (typeof value === 'string' && (value.includes(',') || value.trim() !== value || value === '')) {
      throw new BadAgentOptionsError(
        `option ${key}="${value}" of ${spec.kind} cannot be written in a spec`,
        'option values in specs cannot contain commas or be empty',
      );
    }
    return `${key}=${String(value)}`;
  });
  return `${spec.kind}:${parts.join(',')}`;
}

/** What `createAgent` accepts: an AgentSpec, or a looser record from a store, checked at run time. */
export interface AgentSpecInput {
  readonly kind: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A fresh agent for this env (seeding happens in its `reset`). */
export function createAgent(input: AgentSpecInput, env: AnyEnv, params?: unknown): Agent {
  const parsedSpec = AgentSpecSchema.safeParse(input, { error: knownKeysErrorMap });
  if (!parsedSpec.success) {
    throw new BadAgentOptionsError(
      `bad agent spec ${JSON.stringify(input)}: ${formatZodError(parsedSpec.error)}`,
      'give {kind, options} with string, number or boolean option values',
    );
  }
  const spec = parsedSpec.data;
  const def = KINDS.get(spec.kind);
  if (!def) throw new UnknownAgentError(spec.kind, [...KINDS.keys()]);
  const options = def.optionsSchema.safeParse(spec.options);
  if (!options.success) throw badOptions(def, options.error);
  const parsedParams = env.parseParams(params ?? {});
  const agent = def.create(options.data, { env, params: parsedParams, name: formatAgentSpec(spec) });
  if (agent.actText === undefined && isTextOnly(env, parsedParams)) {
    throw new AgentUnsupportedEnvError(spec.kind, env.key, 'it takes only free text and this agent answers with action ids', 'use random or llm');
  }
  return agent;
}

function badOptions(def: AgentKindDefinition, error: z.ZodError): BadAgentOptionsError {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `option "${issue.path.join('.') || '(options)'}": ${issue.message}`;
  });
  return new BadAgentOptionsError(`bad options for agent ${def.kind}: ${problems.join('; ')}`, describeOptions(def));
}

/** "options of mcts: sims (simulations per move, default 200), ..." from the schema. */
export function describeOptions(def: AgentKindDefinition): string {
  const schema = def.optionsSchema;
  if (!(schema instanceof z.ZodObject)) return `see the documentation of ${def.kind}`;
  const entries = Object.entries(schema.shape as Record<string, z.ZodType>);
  if (entries.length === 0) return `${def.kind} takes no options`;
  const described = entries.map(([key, field]) => {
    const fallback = defaultOf(field);
    const notes = [field.description, fallback === undefined ? undefined : `default ${String(fallback)}`].filter(Boolean);
    return notes.length ? `${key} (${notes.join(', ')})` : key;
  });
  return `options of ${def.kind}: ${described.join('; ')}`;
}

function defaultOf(field: z.ZodType): unknown {
  const def = (field as { def?: { type?: string; defaultValue?: unknown } }).def;
  return def?.type === 'default' ? def.defaultValue : undefined;
}
