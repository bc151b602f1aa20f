/**
 * Drives the in-process agents of a match: resets them once, asks them off the caller's
 * stack (so an agent answering synchronously never re-enters the runner mid-step) and keeps
 * track of every pending promise so tests and shutdown can wait for quiet.
 */
import type { Agent, DecisionRequest } from '../../agents/agent.ts';
import { deriveSeed } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';

/** Seed stream of agent seeds, as league/play-match.ts derives them. */
const AGENT_STREAM = 0x5ea7;

export class AgentDriver {
  private readonly ready = new Map<Seat, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();

  /** Calls each agent's `reset` with a seed derived for its seat; their first `act` waits for it. */
  reset(agents: readonly (Agent | undefined)[], seed: number): void {
    agents.forEach((agent, seat) => {
      if (!agent?.reset) return;
      const ready = Promise.resolve().then(() => agent.reset!(seat, deriveSeed(seed, AGENT_STREAM, seat)));
      ready.catch(() => undefined); // a failed reset surfaces at the agent's first decision
      this.ready.set(seat, ready);
    });
  }

  /** Asks for an action; exactly one of the callbacks runs later (never synchronously). */
  ask(agent: Agent, request: DecisionRequest, onAnswer: (action: ActionId) => void, onFailure: (error: unknown) => void): void {
    const task = (this.ready.get(request.seat) ?? Promise.resolve())
      .then(() => agent.act(request))
      .then(onAnswer, onFailure);
    this.track(task);
  }

  /** Tells each agent the final returns; a failing agent is reported, never thrown. */
  notifyEnd(agents: readonly (Agent | undefined)[], returns: readonly number[], onError: (seat: Seat, error: unknown) => void): void {
    agents.forEach((agent, seat) => {
      try {
        agent?.observeEnd?.(returns, seat);
      } catch (error) {
        onError(seat, error);
      }
    });
  }

  /** Keeps a promise (that never rejects) in the set `whenIdle` waits for. */
  track(task: Promise<unknown>): void {
    this.inflight.add(task);
    task.finally(() => this.inflight.delete(task)).catch(() => undefined);
  }

  async whenIdle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}
