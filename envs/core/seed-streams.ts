/**
 * Every named random stream in Ludus, in one table. A seed is split into independent streams
 * with `deriveSeed(seed, stream, ...)`; two uses that shared a value would draw correlated
 * numbers, and two copies of one value could drift apart. The values are part of what makes a
 * seed reproduce a run: changing one changes every result that draws from it.
 */
export const SEED_STREAMS = {
  /** Episode: chance outcomes. */
  chance: 0x63686e63,
  /** Conformance playouts: the random policy's moves. */
  conformancePolicy: 0x706c6179,
  /** Conformance: the leak test's probes. */
  conformanceLeak: 0x6c65616b,
  /** Each seat's agent seed at reset, in local play, training rollouts and arena matches. */
  agentReset: 0x5ea7,
  /** Arena: moves the timeout policy plays for late seats. */
  timeout: 0x71e0,
  /** Agent processes: per-match seeds of remote seats. */
  remoteSeat: 0x7e5a,
  /** Leagues and training: drawing the members of each match. */
  pairing: 0x9a1e,
  /** Leagues and PPO: each match's episode seed. */
  episode: 0xe915,
  /** PPO: rollout sampling. */
  rollout: 0x7011,
  /** PPO: minibatch shuffles. */
  shuffle: 0x5487,
  /** Training: evaluation matches. */
  evaluation: 0xe7a1,
  /** Leagues: snapshot resets. */
  snapshotReset: 0x5e5e7,
  /** Language-model agents: the sampling seed sent with each request. */
  llmSampling: 0x11a,
  /** AlphaZero: self-play games' episode seeds. */
  alphaZeroGame: 0xa201,
  /** AlphaZero: the searches of self-play games (root noise, move sampling). */
  alphaZeroSearch: 0xa202,
  /** AlphaZero: replay-buffer minibatches. */
  alphaZeroSample: 0xa203,
  /** Training: the searches of evaluation matches played with search. */
  evaluationSearch: 0xe7a2,
  /** League evaluations (`ludus league payoff|crossplay --games`): each game's episode seed. */
  leagueEvaluation: 0xe7a3,
} as const;
