/**
 * The error catalog of the envs layer. Every error Ludus raises on bad input carries a
 * kebab-case `code` (machine-readable, stable) and a `hint` (what the caller should do).
 * Upper layers (league, arena) extend this catalog; they never invent untyped errors.
 */

export const ENV_ERROR_CODES = {
  'not-acting': 'the seat is not one of the seats to act at this state',
  'illegal': 'the action id is not legal at this state',
  'text-too-long': 'a free-text reply is longer than the env allows (dims.textActions.maxChars)',
  'no-text-actions': 'the env does not judge free text for these params; send an action id or use the text parser',
  'terminal': 'the episode is over; no action can be applied',
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
 * `export class RatingError extends errorClass<RatingErrorCode>('RatingError') {}`.
 */
export function errorClass<C extends string>(name: string) {
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
