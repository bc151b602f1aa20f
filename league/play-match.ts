/**
 * Plays a match between agents, OpenSpiel's `evaluate_bots` on the shared episode walk
 * (envs `stepEpisode`): chance, simultaneous and decision nodes. Pure apart from the agents:
 * the same (env, params, seed, agents) gives the same record. Agents answering
 * synchronously are never awaited, so a scripted match costs no microtasks per step.
 */
import type { Agent, DecisionRequest } from '../agents/agent.ts';
import { isSearchAgent } from '../agents/agent.ts';
import { MoveNoteLog, type MoveNotes } from '../agents/move-note.ts';
import { ActionParseError, deriveSeed, Episode, parseActionText, SEED_STREAMS, stepEpisode, textMoveLimits } from '../envs/index.ts';
import type { ActionId, Answer, AnyEnv, EpisodeRecord, Seat } from '../envs/index.ts';
import { LeagueError } from './league-error.ts';

export interface MatchOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly seed: number;
  /** One agent per seat. */
  readonly agents: readonly Agent[];
  /** Search agents receive the true state (trusted local play). Default true. */
  readonly allowSearch?: boolean;
  /**
   * Lets timers run (one macrotask turn) when synchronous agents have held the thread this long:
   * a queue worker must keep renewing its job lock while it plays. Unset: never yields.
   */
  readonly yieldEveryMs?: number;
}

/** Why a match ended without reaching a terminal state. */
export interface MatchFault {
  readonly seat: Seat;
  readonly code: 'illegal-action' | 'agent-error';
  readonly message: string;
}

export interface MatchResult {
  readonly returns: readonly number[];
  /** Decision and simultaneous steps (chance excluded), comparable to `maxGameLength`. */
  readonly length: number;
  readonly record: EpisodeRecord;
  /** Set when an agent failed; `returns` are then the env's returns at that point. */
  readonly fault?: MatchFault;
  /** What agents noted per move (text replies, tokens, latency), aligned with `record.history`; absent when none did. */
  readonly notes?: MoveNotes;
}

class AgentFault extends Error {
  readonly fault: MatchFault;
  constructor(fault: MatchFault) {
    super(fault.message);
    this.fault = fault;
  }
}

export async function playMatch(options: MatchOptions): Promise<MatchResult> {
  const { env, seed, agents } = options;
  const episode = new Episode(env, options.params ?? {}, seed);
  const numPlayers = env.dims(episode.params).numPlayers;
  if (agents.length !== numPlayers) {
    throw new LeagueError('bad-agents', `${env.key} needs ${numPlayers} agents, got ${agents.length}`, 'give one agent per seat');
  }
  for (let seat = 0; seat < numPlayers; seat++) {
    const pending = agents[seat]!.reset?.(seat, deriveSeed(seed, SEED_STREAMS.agentReset, seat));
    if (pending) await pending;
  }
  const allowSearch = options.allowSearch ?? true;
  // Envs that judge free text: text agents answer in text and the env's verdict applies.
  const textLimits = textMoveLimits(env, episode.params);
  const notes = new MoveNoteLog();
  let length = 0;
  const yieldEveryMs = options.yieldEveryMs;
  let lastYield = yieldEveryMs === undefined ? 0 : performance.now();
  try {
    const choose = (seat: Seat): Answer | Promise<Answer> => {
      const agent = agents[seat]!;
      if (textLimits !== undefined && agent.actText !== undefined) {
        const reply = decideText(episode, agent, seat, notes);
        return typeof reply === 'string'
          ? checkedText(agent, seat, reply, textLimits.maxChars)
          : reply.then((r) => checkedText(agent, seat, r, textLimits.maxChars));
      }
      const action = decide(episode, agent, seat, allowSearch, notes);
      return typeof action === 'number' ? checked(episode, seat, action) : action.then((a) => checked(episode, seat, a));
    };
    // Notes go in the slot of the step about to be applied: a decision's seat, or null for a joint step.
    const answered = (seat: Seat | null): void => notes.endStep(episode.stepIndex, seat);
    while (!episode.isTerminal) {
      let kind = stepEpisode(episode, choose, answered);
      if (typeof kind !== 'string') kind = await kind;
      if (kind !== 'chance') length++;
      if (yieldEveryMs !== undefined && performance.now() - lastYield >= yieldEveryMs) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  } catch (error) {
    if (!(error instanceof AgentFault)) throw error;
    return { returns: episode.returns.slice(), length, record: episode.toRecord(), fault: error.fault, ...notes.result() };
  }
  const returns = episode.returns.slice();
  for (let seat = 0; seat < numPlayers; seat++) agents[seat]!.observeEnd?.(returns, seat);
  return { returns, length, record: episode.toRecord(), ...notes.result() };
}

function requestAt(episode: Episode, seat: Seat, notes: MoveNoteLog): DecisionRequest {
  const { env, state } = episode;
  return {
    env,
    params: episode.params,
    seat,
    stepIndex: episode.stepIndex,
    observation: episode.observe(seat),
    deadline: Infinity,
    parseReply: (reply) => parseActionText(env, state, seat, reply),
    noteMove: (note) => notes.note(seat, note),
    sampleReply: (rng, valid) => env.sampleText?.(state, seat, rng, valid),
  };
}

function decide(episode: Episode, agent: Agent, seat: Seat, allowSearch: boolean, notes: MoveNoteLog): ActionId | Promise<ActionId> {
  const request = requestAt(episode, seat, notes);
  try {
    const answer = allowSearch && isSearchAgent(agent) ? agent.actFromState(request, episode.state) : agent.act(request);
    return typeof answer === 'number' ? answer : answer.catch((error: unknown) => Promise.reject(agentError(agent, seat, error)));
  } catch (error) {
    throw agentError(agent, seat, error);
  }
}

function decideText(episode: Episode, agent: Agent, seat: Seat, notes: MoveNoteLog): string | Promise<string> {
  try {
    const reply = agent.actText!(requestAt(episode, seat, notes));
    return typeof reply === 'string' ? reply : reply.catch((error: unknown) => Promise.reject(agentError(agent, seat, error)));
  } catch (error) {
    throw agentError(agent, seat, error);
  }
}

/** A reply the env would refuse to read (over its bound) is the replying seat's fault, like an illegal id. */
function checkedText(agent: Agent, seat: Seat, reply: string, maxChars: number): Answer {
  if (typeof reply === 'string' && reply.length <= maxChars) return { text: reply };
  const what = typeof reply === 'string' ? `a reply of ${reply.length} characters (at most ${maxChars})` : `a ${typeof reply} instead of a text`;
  throw new AgentFault({ seat, code: 'illegal-action', message: `agent ${agent.name} (seat ${seat}) gave ${what}` });
}

function agentError(agent: Agent, seat: Seat, error: unknown): AgentFault {
  const message = error instanceof Error ? error.message : String(error);
  // A text reply that names no legal action is an invalid move, like an illegal id.
  if (error instanceof ActionParseError)
    return new AgentFault({ seat, code: 'illegal-action', message: `agent ${agent.name} (seat ${seat}) made an invalid move: ${message}` });
  return new AgentFault({ seat, code: 'agent-error', message: `agent ${agent.name} (seat ${seat}) failed: ${message}` });
}

/** An illegal answer is the answering seat's fault; the episode is left unchanged. */
function checked(episode: Episode, seat: Seat, action: ActionId): ActionId {
  if (episode.env.isLegal(episode.state, seat, action)) return action;
  const legal = episode.legalActions(seat).join(', ');
  throw new AgentFault({ seat, code: 'illegal-action', message: `seat ${seat} chose illegal action ${String(action)} (legal: ${legal})` });
}
