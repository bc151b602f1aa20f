/**
 * The Env contract: OpenSpiel's State API, PettingZoo's masks and boardgame.io's
 * game-as-object in one interface. Envs are pure: states are immutable JSON values,
 * `apply` returns a new state and never mutates its input.
 */
import type { z } from 'zod';
import type { Rng } from './rng.ts';

/** Position at the table, 0..numPlayers-1. Never an account or agent id. */
export type Seat = number;
/** Dense index in [0, numDistinctActions), or [0, maxChanceOutcomes) at chance nodes. */
export type ActionId = number;
export type Actor = Seat | 'chance';
export type Viewer = Seat | 'spectator';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Who acts next: a tagged union instead of negative player ids. */
export type Turn =
  | { readonly kind: 'decision'; readonly seat: Seat }
  | { readonly kind: 'simultaneous'; readonly seats: readonly Seat[] }
  | { readonly kind: 'chance' }
  | { readonly kind: 'terminal' };

export interface ChanceOutcome {
  readonly action: ActionId;
  readonly probability: number;
}

export type Dynamics = 'sequential' | 'simultaneous';
export type ChanceKind = 'deterministic' | 'explicit' | 'sampled';
export type Information = 'perfect' | 'imperfect';
export type Utility = 'zero-sum' | 'constant-sum' | 'general-sum' | 'identical';

/** Static description (OpenSpiel's GameType). */
export interface EnvSpec<A, P> {
  readonly id: string; // kebab-case: 'kuhn-poker'
  readonly version: number; // bump on any rules/encoding/observation change
  readonly title: string;
  readonly dynamics: Dynamics;
  readonly chance: ChanceKind;
  readonly information: Information;
  readonly utility: Utility;
  readonly rewardModel: 'terminal' | 'stepwise';
  readonly players: { readonly min: number; readonly max: number };
  readonly paramsSchema: z.ZodType<P, any>; // must parse {}: every param has a default
  readonly actionSchema: z.ZodType<A, any>; // wire / language-model form of an action
  readonly rulesText: string; // prose rules for humans and language-model prompts
}

/** Parameter-dependent sizes (OpenSpiel's GameInfo). */
export interface EnvDims {
  readonly numPlayers: number;
  readonly numDistinctActions: number;
  readonly maxChanceOutcomes: number;
  readonly observationShape: readonly number[];
  readonly maxGameLength: number; // decision + simultaneous steps
  readonly minUtility: number;
  readonly maxUtility: number;
  readonly utilitySum?: number; // required for zero-/constant-sum
  /** Overrides spec.utility for these params (e.g. TextArena's invalid-move rule is not zero-sum). */
  readonly utility?: Utility;
  /**
   * Present when the env judges free text itself (`applyText`): a text env, or a discrete env
   * in a text format with its own move rules. `maxChars` bounds every reply.
   */
  readonly textActions?: { readonly maxChars: number };
  /**
   * Team of each seat (`teams[seat]`, ids 0..k-1, every id used). Teammates share returns:
   * `returns(state)` is equal for seats of one team at every state. Absent: every seat is
   * its own team (team = seat).
   */
  readonly teams?: readonly number[];
  /** Present for real-time envs, which a tick driver advances on a clock (see RealtimeDims). */
  readonly realtime?: RealtimeDims;
}

/**
 * What became of one free-text reply. `move`: the text moved the game (`action` names the id
 * for discrete envs). `invalid`: the env's invalid-move rule applied; the state still changed
 * (an error was counted, or the game ended with `final` true). Never an exception.
 */
export type TextVerdict =
  | { readonly kind: 'move'; readonly action?: ActionId; readonly summary: string }
  | { readonly kind: 'invalid'; readonly code: string; readonly reason: string; readonly final: boolean };

export interface TextStep<S> {
  readonly state: S;
  readonly verdict: TextVerdict;
}

/**
 * How a real-time env's input behaves between ticks. The env says which, because it is a
 * rule of the game, not of the server:
 * - `held`: a seat's last input keeps applying on every tick until the seat sends another
 *   (a gamepad: slime volleyball holds "move left" until released). Before its first input a
 *   seat plays its default action.
 * - `consumed`: an input applies to exactly one tick; ticks without a fresh input apply the
 *   seat's default action (a key press: Overcooked's "interact").
 */
export type InputMode = 'held' | 'consumed';

export interface RealtimeDims {
  /** Ticks per second of wall-clock time at which the game is meant to run. */
  readonly tickHz: number;
  readonly input: InputMode;
  /**
   * The "no input" action of each seat (`defaultActions[seat]`): legal for that seat at
   * every state where it acts. Played for seats that sent nothing (or dropped out).
   */
  readonly defaultActions: readonly ActionId[];
}

/** Every state carries its params, so states are self-describing and serializable alone. */
export interface EnvState<P> {
  readonly params: P;
}

export interface Env<S extends EnvState<P> = any, A = any, P = any> {
  readonly spec: EnvSpec<A, P>;
  /** Canonical registry key: `<id>-v<version>`. */
  readonly key: string;
  /** zod-parses raw params (defaults filled in); throws BadParamsError naming the field. */
  parseParams(input?: unknown): P;
  dims(params: P): EnvDims;
  init(params: P, seed: number): S; // explicit-chance envs ignore seed
  turn(state: S): Turn;
  legalActions(state: S, seat: Seat): readonly ActionId[]; // ascending; [] if not acting
  legalMask(state: S, seat: Seat): Uint8Array; // length numDistinctActions
  isLegal(state: S, seat: Seat, action: ActionId): boolean;
  chanceOutcomes(state: S): readonly ChanceOutcome[]; // only at chance nodes, else []
  apply(state: S, actor: Actor, action: ActionId): S; // checked, pure
  applyJoint(state: S, actions: readonly (ActionId | null)[]): S; // simultaneous nodes
  returns(state: S): readonly number[]; // cumulative; rewards are derived by Episode
  observationTensor(state: S, viewer: Viewer): Float32Array;
  /**
   * The same tensor written into `out` (length prod(observationShape)), as OpenSpiel's
   * `ObservationTensor(player, span)` does: no allocation, for loops that reuse one buffer or
   * write straight into a batch (`out` may be a subarray). Throws on a wrong length.
   */
  observationTensorInto(state: S, viewer: Viewer, out: Float32Array): void;
  observationText(state: S, viewer: Viewer): string;
  view(state: S, viewer: Viewer): JsonValue; // redacted JSON for web clients
  actionText(state: S, actor: Actor, action: ActionId): string; // unique per legal set
  /**
   * Other names a text reply may use for a legal action besides its actionText ("col 3",
   * "pass"): the env's vocabulary for the one reply parser (core/text.ts). Never a name of
   * another legal action.
   */
  actionAliases?(state: S, seat: Seat, action: ActionId): readonly string[];
  encodeAction(state: S, seat: Seat, action: A): ActionId | undefined;
  decodeAction(state: S, seat: Seat, action: ActionId): A;
  serialize(state: S): JsonValue;
  deserialize(data: unknown): S; // zod-validated; throws BadParamsError('bad-state')
  clone(state: S): S;
  /**
   * Judges a free-text reply of the acting seat (only when `dims(params).textActions`): checked
   * like `apply` (wrong seat, terminal, over-long text throw IllegalActionError); otherwise pure.
   */
  applyText?(state: S, seat: Seat, text: string): TextStep<S>;
  /**
   * System-prompt-ready text for one seat's role (rules, role, private briefing) in text
   * envs; the observation text then carries the game so far.
   */
  rolePrompt?(state: S, seat: Seat): string;
  /**
   * A random reply for the acting seat: a valid one, or (valid = false) one the env rejects, or
   * undefined if there is none. Random text agents and the conformance suite use it.
   */
  sampleText?(state: S, seat: Seat, rng: Rng, valid: boolean): string | undefined;
  /** Imperfect info: a state this seat cannot tell apart from `state` (ISMCTS, leak tests). */
  resampleHidden?(state: S, seat: Seat, rng: Rng): S;
  /**
   * True when a terminal `state` ended only because the episode reached `maxGameLength` (a
   * time limit, not an outcome of the game): the episode is truncated, and a learner should
   * bootstrap the value of the last state instead of treating it as final. Only envs with
   * such a cap define it; absent means no state is truncated.
   */
  isTruncated?(state: S): boolean;
  /**
   * Running totals of a shaped (dense, auxiliary) reward per seat, for learners that anneal
   * it into the returns' reward (Overcooked's subgoal rewards). Never part of `returns`:
   * results and ratings use only the env's real returns.
   */
  shapedReturns?(state: S): readonly number[];
}

/** Any registered env, with its type parameters erased. */
export type AnyEnv = Env<any, any, any>;

export const isTerminalTurn = (turn: Turn): boolean => turn.kind === 'terminal';

/** Whether `state` ends a truncated episode (terminal only because of the step cap). */
export function isTruncatedState(env: AnyEnv, state: unknown): boolean {
  return env.isTruncated !== undefined && env.turn(state).kind === 'terminal' && env.isTruncated(state);
}

/** Seats that act at this turn (empty at chance and terminal nodes). */
export function actingSeats(turn: Turn): readonly Seat[] {
  if (turn.kind === 'decision') return [turn.seat];
  if (turn.kind === 'simultaneous') return turn.seats;
  return [];
}
