/**
 * ML-Agents ghost-trainer style self-play: the learner (its latest config) plays itself with
 * probability q, otherwise a snapshot drawn uniformly from its last `window` snapshots.
 * Without snapshots yet it always plays itself.
 */
import { z } from 'zod';
import { AgentIdSchema, type Member } from '../population/member.ts';
import { drawOpponents, matchmakerFrom, requireMembers, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { MatchmakingError } from './matchmaking-error.ts';

export const LatestVsSnapshotsConfigSchema = z
  .object({
    strategy: z.literal('latest-vs-snapshots'),
    /** Probability of facing the latest learner (ML-Agents play_against_latest_model_ratio). */
    q: z.number().min(0).max(1).default(0.5),
    /** How many of the newest snapshots are eligible (ML-Agents window). */
    window: z.number().int().positive().default(10),
    /** The learner; default: uniform over the non-frozen learners each match. */
    learnerId: AgentIdSchema.optional(),
  })
  .strict();
export type LatestVsSnapshotsConfig = z.infer<typeof LatestVsSnapshotsConfigSchema>;

export function createLatestVsSnapshotsMatchmaker(config: LatestVsSnapshotsConfig): Matchmaker {
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const learner = pickLearner(ctx, config.learnerId).agentId;
    const recent = ctx.population
      .snapshotsOf(learner)
      .slice(-config.window)
      .map((m) => m.agentId);
    let branch = 'latest';
    const opponents = drawOpponents(ctx, () => {
      if (recent.length === 0 || ctx.rng.float() < config.q) return learner;
      branch = 'snapshot';
      return ctx.rng.pick(recent);
    });
    return { focal: learner, opponents, branch };
  });
}

function pickLearner(ctx: MatchmakingContext, learnerId: string | undefined): Member {
  requireMembers(ctx);
  if (learnerId !== undefined) return ctx.population.get(learnerId);
  const learners = ctx.population.learners();
  if (learners.length === 0) {
    throw new MatchmakingError(
      'no-learners',
      'latest-vs-snapshots needs a non-frozen learner in the population',
      'add a member with kind "learner" or name one with learnerId',
    );
  }
  return ctx.rng.pick(learners);
}
