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

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

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
  /** Imperfect info: a state this seat cannot tell apart from `state` (ISMCTS, leak tests). */
  resampleHidden?(state: S, seat: Seat, rng: Rng): S;
}

/** Any registered env, with its type parameters erased. */
export type AnyEnv = Env<any, any, any>;

export const isTerminalTurn = (turn: Turn): boolean => turn.kind === 'terminal';

/** Seats that act at this turn (empty at chance and terminal nodes). */
export function actingSeats(turn: Turn): readonly Seat[] {
  if (turn.kind === 'decision') return [turn.seat];
  if (turn.kind === 'simultaneous') return turn.seats;
  return [];
}
