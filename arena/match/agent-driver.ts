/**
 * Drives the in-process agents of a match: resets them once, asks them off the caller's
 * stack (so an agent answering synchronously never re-enters the runner mid-step) and keeps
 * track of every pending promise so tests and shutdown can wait for quiet. Like local play
 * (league/play-match.ts), it binds the env's text parser and sampler to the true state, and
 * asks text agents (`actText`) for a reply in envs that judge text themselves.
 */
import { isSearchAgent, type Agent, type DecisionRequest } from '../../agents/agent.ts';
import { deriveSeed, parseActionText, textMoveLimits } from '../../envs/index.ts';
import type { Answer, Seat } from '../../envs/index.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

export class AgentDriver {
  private readonly ready = new Map<Seat, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();

  /** Calls each agent's `reset` with a seed derived for its seat; their first `act` waits for it. */
  reset(agents: readonly (Agent | undefined)[], seed: number): void {
    agents.forEach((agent, seat) => {
      if (!agent?.reset) return;
      const ready = Promise.resolve().then(() => agent.reset!(seat, deriveSeed(seed, SEED_STREAMS.agentReset, seat)));
      ready.catch(() => undefined); // a failed reset surfaces at the agent's first decision
      this.ready.set(seat, ready);
    });
  }

  /**
   * Asks for an answer (an action id, or `{ text }` from a text agent in an env that judges
   * text); exactly one of the callbacks runs later (never synchronously). A search agent (MCTS,
   * minimax) gets `state`, the true state at the request: in-process agents run on the server,
   * trusted as in local play (league/play-match.ts); the state never leaves it.
   */
  ask(agent: Agent, request: DecisionRequest, state: unknown, onAnswer: (answer: Answer) => void, onFailure: (error: unknown) => void): void {
    const bound = bindToState(request, state);
    const task = (this.ready.get(request.seat) ?? Promise.resolve())
      // A macrotask turn first: in-process matches chained on promises alone would starve the
      // event loop (sockets, HTTP, timers) for as long as they keep answering each other.
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => answerOf(agent, bound, state))
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

/** The env's reply parser and sampler at the true state of the decision (in-process agents only). */
function bindToState(request: DecisionRequest, state: unknown): DecisionRequest {
  const { env, seat } = request;
  return {
    ...request,
    parseReply: request.parseReply ?? ((reply) => parseActionText(env, state, seat, reply)),
    sampleReply: request.sampleReply ?? ((rng, valid) => env.sampleText?.(state, seat, rng, valid)),
  };
}

async function answerOf(agent: Agent, request: DecisionRequest, state: unknown): Promise<Answer> {
  if (agent.actText !== undefined && textMoveLimits(request.env, request.params) !== undefined) return { text: await agent.actText(request) };
  return isSearchAgent(agent) ? agent.actFromState(request, state) : agent.act(request);
}
