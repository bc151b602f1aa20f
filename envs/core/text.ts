/**
 * Text helpers for language-model agents: a prompt per seat, and a parser that maps a
 * free-text reply ("I play [4]", "\\boxed{bet}", '{"column":3}') to a legal ActionId or a
 * clear ActionParseError listing what would have been accepted.
 */
import { z } from 'zod';
import type { ActionId, AnyEnv, Seat } from './env.ts';
import { ActionParseError } from './errors.ts';

export interface TextPrompt {
  readonly rules: string;
  readonly observation: string;
  readonly legalActions: readonly { readonly id: ActionId; readonly text: string }[];
  readonly actionJsonSchema: unknown;
}

export function textPrompt(env: AnyEnv, state: unknown, seat: Seat): TextPrompt {
  return {
    rules: env.spec.rulesText,
    observation: env.observationText(state, seat),
    legalActions: env.legalActions(state, seat).map((id) => ({ id, text: env.actionText(state, seat, id) })),
    actionJsonSchema: actionJsonSchema(env),
  };
}

const schemaCache = new WeakMap<object, unknown>();

/** The action struct as JSON Schema, for language-model tool calls and the HTTP API. */
export function actionJsonSchema(env: AnyEnv): unknown {
  let schema = schemaCache.get(env.spec);
  if (schema === undefined) {
    try {
      schema = z.toJSONSchema(env.spec.actionSchema as z.ZodType, { io: 'input' });
    } catch {
      schema = {}; // a schema zod cannot express; callers fall back to action texts
    }
    schemaCache.set(env.spec, schema);
  }
  return schema;
}

/** Lower-case, collapse spaces, strip surrounding brackets and quotes: "[ Bet ]" ~ "bet". */
export function normalizeActionText(text: string): string {
  return text
    .trim()
    .replace(/^['"`]+|['"`]+$/g, '')
    .replace(/^\[\s*|\s*\]$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Candidate answers in priority order: the whole reply, boxed answers, JSON, bracket tokens. */
function candidates(reply: string): { texts: string[]; json: unknown[] } {
  const texts = [reply];
  const boxed = [...reply.matchAll(/\\boxed\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  texts.push(...boxed.reverse()); // the last boxed answer wins, as SPIRAL extracts it
  texts.push(...[...reply.matchAll(/\[[^[\]]*\]/g)].map((m) => m[0])); // first bracket first, as TextArena
  const json: unknown[] = [];
  for (const m of reply.matchAll(/\{[^{}]*\}/g)) {
    try { json.push(JSON.parse(m[0])); } catch { /* not JSON: ignore */ }
  }
  return { texts, json };
}

/**
 * Maps a reply to a legal action id: an env-specific parser first (if the env has one),
 * then exact (normalized) action texts, then a JSON action struct.
 * Throws ActionParseError naming the legal actions when nothing legal is found.
 */
export function parseActionText(env: AnyEnv, state: unknown, seat: Seat, reply: string): ActionId {
  const legal = env.legalActions(state, seat);
  if (legal.length === 0) {
    throw new ActionParseError(reply, `seat ${seat} has no action to take here`, 'wait for your turn');
  }
  const custom = env.parseAction?.(state, seat, reply);
  if (custom !== undefined && legal.includes(custom)) return custom;

  const byText = new Map<string, ActionId>();
  for (const id of legal) byText.set(normalizeActionText(env.actionText(state, seat, id)), id);
  const { texts, json } = candidates(reply);
  for (const text of texts) {
    const id = byText.get(normalizeActionText(text));
    if (id !== undefined) return id;
  }
  for (const value of json) {
    const id = env.encodeAction(state, seat, value);
    if (id !== undefined && legal.includes(id)) return id;
  }
  const shown = legal.map((id) => env.actionText(state, seat, id)).join(', ');
  const preview = reply.length > 80 ? `${reply.slice(0, 77)}...` : reply;
  throw new ActionParseError(reply, `no legal action found in reply "${preview}"`, `answer with exactly one of: ${shown}`);
}

/** Like parseActionText, but returns undefined instead of throwing. */
export function tryParseActionText(env: AnyEnv, state: unknown, seat: Seat, reply: string): ActionId | undefined {
  try {
    return parseActionText(env, state, seat, reply);
  } catch (error) {
    if (error instanceof ActionParseError) return undefined;
    throw error;
  }
}
