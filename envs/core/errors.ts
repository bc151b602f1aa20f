/**
 * The error catalog of the envs layer, and the pattern every module's catalog follows. Every
 * error Ludus raises carries a kebab-case `code` (machine-readable, stable), a message for
 * people and a `hint` (what the caller should do), kept apart. Each module has one catalog
 * (a code table plus `errorClass(name, table)`); registering it gives every code an HTTP status
 * and a CLI exit code, which the arena's HTTP errors and the `ludus` command read from here.
 */

/** What a catalog says about one code. */
export interface ErrorInfo {
  readonly description: string;
  /** HTTP status when the arena answers with this code. */
  readonly status: number;
  /** `ludus` exit code: 2 for the caller's bad input, 1 for a failure. */
  readonly exit: 1 | 2;
}

/** A catalog entry: a bare description means bad input (400, exit 2); anything else says so. */
export type CatalogEntry = string | { readonly description: string; readonly status?: number; readonly exit?: 1 | 2 };

export const BAD_INPUT_EXIT = 2;
export const FAILURE_EXIT = 1;

const registry = new Map<string, ErrorInfo & { readonly catalog: string }>();

/** Adds a module's codes to the registry (idempotent; the first catalog to define a code owns it). */
export function registerErrorCatalog(catalog: string, table: Readonly<Record<string, CatalogEntry>>): void {
  for (const [code, entry] of Object.entries(table)) {
    if (registry.has(code)) continue;
    const info = typeof entry === 'string' ? { description: entry } : entry;
    registry.set(code, { catalog, description: info.description, status: info.status ?? 400, exit: info.exit ?? BAD_INPUT_EXIT });
  }
}

/** The registered facts about a code, or undefined for a code no catalog defines. */
export function errorInfo(code: string): (ErrorInfo & { readonly catalog: string }) | undefined {
  return registry.get(code);
}

/** Every registered code, for documentation and the catalog tests. */
export function errorCatalogEntries(): readonly (ErrorInfo & { readonly code: string; readonly catalog: string })[] {
  return [...registry.entries()].map(([code, info]) => ({ code, ...info }));
}

/** The `ludus` exit code of an error: its catalog's, 1 for anything unregistered or untyped. */
export function exitCodeOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (errorInfo(code)?.exit ?? FAILURE_EXIT) : FAILURE_EXIT;
}

export const ENV_ERROR_CODES = {
  'not-acting': 'the seat is not one of the seats to act at this state',
  illegal: 'the action id is not legal at this state',
  'text-too-long': 'a free-text reply is longer than the env allows (dims.textActions.maxChars)',
  'no-text-actions': 'the env does not judge free text for these params; send an action id or use the text parser',
  terminal: 'the episode is over; no action can be applied',
  'wrong-node': 'the action kind does not fit the node (decision, simultaneous or chance)',
  'unknown-env': 'no environment is registered under that key',
  'bad-params': 'the environment parameters do not pass its schema',
  'bad-state': 'a serialized state does not pass the environment state schema',
  'bad-record': 'an episode record does not fit this environment',
  'unparseable-action': 'a text or JSON reply names no legal action',
  'ambiguous-action': 'a text reply names several different legal actions and no \\boxed{} answer picks one',
  'reply-too-long': 'a text reply is longer than the parser reads (MAX_REPLY_CHARS)',
} as const;

export type EnvErrorCode = keyof typeof ENV_ERROR_CODES;

registerErrorCatalog('envs', { ...ENV_ERROR_CODES, 'unknown-env': { description: ENV_ERROR_CODES['unknown-env'], status: 404 } });

/** Base class: a typed, explainable error. `code` is stable; `message` is for people. */
export class LudusError<C extends string = string> extends Error {
  readonly code: C;
  readonly hint: string;

  constructor(code: C, message: string, hint = '') {
    super(hint ? `${message} (${hint})` : message);
    this.name = 'LudusError';
    this.code = code;
    this.hint = hint;
  }
}

/**
 * The base class of one module's catalog, so each catalog is a code table plus one line:
 * `export class RatingError extends errorClass('RatingError', RATING_ERROR_CODES) {}`.
 * Passing the table registers its codes (status, exit code).
 */
export function errorClass<C extends string>(name: string, table?: Readonly<Record<C, CatalogEntry>>) {
  if (table !== undefined) registerErrorCatalog(name, table);
  return class extends LudusError<C> {
    constructor(code: C, message: string, hint = '') {
      super(code, message, hint);
      this.name = name;
    }
  };
}

export type IllegalActionCode = 'not-acting' | 'illegal' | 'terminal' | 'wrong-node' | 'text-too-long' | 'no-text-actions';

/** Raised by checked `apply`/`applyJoint`. The state is never changed when this is thrown. */
export class IllegalActionError extends LudusError<IllegalActionCode> {
  constructor(code: IllegalActionCode, message: string, hint = '') {
    super(code, message, hint);
    this.name = 'IllegalActionError';
  }
}

export class UnknownEnvError extends LudusError<'unknown-env'> {
  readonly known: readonly string[];

  constructor(key: string, known: readonly string[]) {
    super('unknown-env', `unknown env "${key}"`, `known envs: ${known.join(', ')}`);
    this.name = 'UnknownEnvError';
    this.known = known;
  }
}

export class BadParamsError extends LudusError<'bad-params' | 'bad-state' | 'bad-record'> {
  constructor(code: 'bad-params' | 'bad-state' | 'bad-record', message: string, hint = '') {
    super(code, message, hint);
    this.name = 'BadParamsError';
  }
}

export type ActionParseCode = 'unparseable-action' | 'ambiguous-action' | 'reply-too-long';

/** A text reply that does not name exactly one legal action (envs/core/text.ts). */
export class ActionParseError extends LudusError<ActionParseCode> {
  readonly reply: string;
  /** For `ambiguous-action`: the distinct legal actions the reply named, in order. */
  readonly actions: readonly number[];

  constructor(reply: string, message: string, hint: string, code: ActionParseCode = 'unparseable-action', actions: readonly number[] = []) {
    super(code, message, hint);
    this.name = 'ActionParseError';
    this.reply = reply;
    this.actions = actions;
  }
}
