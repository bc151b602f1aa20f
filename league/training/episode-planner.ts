/**
 * Who plays the learner in each training episode. A share `selfPlay` of episodes is pure
 * self-play (the learner in every seat, all seats trained); the rest are drawn by the
 * league matchmaker (PFSP or latest-vs-snapshots) over the learner, its newest snapshots and
 * the anchors, and seated in random order. The learner's results against each opponent feed
 * the decayed payoff table that PFSP reads. Every draw comes from an RNG derived from
 * (seed, update, episode), so a resumed run makes the same draws.
 *
 * Stages (train config `stages`) change the self-play share and the candidates by update.
 * In team envs a drawn member plays a whole team: the matchmaker draws one member per team
 * and each fills every seat of its team, so the learner trains as a team (HCSP's
 * co-self-play) against scripted or frozen teams. A one-team cooperative env (Overcooked)
 * is drawn for seat by seat: the drawn member is the learner's partner (FCP).
 */
import type { Agent } from '../../agents/agent.ts';
import type { EpisodeOutcome, EpisodeSetup } from '../../agents/learn/rollout.ts';
import { deriveSeed, numSides, Rng, sideOf, type EnvDims } from '../../envs/index.ts';
import { createMatchmaker, PayoffTable, seatOrder, type Matchmaker } from '../matchmaking/index.ts';
import type { Member } from '../population/member.ts';
import { Population } from '../population/population.ts';
import type { OpponentPool } from './opponent-pool.ts';
import { stageAt, type TrainConfig, type TrainStage } from './train-config.ts';
import { SEED_STREAMS } from '../../envs/index.ts';

export interface PlannerOptions {
  readonly config: TrainConfig;
  readonly numPlayers: number;
  readonly learner: Member;
  readonly anchors: readonly Member[];
  readonly pool: OpponentPool;
  readonly payoff?: PayoffTable;
  /** The env's dims: in team envs each drawn member fills all seats of one team. */
  readonly dims?: EnvDims;
}

export class EpisodePlanner {
  readonly payoff: PayoffTable;
  readonly #config: TrainConfig;
  readonly #numPlayers: number;
  readonly #learner: Member;
  readonly #anchors: readonly Member[];
  readonly #pool: OpponentPool;
  readonly #matchmaker: Matchmaker;
  readonly #dims: EnvDims | undefined;
  #population: Population;
  #snapshots: readonly Member[] = [];
  #stage: TrainStage | undefined;
  /** agentIds per seat of this update's episodes (learner seats included). */
  #seats = new Map<number, readonly string[]>();
  #update = 0;

  constructor(options: PlannerOptions) {
    this.#config = options.config;
    this.#numPlayers = options.numPlayers;
    this.#learner = options.learner;
    this.#anchors = options.anchors;
    this.#pool = options.pool;
    this.payoff = options.payoff ?? new PayoffTable();
    // Only envs of two or more teams seat a drawn member on several seats (see sideOf).
    this.#dims = options.dims && numSides(options.dims) < options.dims.numPlayers ? options.dims : undefined;
    this.#matchmaker = createMatchmaker(options.config.opponents.matchmaking);
    this.#stage = stageAt(options.config, 0);
    this.#population = this.#candidates();
  }

  /** The matchmaking candidates: learner, anchors and the newest snapshots. */
  setSnapshots(snapshots: readonly Member[]): void {
    this.#snapshots = snapshots;
    this.#population = this.#candidates();
  }

  /** The stage in force for the current update (undefined: no stages, or past the last). */
  get stage(): TrainStage | undefined {
    return this.#stage;
  }

  #candidates(): Population {
    const stage = this.#stage;
    const anchors = stage?.anchors ? this.#anchors.filter((a) => stage.anchors!.includes(a.agentId)) : this.#anchors;
    const recent = stage?.snapshots === false ? [] : this.#snapshots.slice(-this.#config.opponents.snapshotWindow);
    return new Population([this.#learner, ...anchors, ...recent]);
  }

  /** Neural members that may be drawn (their models should stay loaded). */
  neuralModels(): string[] {
    return this.#population
      .list()
      .filter((m) => m.frozen && m.agent.kind === 'neural')
      .map((m) => String(m.agent.options.model));
  }

  beginUpdate(update: number): void {
    this.#update = update;
    this.#seats = new Map();
    const stage = stageAt(this.#config, update);
    if (stage !== this.#stage) {
      this.#stage = stage;
      this.#population = this.#candidates();
    }
  }

  setup(index: number, seed: number): EpisodeSetup {
    const learnerId = this.#learner.agentId;
    const rng = new Rng(deriveSeed(this.#config.seed, SEED_STREAMS.pairing, this.#update, index));
    let seats: string[] = new Array(this.#numPlayers).fill(learnerId);
    const selfPlay = this.#stage?.selfPlay ?? this.#config.opponents.selfPlay;
    if (rng.float() >= selfPlay) {
      const dims = this.#dims;
      const pairing = this.#matchmaker.pick({
        population: this.#population,
        payoff: this.payoff,
        elo: () => 0,
        rng,
        numPlayers: dims ? numSides(dims) : this.#numPlayers,
      });
      const order = seatOrder(rng, pairing);
      const drawn = dims ? seats.map((_, seat) => order[sideOf(dims, seat)]!) : order;
      if (drawn.includes(learnerId)) seats = drawn; // a pairing without the learner trains nothing: play itself instead
    }
    this.#seats.set(index, seats);
    const agents: (Agent | null)[] = seats.map((id) => (id === learnerId ? null : this.#pool.agentFor(this.#population.get(id))));
    return { agents, seed };
  }

  /** Folds the update's results into the payoff table; returns the share of pure self-play episodes. */
  finishUpdate(episodes: readonly EpisodeOutcome[]): { selfPlayShare: number } {
    const learnerId = this.#learner.agentId;
    let selfPlay = 0;
    for (const e of episodes) {
      const seats = this.#seats.get(e.index)!;
      if (seats.every((id) => id === learnerId)) {
        selfPlay++;
        continue;
      }
      const mine = e.returns[e.learnerSeats[0]!]!;
      const counted = new Set<string>(); // a team of one member counts once
      seats.forEach((id, seat) => {
        if (id === learnerId || (this.#dims && counted.has(id))) return;
        counted.add(id);
        const theirs = e.returns[seat]!;
        const score = mine > theirs ? 1 : mine < theirs ? 0 : 0.5;
        this.payoff.record(learnerId, id, score);
        this.payoff.record(id, learnerId, 1 - score);
      });
    }
    return { selfPlayShare: episodes.length > 0 ? selfPlay / episodes.length : 0 };
  }
}
