/**
 * PFSP matchmaking (AlphaStar §Prioritised fictitious self-play): a focal member (see
 * FocalRule), and opponents drawn with probability proportional to f(x), where x is the
 * focal member's decayed win rate against each candidate. With no candidate at all the
 * focal member plays itself.
 */
import { z } from 'zod';
import { drawOpponents, FocalRuleSchema, matchmakerFrom, pickFocal, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { PfspWeightingSchema, samplePfsp } from './pfsp-weights.ts';

export const PfspConfigSchema = z.object({
  strategy: z.literal('pfsp'),
  weighting: PfspWeightingSchema.default('hard'),
  /** Exponent of the `hard` weighting (1 - x)^p; larger is greedier. */
  p: z.number().positive().max(64).default(2),
  focal: FocalRuleSchema.default('learners'),
  /** Candidate opponents: every other member, or only frozen ones (snapshots, pinned baselines). */
  pool: z.enum(['all', 'frozen']).default('all'),
}).strict();
export type PfspConfig = z.infer<typeof PfspConfigSchema>;

export function createPfspMatchmaker(config: PfspConfig): Matchmaker {
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const focal = pickFocal(ctx, config.focal).agentId;
    let pool = ctx.population.activeOpponents(focal);
    // An empty frozen pool (a fresh league) falls back to everyone rather than failing.
    if (config.pool === 'frozen' && pool.some((m) => m.frozen)) pool = pool.filter((m) => m.frozen);
    if (pool.length === 0) return { focal, opponents: drawOpponents(ctx, () => focal), branch: 'self-play' };
    const ids = pool.map((m) => m.agentId);
    const rates = ctx.payoff.winRates(focal, ids);
    const opponents = drawOpponents(ctx, () => samplePfsp(ctx.rng, ids, rates, config.weighting, config.p));
    return { focal, opponents, branch: 'pfsp' };
  });
}
