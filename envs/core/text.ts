/**
 * Text helpers for language-model agents: a prompt per seat, and the one parser that maps a
 * free-text reply ("I play [4]", "\\boxed{bet}", '{"column":3}') to a legal ActionId or a typed
 * ActionParseError. The rule (docs/agent-protocol.md, "Text actions"):
 *   1 a reply longer than MAX_REPLY_CHARS is `reply-too-long`;
 *   2 a reply that is, as a whole, a name of a legal action plays it ("paper.", "4", "[bet]");
 *   3 else, if the reply has a complete `\boxed{...}`, the last one decides: it must name a
 *     legal action (or hold its JSON struct), nothing else in the reply counts;
 *   4 else every `[token]` and JSON action struct in the reply that names a legal action counts:
 *     one distinct action plays it, several are `ambiguous-action`, none `unparseable-action`.
 * Names come from the env's vocabulary: each legal action's `actionText` plus its
 * `actionAliases` ("col 3", "pass"), compared after normalizeActionText. Everything here is
 * linear in the reply's length (reply-scan.ts).
 */
import { z } from 'zod';
import type { ActionId, AnyEnv, Seat } from './env.ts';
import { ActionParseError } from './errors.ts';
import { innermostSpans, lastBoxed, looksLikeJsonObject, normalizeActionText, unwrapLatex } from './reply-scan.ts';

export { normalizeActionText } from './reply-scan.ts';

/** The longest text reply parsed; the arena's wire limit on text replies is the same. */
export const MAX_REPLY_CHARS = 4096;

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

/** A name shared by two legal actions: it names neither alone. */
const CONFLICT = -1;

/** Normalized name -> legal action, from each action's text and aliases. */
export function actionVocabulary(env: AnyEnv, state: unknown, seat: Seat, legal: readonly ActionId[]): Map<string, ActionId> {
  const vocabulary = new Map<string, ActionId>();
  const add = (name: string, id: ActionId): void => {
    const key = normalizeActionText(name);
    if (key === '') return;
    const other = vocabulary.get(key);
    vocabulary.set(key, other === undefined || other === id ? id : CONFLICT);
  };
  for (const id of legal) {
    add(env.actionText(state, seat, id), id);
    for (const alias of env.actionAliases?.(state, seat, id) ?? []) add(alias, id);
  }
  return vocabulary;
}

/** Which part of the reply decided the action. */
export type ReplySource = 'whole' | 'boxed' | 'bracket' | 'json';

export interface ParsedReply {
  readonly action: ActionId;
  /** The action's text, for acknowledgements that echo what a reply became. */
  readonly text: string;
  readonly source: ReplySource;
}

const preview = (text: string): string => {
  const flat = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return flat.replace(/\s+/g, ' ');
};

interface Context {
  readonly env: AnyEnv;
  readonly state: unknown;
  readonly seat: Seat;
  readonly reply: string;
  readonly legal: readonly ActionId[];
  readonly vocabulary: Map<string, ActionId>;
}

const answerHint = (ctx: Context): string => `answer with exactly one of: ${ctx.legal.map((id) => ctx.env.actionText(ctx.state, ctx.seat, id)).join(', ')}`;

/** A JSON action struct in `text`, if it encodes to a legal action. */
function jsonAction(ctx: Context, text: string): ActionId | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // not JSON: not an answer
  }
  let id: ActionId | undefined;
  try {
    id = ctx.env.encodeAction(ctx.state, ctx.seat, value);
  } catch {
    id = undefined; // an env that throws on odd input names no action
  }
  return id !== undefined && ctx.legal.includes(id) ? id : undefined;
}

function named(ctx: Context, text: string): ActionId | undefined {
  const id = ctx.vocabulary.get(normalizeActionText(text));
  return id === CONFLICT ? undefined : id;
}

function fromBoxed(ctx: Context, content: string): ActionId {
  const answer = unwrapLatex(content);
  const id = named(ctx, answer) ?? (answer.startsWith('{') ? jsonAction(ctx, answer) : undefined);
  if (id !== undefined) return id;
  throw new ActionParseError(ctx.reply, `the last \\boxed{} answer "${preview(answer)}" names no legal action`, answerHint(ctx));
}

interface Named {
  readonly action: ActionId;
  readonly source: ReplySource;
}

/** Every distinct legal action named by a `[token]` or a JSON struct (first mention kept). */
function namedInText(ctx: Context): Named[] {
  const found: Named[] = [];
  const note = (action: ActionId | undefined, source: ReplySource): void => {
    if (action !== undefined && !found.some((f) => f.action === action)) found.push({ action, source });
  };
  for (const span of innermostSpans(ctx.reply, '[', ']')) note(named(ctx, ctx.reply.slice(span.start, span.end)), 'bracket');
  for (const span of innermostSpans(ctx.reply, '{', '}')) {
    if (looksLikeJsonObject(ctx.reply, span)) note(jsonAction(ctx, ctx.reply.slice(span.start - 1, span.end + 1)), 'json');
  }
  return found;
}

function decide(ctx: Context): Named {
  const whole = named(ctx, ctx.reply);
  if (whole !== undefined) return { action: whole, source: 'whole' };
  const box = lastBoxed(ctx.reply);
  if (box) return { action: fromBoxed(ctx, ctx.reply.slice(box.start, box.end)), source: 'boxed' };
  const found = namedInText(ctx);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const actions = found.map((f) => f.action);
    const texts = actions.map((id) => ctx.env.actionText(ctx.state, ctx.seat, id));
    throw new ActionParseError(
      ctx.reply,
      `the reply names ${found.length} different legal actions: ${texts.join(', ')}`,
      'name exactly one action, or give your final answer as \\boxed{...}',
      'ambiguous-action',
      actions,
    );
  }
  throw new ActionParseError(ctx.reply, `no legal action found in reply "${preview(ctx.reply)}"`, answerHint(ctx));
}

/**
 * Maps a reply to a legal action by the rule above, saying which part of the reply decided
 * it. Throws ActionParseError (`reply-too-long`, `ambiguous-action` or `unparseable-action`).
 */
export function parseActionReply(env: AnyEnv, state: unknown, seat: Seat, reply: string): ParsedReply {
  if (reply.length > MAX_REPLY_CHARS) {
    throw new ActionParseError(
      reply.slice(0, MAX_REPLY_CHARS),
      `reply of ${reply.length} characters is over the limit of ${MAX_REPLY_CHARS}`,
      'answer briefly, ending with one action such as \\boxed{...}',
      'reply-too-long',
    );
  }
  const legal = env.legalActions(state, seat);
  if (legal.length === 0) {
    throw new ActionParseError(reply, `seat ${seat} has no action to take here`, 'wait for your turn');
  }
  const ctx: Context = { env, state, seat, reply, legal, vocabulary: actionVocabulary(env, state, seat, legal) };
  const { action, source } = decide(ctx);
  return { action, text: env.actionText(state, seat, action), source };
}

/** The legal action id a reply names (parseActionReply without the details). */
export function parseActionText(env: AnyEnv, state: unknown, seat: Seat, reply: string): ActionId {
  return parseActionReply(env, state, seat, reply).action;
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
