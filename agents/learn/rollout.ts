/**
 * Rollouts: many episodes stepped in lock-step. At every step each live episode resolves its
 * chance nodes, then every decision the learner owes (any seat, any episode) goes into one
 * `PolicyModel.forward`, while the other seats' agents are asked at the same time (neural
 * opponents on a shared InferenceServer batch too). Learner decisions are written to a
 * RolloutBuffer, linked per (episode, seat), with rewards taken from differences of the
 * env's cumulative returns, as `Episode.rewards` does.
 */
import type { Agent, DecisionRequest } from '../agent.ts';
import { isSearchAgent } from '../agent.ts';
import { actingSeats, deriveSeed, Episode, observe, stepEpisode } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Rng, Seat } from '../../envs/index.ts';
import { greedyAction, sampleAction } from '../runtime/masked-categorical.ts';
import type { PolicyModel } from '../runtime/policy-model.ts';
import { LearnError } from './learn-error.ts';
import type { RolloutBuffer } from './rollout-buffer.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

/** Seed stream of opponent agents, as playMatch derives them. */

export interface EpisodeSetup {
  /** One entry per seat: null where the learner plays, else the agent playing that seat. */
  readonly agents: readonly (Agent | null)[];
  readonly seed: number;
}

export interface EpisodeOutcome {
  readonly index: number;
  readonly seed: number;
  readonly returns: readonly number[];
  readonly learnerSeats: readonly Seat[];
  /** Decision and simultaneous steps. */
  readonly length: number;
  /** Final shaped-reward totals per seat (envs with Env.shapedReturns). */
  readonly shaped?: readonly number[];
}

export interface RolloutOptions {
  readonly env: AnyEnv;
  readonly params?: unknown;
  readonly model: PolicyModel;
  readonly episodes: number;
  /** Episodes in flight at once; default all of them. */
  readonly concurrency?: number;
  readonly setup: (index: number) => EpisodeSetup;
  /** Samples the learner's actions (unused when greedy). */
  readonly rng: Rng;
  /** Where learner decisions go; omit to play without recording (evaluation). */
  readonly buffer?: RolloutBuffer;
  /** Argmax instead of sampling. */
  readonly greedy?: boolean;
  /**
   * Weight of the env's shaped reward (Env.shapedReturns) added to each learner reward:
   * reward = Δreturn + shaping·Δshaped. 0 or absent: the returns alone.
   */
  readonly shaping?: number;
}

export interface RolloutResult {
  /** By episode index. */
  readonly episodes: EpisodeOutcome[];
  /** Learner decisions taken. */
  readonly decisions: number;
}

interface Live {
  readonly index: number;
  readonly seed: number;
  readonly episode: Episode;
  readonly agents: readonly (Agent | null)[];
  readonly learnerSeats: Seat[];
  readonly lastRow: Int32Array;
  readonly lastReturn: Float64Array;
  /** Shaped totals at each seat's last recorded decision. */
  readonly lastShaped: Float64Array;
  length: number;
}

interface Pending {
  readonly live: Live;
  readonly seat: Seat;
  action: ActionId;
}

export async function collectRollout(options: RolloutOptions): Promise<RolloutResult> {
  const { env, model, episodes } = options;
  const params = env.parseParams(options.params ?? {});
  const numPlayers = env.dims(params).numPlayers;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? episodes, episodes));
  const batch = new LearnerBatch(model, concurrency * numPlayers);
  const outcomes: EpisodeOutcome[] = [];
  let started = 0;
  let decisions = 0;
  const live: Live[] = [];
  const start = async (): Promise<void> => {
    const index = started++;
    live.push(await startEpisode(options, params, numPlayers, index));
  };
  while (started < Math.min(concurrency, episodes)) await start();
  while (live.length > 0) {
    for (let i = 0; i < live.length; ) {
      const ep = live[i]!;
      while (ep.episode.turn.kind === 'chance') ep.episode.resolveChance();
      if (!ep.episode.isTerminal) {
        i++;
        continue;
      }
      outcomes.push(finish(ep, options));
      live.splice(i, 1);
      if (started < episodes) await start(); // appended at the end: visited later in this sweep
    }
    if (live.length === 0) break;
    decisions += await stepAll(live, batch, options);
  }
  outcomes.sort((a, b) => a.index - b.index);
  return { episodes: outcomes, decisions };
}

async function startEpisode(options: RolloutOptions, params: unknown, numPlayers: number, index: number): Promise<Live> {
  const { env } = options;
  const setup = options.setup(index);
  if (setup.agents.length !== numPlayers) {
    throw new LearnError(
      'bad-rollout',
      `episode ${index} of ${env.key} has ${setup.agents.length} seat entries, the env has ${numPlayers} seats`,
      'give one entry per seat (null for the learner)',
    );
  }
  const learnerSeats: Seat[] = [];
  for (let seat = 0; seat < numPlayers; seat++) {
    const agent = setup.agents[seat];
    if (agent === null || agent === undefined) {
      learnerSeats.push(seat);
      continue;
    }
    const pending = agent.reset?.(seat, deriveSeed(setup.seed, SEED_STREAMS.agentReset, seat));
    if (pending) await pending;
  }
  return {
    index,
    seed: setup.seed,
    episode: new Episode(env, params, setup.seed),
    agents: setup.agents,
    learnerSeats,
    lastRow: new Int32Array(numPlayers).fill(-1),
    lastReturn: new Float64Array(numPlayers),
    lastShaped: new Float64Array(numPlayers),
    length: 0,
  };
}

/**
 * The final rewards of the learner's last decisions; opponents hear the result. A truncated
 * episode did not really end, so each learner seat's last row also gets the value of the
 * final state from that seat's view (GAE bootstraps from it instead of from 0).
 */
function finish(ep: Live, options: RolloutOptions): EpisodeOutcome {
  const { buffer } = options;
  const returns = ep.episode.returns.slice();
  for (const seat of ep.learnerSeats) {
    const row = ep.lastRow[seat]!;
    if (buffer && row >= 0) buffer.rewards[row] = returns[seat]! - ep.lastReturn[seat]! + shapingDelta(ep, seat, options.shaping);
  }
  if (buffer && ep.episode.isTruncated) bootstrapFinal(ep, options.model, buffer);
  ep.agents.forEach((agent, seat) => agent?.observeEnd?.(returns, seat));
  const { env, state } = ep.episode;
  const shaped = env.shapedReturns ? { shaped: env.shapedReturns(state).slice() } : {};
  return { index: ep.index, seed: ep.seed, returns, learnerSeats: ep.learnerSeats, length: ep.length, ...shaped };
}

function bootstrapFinal(ep: Live, model: PolicyModel, buffer: RolloutBuffer): void {
  const seats = ep.learnerSeats.filter((seat) => ep.lastRow[seat]! >= 0);
  if (seats.length === 0) return;
  const { env, state } = ep.episode;
  const O = model.observationSize;
  const observations = new Float32Array(seats.length * O);
  seats.forEach((seat, i) => observations.set(env.observationTensor(state, seat), i * O));
  // Nobody acts at the final state; an all-legal mask keeps the (unused) probabilities finite.
  const masks = new Uint8Array(seats.length * model.numActions).fill(1);
  const { values } = model.forward(observations, masks, seats.length);
  seats.forEach((seat, i) => {
    buffer.bootstrap[ep.lastRow[seat]!] = values[i]!;
  });
}

/** One lock-step: every live episode (at a decision or simultaneous node) moves once. */
async function stepAll(live: readonly Live[], batch: LearnerBatch, options: RolloutOptions): Promise<number> {
  const { env } = options;
  batch.clear();
  const moves: Pending[][] = [];
  const waits: Promise<void>[] = [];
  for (const ep of live) {
    const state = ep.episode.state;
    const mine: Pending[] = [];
    moves.push(mine);
    for (const seat of actingSeats(ep.episode.turn)) {
      const entry: Pending = { live: ep, seat, action: -1 };
      mine.push(entry);
      const agent = ep.agents[seat];
      if (agent === null || agent === undefined) {
        batch.add(entry, env.observationTensor(state, seat), env.legalMask(state, seat));
        continue;
      }
      const answer = decide(ep, agent, seat);
      if (typeof answer === 'number') entry.action = answer;
      else
        waits.push(
          answer.then((action) => {
            entry.action = action;
          }),
        );
    }
  }
  const decided = batch.run(options);
  if (waits.length > 0) await Promise.all(waits);
  live.forEach((ep, i) => applyStep(ep, moves[i]!));
  return decided;
}

function decide(ep: Live, agent: Agent, seat: Seat): ActionId | Promise<ActionId> {
  const { episode } = ep;
  const request: DecisionRequest = {
    env: episode.env,
    params: episode.params,
    seat,
    stepIndex: episode.stepIndex,
    observation: observe(episode.env, episode.state, seat),
    deadline: Infinity,
  };
  return isSearchAgent(agent) ? agent.actFromState(request, episode.state) : agent.act(request);
}

function applyStep(ep: Live, moves: readonly Pending[]): void {
  const { episode } = ep;
  for (const move of moves) {
    if (!episode.env.isLegal(episode.state, move.seat, move.action)) {
      const who = ep.agents[move.seat]?.name ?? 'the learner';
      throw new LearnError(
        'bad-rollout',
        `${who} (seat ${move.seat}) chose illegal action ${move.action} in ${episode.env.key}`,
        'opponent agents must answer with a legal action id',
      );
    }
  }
  // The shared walk applies the step: the one decision, or the joint action of every acting seat.
  stepEpisode(episode, (seat) => moves.find((move) => move.seat === seat)!.action);
  ep.length++;
}

/** The learner's decisions of one lock-step, gathered into flat arrays for one forward pass. */
class LearnerBatch {
  readonly model: PolicyModel;
  readonly observations: Float32Array;
  readonly masks: Uint8Array;
  readonly entries: Pending[] = [];

  constructor(model: PolicyModel, rows: number) {
    this.model = model;
    this.observations = new Float32Array(rows * model.observationSize);
    this.masks = new Uint8Array(rows * model.numActions);
  }

  clear(): void {
    this.entries.length = 0;
  }

  add(entry: Pending, observation: Float32Array, mask: Uint8Array): void {
    const row = this.entries.length;
    if (observation.length !== this.model.observationSize) {
      throw new LearnError(
        'bad-rollout',
        `observation of ${observation.length} floats, the model takes ${this.model.observationSize}`,
        'use a model built for this env and params',
      );
    }
    this.observations.set(observation, row * this.model.observationSize);
    this.masks.set(mask, row * this.model.numActions);
    this.entries.push(entry);
  }

  /** One forward pass; picks every action and records the rows. Returns the number of decisions. */
  run(options: RolloutOptions): number {
    const n = this.entries.length;
    if (n === 0) return 0;
    const { model } = this;
    const O = model.observationSize;
    const A = model.numActions;
    const obs = this.observations.subarray(0, n * O);
    const masks = this.masks.subarray(0, n * A);
    const { probs, values } = model.forward(obs, masks, n);
    for (let i = 0; i < n; i++) {
      const entry = this.entries[i]!;
      const p = probs.subarray(i * A, (i + 1) * A);
      const action = options.greedy ? greedyAction(p) : sampleAction(p, options.rng);
      entry.action = action;
      if (options.buffer)
        record(
          options.buffer,
          entry,
          obs.subarray(i * O, (i + 1) * O),
          masks.subarray(i * A, (i + 1) * A),
          action,
          Math.log(p[action]!),
          values[i]!,
          options.shaping,
        );
    }
    return n;
  }
}

function record(
  buffer: RolloutBuffer,
  entry: Pending,
  obs: Float32Array,
  mask: Uint8Array,
  action: ActionId,
  logProb: number,
  value: number,
  shaping: number | undefined,
): void {
  const { live, seat } = entry;
  const now = live.episode.returns[seat]!;
  const row = buffer.push(obs, mask, action, logProb, value, seat);
  const previous = live.lastRow[seat]!;
  const shaped = shapingDelta(live, seat, shaping);
  if (previous >= 0) {
    buffer.rewards[previous] = now - live.lastReturn[seat]! + shaped;
    buffer.next[previous] = row;
  }
  live.lastRow[seat] = row;
  live.lastReturn[seat] = now;
}

/** shaping × the seat's shaped reward since its last recorded decision; advances the mark. */
function shapingDelta(live: Live, seat: Seat, shaping: number | undefined): number {
  const { env, state } = live.episode;
  if (!shaping || !env.shapedReturns) return 0;
  const total = env.shapedReturns(state)[seat]!;
  const delta = total - live.lastShaped[seat]!;
  live.lastShaped[seat] = total;
  return shaping * delta;
}
