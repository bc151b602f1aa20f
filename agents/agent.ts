/**
 * The Agent interface. An agent sees only what its seat may see: the observation
 * (tensor, text, legal ids, mask), never the raw state of the episode. Search agents for
 * local simulation get the state through the separate, trusted-only `SearchAgent` hook.
 */
import type { ActionId, AnyEnv, Observation, Rng, Seat } from '../envs/index.ts';
import type { MoveNote } from './move-note.ts';

export type { MoveNote } from './move-note.ts';

export interface DecisionRequest {
  readonly env: AnyEnv; // the rules (pure functions), never the state
  readonly params: unknown; // parsed env params of this match
  readonly seat: Seat;
  readonly stepIndex: number; // transitions so far; echoed by remote agents, stale answers are rejected
  readonly observation: Observation;
  readonly deadline: number; // ms since epoch; Infinity in local simulation
  /**
   * The env's parser for free-text replies at this decision, bound to the true state by the
   * driver (`parseActionText`): a legal ActionId, or it throws ActionParseError. Text agents
   * (`llm`) need it; drivers that cannot parse leave it out.
   */
  readonly parseReply?: (reply: string) => ActionId;
  /** Takes what the agent wants kept about this move (its reply, tokens, latency), stored beside the replay. */
  readonly noteMove?: (note: MoveNote) => void;
  /**
   * Envs that judge free text: the env's sampler (`sampleText`) bound to the true state of this
   * decision, a random valid (or, with `valid` false, invalid) reply for the seat. Only trusted
   * in-process drivers give it (a remote seat never has the state); random text agents need it.
   */
  readonly sampleReply?: (rng: Rng, valid: boolean) => string | undefined;
}

export interface Agent {
  readonly name: string;
  /** Called once per episode before the first decision, with a seed derived for this seat. */
  reset?(seat: Seat, seed: number): void | Promise<void>;
  act(request: DecisionRequest): ActionId | Promise<ActionId>;
  /**
   * Text agents (language models, random text): a free-text reply. Drivers call it instead of
   * `act` when the env judges text itself (`dims.textActions`): the env's verdict then applies
   * (a valid move, or its invalid-move rule). In text-only envs (no action ids) an agent
   * without it cannot play.
   */
  actText?(request: DecisionRequest): string | Promise<string>;
  /** The agent's replies come from `DecisionRequest.sampleReply`, which only in-process drivers give (not remote seats). */
  readonly needsSampler?: true;
  /** Called once when the episode ends, with the final returns. */
  observeEnd?(returns: readonly number[], seat: Seat): void;
}

/**
 * Trusted, local-only: agents that search from the true state (minimax, MCTS) or from a
 * determinisation of it (ISMCTS calls `env.resampleHidden` first). The arena calls it only for
 * its own in-process agents (server-side seats); a remote agent never receives a state.
 */
export interface SearchAgent extends Agent {
  readonly usesState: true;
  actFromState(request: DecisionRequest, state: unknown): ActionId | Promise<ActionId>;
}

export const isSearchAgent = (agent: Agent): agent is SearchAgent =>
  (agent as Partial<SearchAgent>).usesState === true && typeof (agent as Partial<SearchAgent>).actFromState === 'function';
