/**
 * Plays a match between agents, OpenSpiel's `evaluate_bots` on the shared episode walk
 * (envs `stepEpisode`): chance, simultaneous and decision nodes. Pure apart from the agents:
 * the same (env, params, seed, agents) gives the same record. Agents answering
 * synchronously are never awaited, so a scripted match costs no microtasks per step.
 */
import type { Agent, DecisionRequest } from '../agents/agent.ts';
import { isSearchAgent } from '../agents/agent.ts';
import { deriveSeed, Episode, stepEpisode } from '../envs/index.ts';
import type { ActionId, AnyEnv, EpisodeRecord, Seat } from '../envs/index.ts';
import { LeagueError } from './league-error.ts';
import { SEED_STREAMS } from '../envs/index.ts';

export interface MatchOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly seed: number;
  /** One agent per seat. */
  readonly agents: readonly Agent[];
  /** Search agents receive the true state (trusted local play). Default true. */
  readonly allowSearch?: boolean;
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
  let length = 0;
  try {
    const choose = (seat: Seat): ActionId | Promise<ActionId> => {
      const action = decide(episode, agents[seat]!, seat, allowSearch);
      return typeof action === 'number' ? checked(episode, seat, action) : action.then((a) => checked(episode, seat, a));
    };
    while (!episode.isTerminal) {
      let kind = stepEpisode(episode, choose);
      if (typeof kind !== 'string') kind = await kind;
      if (kind !== 'chance') length++;
    }
  } catch (error) {
    if (!(error instanceof AgentFault)) throw error;
    return { returns: episode.returns.slice(), length, record: episode.toRecord(), fault: error.fault };
  }
  const returns = episode.returns.slice();
  for (let seat = 0; seat < numPlayers; seat++) agents[seat]!.observeEnd?.(returns, seat);
  return { returns, length, record: episode.toRecord() };
}

function decide(episode: Episode, agent: Agent, seat: Seat, allowSearch: boolean): ActionId | Promise<ActionId> {
  const request: DecisionRequest = {
    env: episode.env,
    params: episode.params,
    seat,
    stepIndex: episode.stepIndex,
    observation: episode.observe(seat),
    deadline: Infinity,
  };
  try {
    const answer = allowSearch && isSearchAgent(agent) ? agent.actFromState(request, episode.state) : agent.act(request);
    return typeof answer === 'number' ? answer : answer.catch((error: unknown) => Promise.reject(agentError(agent, seat, error)));
  } catch (error) {
    throw agentError(agent, seat, error);
  }
}

function agentError(agent: Agent, seat: Seat, error: unknown): AgentFault {
  const message = error instanceof Error ? error.message : String(error);
  return new AgentFault({ seat, code: 'agent-error', message: `agent ${agent.name} (seat ${seat}) failed: ${message}` });
}

/** An illegal answer is the answering seat's fault; the episode is left unchanged. */
function checked(episode: Episode, seat: Seat, action: ActionId): ActionId {
  if (episode.env.isLegal(episode.state, seat, action)) return action;
  const legal = episode.legalActions(seat).join(', ');
  throw new AgentFault({ seat, code: 'illegal-action', message: `seat ${seat} chose illegal action ${String(action)} (legal: ${legal})` });
}
