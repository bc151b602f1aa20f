/**
 * `defineEnv` turns an author's `EnvDefinition` (only the rules) into the full checked
 * `Env`: legality checks on every apply, masks, defaults for text and (de)serialization.
 * Authors' `apply`/`applyJoint` are only ever called with validated input.
 */
import { z } from 'zod';
import type { ActionId, Actor, ChanceOutcome, Env, EnvDims, EnvSpec, EnvState, JsonValue, Seat, TextStep, Turn, Viewer } from './env.ts';
import { BadParamsError, IllegalActionError } from './errors.ts';
import type { Rng } from './rng.ts';
import { sizeOf } from './tensor.ts';

export interface EnvDefinition<S extends EnvState<P>, A, P> {
  readonly spec: EnvSpec<A, P>;
  /** Validates deserialized states; its `params` field should reuse the params schema. */
  readonly stateSchema: z.ZodType<S, any>;
  dims(params: P): EnvDims;
  init(params: P, seed: number): S;
  turn(state: S): Turn;
  /** Legal ids for an acting seat, ascending. Only called for seats that act. */
  legal(state: S, seat: Seat): readonly ActionId[];
  /** Fast legality test for an acting seat; defaults to `legal(...).includes(action)`. */
  isLegal?(state: S, seat: Seat, action: ActionId): boolean;
  chanceOutcomes?(state: S): readonly ChanceOutcome[];
  /** Called only with a legal action of the acting seat, or a listed chance outcome. */
  apply(state: S, actor: Actor, action: ActionId): S;
  /** Called only at simultaneous nodes, with a legal id for every acting seat and null elsewhere. */
  applyJoint?(state: S, actions: readonly (ActionId | null)[]): S;
  returns(state: S): readonly number[];
  observationTensor(state: S, viewer: Viewer): Float32Array;
  /**
   * Fast path of observationTensor: sets the non-zero entries of `out`, which is zero-filled
   * and of the tensor's size. Without it, observationTensorInto copies observationTensor.
   */
  writeObservation?(state: S, viewer: Viewer, out: Float32Array): void;
  observationText?(state: S, viewer: Viewer): string;
  view(state: S, viewer: Viewer): JsonValue;
  actionText?(state: S, actor: Actor, action: ActionId): string;
  /** Extra names of a legal action for text replies (see Env.actionAliases). */
  actionAliases?(state: S, seat: Seat, action: ActionId): readonly string[];
  encodeAction(state: S, seat: Seat, action: A): ActionId | undefined;
  decodeAction(state: S, seat: Seat, action: ActionId): A;
  /** Called only for the seat to act at a decision node, with a string within maxChars. */
  applyText?(state: S, seat: Seat, text: string): TextStep<S>;
  rolePrompt?(state: S, seat: Seat): string;
  /** Called only for the seat to act at a decision node. */
  sampleText?(state: S, seat: Seat, rng: Rng, valid: boolean): string | undefined;
  serialize?(state: S): JsonValue;
  clone?(state: S): S;
  resampleHidden?(state: S, seat: Seat, rng: Rng): S;
  /** See Env.isTruncated: only called on terminal states. */
  isTruncated?(state: S): boolean;
  /** See Env.shapedReturns. */
  shapedReturns?(state: S): readonly number[];
}

function hasOutcome(outcomes: readonly ChanceOutcome[], action: ActionId): boolean {
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i]!.action === action) return true;
  return false;
}

const describeTurn = (turn: Turn): string =>
  turn.kind === 'decision'
    ? `seat ${turn.seat} to act`
    : turn.kind === 'simultaneous'
      ? `seats ${turn.seats.join(', ')} to act together`
      : turn.kind === 'chance'
        ? 'a chance node'
        : 'the episode is over';

/**
 * A zod error map (pass as `schema.safeParse(input, { error: knownKeysErrorMap })`) that names
 * the known keys beside unknown ones: `unknown key "colums" (known keys: rows, columns)`.
 * Other issues keep zod's messages.
 */
export const knownKeysErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  const known = shape ? Object.keys(shape) : [];
  const keys =
    issue.keys
      .slice(0, 5)
      .map((k) => `"${k.length > 40 ? `${k.slice(0, 37)}...` : k}"`)
      .join(', ') + (issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '');
  return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys} (known keys: ${known.join(', ') || 'none'})`;
};

export function formatZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}

/** The keys an object schema knows (through refinements and pipes), or undefined if not an object. */
export function knownKeys(schema: z.ZodType): readonly string[] | undefined {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return knownKeys(schema.in as z.ZodType);
  return undefined;
}

/**
 * Params are strict for every env, whatever its schema says: a misspelled key ("colums") is
 * an error naming it and the known keys, never silently dropped.
 */
function rejectUnknownParams(key: string, schema: z.ZodType, input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return;
  const known = knownKeys(schema);
  if (known === undefined) return;
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const shown = unknown.slice(0, 5).map((k) => `"${k.length > 40 ? `${k.slice(0, 37)}...` : k}"`);
  const names = unknown.length > 5 ? `${shown.join(', ')} and ${unknown.length - 5} more` : shown.join(', ');
  throw new BadParamsError(
    'bad-params',
    `unknown param${unknown.length > 1 ? 's' : ''} ${names} for ${key}`,
    known.length > 0 ? `known params: ${known.join(', ')}` : `${key} takes no params`,
  );
}

export function defineEnv<S extends EnvState<P>, A, P>(def: EnvDefinition<S, A, P>): Env<S, A, P> {
  const { spec } = def;
  const key = `${spec.id}-v${spec.version}`;
  const dimsCache = new WeakMap<object, EnvDims>();

  const dims = (params: P): EnvDims => {
    if (typeof params !== 'object' || params === null) return def.dims(params);
    let d = dimsCache.get(params);
    if (!d) dimsCache.set(params, (d = def.dims(params)));
    return d;
  };

  const sizes = new WeakMap<object, number>();
  const tensorSize = (params: P): number => {
    if (typeof params !== 'object' || params === null) return sizeOf(dims(params).observationShape);
    let n = sizes.get(params);
    if (n === undefined) sizes.set(params, (n = sizeOf(dims(params).observationShape)));
    return n;
  };

  function observationTensorInto(state: S, viewer: Viewer, out: Float32Array): void {
    const n = tensorSize(state.params);
    if (!(out instanceof Float32Array) || out.length !== n) {
      throw new BadParamsError(
        'bad-params',
        `observationTensorInto needs a Float32Array of length ${n}, got ${out instanceof Float32Array ? `length ${out.length}` : typeof out}`,
        'allocate new Float32Array(prod(dims.observationShape)), or pass a subarray of that length',
      );
    }
    if (def.writeObservation) {
      out.fill(0);
      def.writeObservation(state, viewer, out);
    } else {
      out.set(def.observationTensor(state, viewer));
    }
  }

  const isActing = (turn: Turn, seat: Seat): boolean =>
    turn.kind === 'decision' ? turn.seat === seat : turn.kind === 'simultaneous' && turn.seats.includes(seat);

  const isLegalFor = def.isLegal ? def.isLegal : (state: S, seat: Seat, action: ActionId) => def.legal(state, seat).includes(action);

  const isValidId = (action: unknown): action is number => typeof action === 'number' && Number.isInteger(action) && action >= 0;

  const chanceOutcomes = (state: S): readonly ChanceOutcome[] => (def.turn(state).kind === 'chance' && def.chanceOutcomes ? def.chanceOutcomes(state) : []);

  const legalActions = (state: S, seat: Seat): readonly ActionId[] => (isActing(def.turn(state), seat) ? def.legal(state, seat) : []);

  const isLegal = (state: S, seat: Seat, action: ActionId): boolean => isValidId(action) && isActing(def.turn(state), seat) && isLegalFor(state, seat, action);

  function checkDecision(state: S, turn: Turn, seat: Actor, action: ActionId): void {
    if (turn.kind === 'chance') {
      throw new IllegalActionError('wrong-node', `seat ${String(seat)} tried to act at a chance node`, 'resolve chance first');
    }
    if (turn.kind === 'simultaneous') {
      throw new IllegalActionError('wrong-node', `apply() at a simultaneous node (${describeTurn(turn)})`, 'use applyJoint with one action per seat');
    }
    if (turn.kind === 'decision' && turn.seat !== seat) {
      throw new IllegalActionError('not-acting', `seat ${String(seat)} is not acting: ${describeTurn(turn)}`, `wait for your turn`);
    }
    if (!isValidId(action) || !isLegalFor(state, seat as Seat, action)) {
      throw new IllegalActionError(
        'illegal',
        `action ${String(action)} is not legal for seat ${String(seat)}`,
        `legal actions: ${def.legal(state, seat as Seat).join(', ')}`,
      );
    }
  }

  function apply(state: S, actor: Actor, action: ActionId): S {
    const turn = def.turn(state);
    if (turn.kind === 'terminal') {
      throw new IllegalActionError('terminal', `action ${String(action)} at a terminal state`, 'the episode is over');
    }
    if (actor === 'chance') {
      if (turn.kind !== 'chance') {
        throw new IllegalActionError('wrong-node', `chance outcome applied at a non-chance node (${describeTurn(turn)})`);
      }
      const outcomes = def.chanceOutcomes ? def.chanceOutcomes(state) : [];
      if (!isValidId(action) || !hasOutcome(outcomes, action)) {
        throw new IllegalActionError(
          'illegal',
          `chance outcome ${String(action)} is not possible here`,
          `possible outcomes: ${outcomes.map((o) => o.action).join(', ')}`,
        );
      }
    } else {
      checkDecision(state, turn, actor, action);
    }
    return def.apply(state, actor, action);
  }

  function applyJoint(state: S, actions: readonly (ActionId | null)[]): S {
    const turn = def.turn(state);
    if (turn.kind === 'terminal') throw new IllegalActionError('terminal', 'joint action at a terminal state', 'the episode is over');
    if (turn.kind !== 'simultaneous' || !def.applyJoint) {
      throw new IllegalActionError('wrong-node', `applyJoint() at a non-simultaneous node (${describeTurn(turn)})`, 'use apply');
    }
    const numPlayers = dims(state.params).numPlayers;
    if (!Array.isArray(actions) || actions.length !== numPlayers) {
      throw new IllegalActionError('illegal', `joint action must have ${numPlayers} entries, got ${Array.isArray(actions) ? actions.length : typeof actions}`);
    }
    for (let seat = 0; seat < numPlayers; seat++) {
      const action = actions[seat] ?? null;
      if (turn.seats.includes(seat)) {
        if (action === null) throw new IllegalActionError('illegal', `seat ${seat} must act at this simultaneous node`);
        if (!isValidId(action) || !isLegalFor(state, seat, action)) {
          throw new IllegalActionError(
            'illegal',
            `action ${String(action)} is not legal for seat ${seat}`,
            `legal actions: ${def.legal(state, seat).join(', ')}`,
          );
        }
      } else if (action !== null) {
        throw new IllegalActionError('not-acting', `seat ${seat} is not acting and must pass null`);
      }
    }
    return def.applyJoint(state, actions);
  }

  function applyText(state: S, seat: Seat, text: string): TextStep<S> {
    const limits = dims(state.params).textActions;
    if (!limits || !def.applyText) {
      throw new IllegalActionError(
        'no-text-actions',
        `${key} does not judge free text with these params`,
        'send an action id, or parse the reply with parseActionText',
      );
    }
    const turn = def.turn(state);
    if (turn.kind === 'terminal') throw new IllegalActionError('terminal', 'text reply at a terminal state', 'the episode is over');
    if (turn.kind !== 'decision') throw new IllegalActionError('wrong-node', `text reply at ${describeTurn(turn)}`, 'text replies answer decision nodes');
    if (turn.seat !== seat) throw new IllegalActionError('not-acting', `seat ${String(seat)} is not acting: ${describeTurn(turn)}`, 'wait for your turn');
    if (typeof text !== 'string') throw new IllegalActionError('illegal', `a text reply must be a string, got ${typeof text}`);
    if (text.length > limits.maxChars) {
      throw new IllegalActionError('text-too-long', `reply of ${text.length} characters; at most ${limits.maxChars} are allowed`, 'shorten the reply');
    }
    return def.applyText(state, seat, text);
  }

  const env: Env<S, A, P> = {
    spec,
    key,
    parseParams(input?: unknown): P {
      rejectUnknownParams(key, spec.paramsSchema, input);
      const parsed = spec.paramsSchema.safeParse(input ?? {});
      if (!parsed.success) {
        throw new BadParamsError(
          'bad-params',
          `bad params for ${key}: ${formatZodError(parsed.error)}`,
          'fix the named fields or omit them to use the defaults',
        );
      }
      return parsed.data;
    },
    dims,
    init: (params, seed) => def.init(params, seed),
    turn: (state) => def.turn(state),
    legalActions,
    legalMask(state, seat) {
      const mask = new Uint8Array(dims(state.params).numDistinctActions);
      for (const a of legalActions(state, seat)) mask[a] = 1;
      return mask;
    },
    isLegal,
    chanceOutcomes,
    apply,
    applyJoint,
    returns: (state) => def.returns(state),
    observationTensor: (state, viewer) => def.observationTensor(state, viewer),
    observationTensorInto,
    observationText: def.observationText ? (state, viewer) => def.observationText!(state, viewer) : (state, viewer) => JSON.stringify(def.view(state, viewer)),
    view: (state, viewer) => def.view(state, viewer),
    actionText: def.actionText
      ? (state, actor, action) => def.actionText!(state, actor, action)
      : (state, actor, action) => (actor === 'chance' ? `outcome ${action}` : JSON.stringify(def.decodeAction(state, actor, action))),
    encodeAction(state, seat, action) {
      const parsed = spec.actionSchema.safeParse(action);
      return parsed.success ? def.encodeAction(state, seat, parsed.data) : undefined;
    },
    decodeAction: (state, seat, action) => def.decodeAction(state, seat, action),
    serialize: def.serialize ? (state) => def.serialize!(state) : (state) => state as unknown as JsonValue,
    deserialize(data) {
      const parsed = def.stateSchema.safeParse(data);
      if (!parsed.success) {
        throw new BadParamsError('bad-state', `bad state for ${key}: ${formatZodError(parsed.error)}`, 'pass a value produced by serialize()');
      }
      return parsed.data;
    },
    clone: def.clone ? (state) => def.clone!(state) : (state) => structuredClone(state),
  };
  if (def.actionAliases) env.actionAliases = (state, seat, action) => def.actionAliases!(state, seat, action);
  if (def.applyText) env.applyText = applyText;
  if (def.rolePrompt) env.rolePrompt = (state, seat) => def.rolePrompt!(state, seat);
  if (def.sampleText) {
    env.sampleText = (state, seat, rng, valid) => {
      const turn = def.turn(state);
      return turn.kind === 'decision' && turn.seat === seat ? def.sampleText!(state, seat, rng, valid) : undefined;
    };
  }
  if (def.isTruncated) env.isTruncated = (state) => def.turn(state).kind === 'terminal' && def.isTruncated!(state);
  if (def.shapedReturns) env.shapedReturns = (state) => def.shapedReturns!(state);
  if (def.resampleHidden) env.resampleHidden = (state, seat, rng) => def.resampleHidden!(state, seat, rng);
  return env;
}
