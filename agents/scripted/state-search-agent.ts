/**
 * Common ground of the search agents (minimax, MCTS, ISMCTS): a per-episode seeded RNG,
 * the trusted `actFromState` hook, and a typed refusal when asked to act from an
 * observation alone (only local play and the arena's own in-process seats hand out states).
 */
import { Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { DecisionRequest, SearchAgent } from '../agent.ts';
import { AgentError } from '../errors.ts';

export abstract class StateSearchAgent implements SearchAgent {
  readonly usesState = true as const;
  readonly name: string;
  protected rng = new Rng(0);

  constructor(name: string) {
    this.name = name;
  }

  reset(_seat: Seat, seed: number): void {
    this.rng = new Rng(seed);
    this.onReset();
  }

  act(request: DecisionRequest): ActionId {
    throw new AgentError(
      'agent-needs-state',
      `${this.name} (seat ${request.seat}) searches from the game state and cannot act from an observation alone`,
      'run it in local play (ludus play, league run), not as a remote arena agent',
    );
  }

  actFromState(request: DecisionRequest, state: unknown): ActionId {
    const legal = request.observation.legal;
    if (legal.length === 1) return legal[0]!; // nothing to search
    return this.search(request, state);
  }

  /** Per-episode caches are dropped here. */
  protected onReset(): void {}

  protected abstract search(request: DecisionRequest, state: unknown): ActionId;
}
