/**
 * Plays a local Agent in a remote seat: turns each wire decision request into the
 * DecisionRequest the agent expects (the observation rebuilt from its flat tensor and legal
 * action list), resets the agent once before its first decision, and answers with `{ id }`,
 * or with `{ text }` when the env judges free text (the decision carries `textActions`) and the
 * agent answers in text (`actText`): the server's env then judges the reply.
 * Search agents cannot play here: the arena never hands out the game state.
 */
import { deriveSeed, mix32, type AnyEnv, type Observation } from '../../envs/index.ts';
import { isSearchAgent, type Agent, type DecisionRequest } from '../agent.ts';
import { AgentError } from '../errors.ts';
import { addNote, emptyNoteTotals, type NoteTotals } from '../move-note.ts';
import { RemoteAgentError } from './ludus-agent-client.ts';
import { wireParser } from './wire-parser.ts';
import type { DecisionMessage } from '../../protocol/index.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

/** Seed stream of remote seats' agent seeds (the server never sends the match seed). */

/** A 32-bit hash of a string (matchIds are UUIDs): per-match agent seeds from one process seed. */
export function hashId(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix32((h ^ text.charCodeAt(i)) >>> 0);
  return h >>> 0;
}

export interface RemoteSeatOptions {
  readonly agent: Agent;
  readonly env: AnyEnv;
  /** Parsed env params of the match. */
  readonly params: unknown;
  readonly seat: number;
  /** The agent's reset seed. */
  readonly seed: number;
}

export class RemoteSeat {
  readonly agent: Agent;
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly seat: number;
  /** Decisions answered so far. */
  decisions = 0;
  /** Totals of the agent's move notes (tokens, latency of language models). */
  readonly notes: NoteTotals = emptyNoteTotals();
  private readonly seed: number;
  private ready: Promise<void> | undefined;
  private readonly numActions: number;

  constructor(options: RemoteSeatOptions) {
    if (isSearchAgent(options.agent)) {
      throw new AgentError(
        'agent-needs-state',
        `${options.agent.name} searches from the game state and cannot play a remote seat`,
        'use an agent that acts from observations: random, first-legal, cfr, neural:model=DIR',
      );
    }
    if (options.agent.needsSampler) {
      throw new AgentError(
        'agent-needs-state',
        `${options.agent.name} draws its replies from the env's sampler at the true state and cannot play a remote seat`,
        'use a text agent that answers from the observation, such as llm:model=NAME,baseUrl=URL',
      );
    }
    this.agent = options.agent;
    this.env = options.env;
    this.params = options.params;
    this.seat = options.seat;
    this.seed = options.seed;
    this.numActions = options.env.dims(options.params).numDistinctActions;
  }

  /** The per-match seed of a process: `deriveSeed(processSeed, hash(matchId), seat)`. */
  static seedFor(processSeed: number, matchId: string, seat: number): number {
    return deriveSeed(processSeed, SEED_STREAMS.remoteSeat, hashId(matchId), seat);
  }

  async decide(request: DecisionMessage): Promise<{ readonly id: number } | { readonly text: string }> {
    if (request.seat !== this.seat) {
      throw new RemoteAgentError(
        'client-seat',
        `asked to act for seat ${request.seat}, this agent plays seat ${this.seat}`,
        'the server assigned another seat',
      );
    }
    this.ready ??= Promise.resolve(this.agent.reset?.(this.seat, this.seed));
    await this.ready;
    const decision: DecisionRequest = {
      env: this.env,
      params: this.params,
      seat: request.seat,
      stepIndex: request.stepIndex,
      observation: this.observation(request),
      deadline: request.deadline,
      parseReply: wireParser(this.env, request.seat, request.legalActions),
      noteMove: (note) => addNote(this.notes, note),
    };
    if (request.textActions !== undefined && this.agent.actText !== undefined) {
      const text = await this.agent.actText(decision);
      this.decisions++;
      return { text };
    }
    const id = await this.agent.act(decision);
    this.decisions++;
    return { id };
  }

  /** Tells the agent the final returns (errors of the agent's own bookkeeping are dropped). */
  end(returns: readonly number[]): void {
    try {
      this.agent.observeEnd?.(returns, this.seat);
    } catch {
      // the match is over either way
    }
  }

  private observation(request: DecisionMessage): Observation {
    const legal = request.legalActions.map((a) => a.id);
    const mask = new Uint8Array(this.numActions);
    for (const id of legal) if (id >= 0 && id < this.numActions) mask[id] = 1;
    return {
      seat: request.seat,
      shape: request.observation.shape,
      legal,
      tensor: Float32Array.from(request.observation.tensor),
      mask,
      text: request.observation.text,
    };
  }
}
