/**
 * PFSP matchmaking (AlphaStar §Prioritised fictitious self-play): a focal member (see
 * FocalRule), and opponents drawn with probability proportional to f(x), where x is the
 * focal member's decayed win rate against each candidate. With no candidate at all the
 * focal member plays itself.
 */
import { z } from 'zod';
import { drawOpponents, FocalRuleSchema, matchmakerFrom, pickFocal, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { PfspWeightingSchema, pfspProbabilitiesInto } from './pfsp-weights.ts';

export const PfspConfigSchema = z
  .object({
    strategy: z.literal('pfsp'),
    weighting: PfspWeightingSchema.default('hard'),
    /** Exponent of the `hard` weighting (1 - x)^p; larger is greedier. */
    p: z.number().positive().max(64).default(2),
    focal: FocalRuleSchema.default('learners'),
    /** Candidate opponents: every other member, or only frozen ones (snapshots, pinned baselines). */
    pool: z.enum(['all', 'frozen']).default('all'),
  })
  .strict();
export type PfspConfig = z.infer<typeof PfspConfigSchema>;

/**
 * A pairing costs O(1) lookups whatever the population size: the candidate list is the
 * population's cached one and the win rates the payoff table's cached row (updated per
 * result), leaving one tight loop over the rates for the weights; the draws are the same
 * as from `samplePfsp` over freshly computed rates.
 */
export function createPfspMatchmaker(config: PfspConfig): Matchmaker {
  let probs: Float64Array = new Float64Array(0);
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const focal = pickFocal(ctx, config.focal).agentId;
    let ids = ctx.population.opponentIds(focal);
    if (config.pool === 'frozen') {
      const frozen = ctx.population.opponentIds(focal, true);
      if (frozen.length > 0) ids = frozen; // an empty frozen pool (a fresh league) falls back to everyone
    }
    if (ids.length === 0) return { focal, opponents: drawOpponents(ctx, () => focal), branch: 'self-play' };
    probs = pfspProbabilitiesInto(ctx.payoff.winRateRow(focal, ids), config.weighting, config.p, probs);
    const opponents = drawOpponents(ctx, () => ids[ctx.rng.weighted(probs)]!);
    return { focal, opponents, branch: 'pfsp' };
  });
}
