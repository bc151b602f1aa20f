/**
 * Matchmaking: one config schema (discriminated by `strategy`) and one factory. Strategies:
 * uniform, pfsp, rating-window, latest-vs-snapshots (ML-Agents ghost style) and alphastar
 * (the main / main-exploiter / league-exploiter role mix).
 */
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { AlphaStarConfigSchema, createAlphaStarMatchmaker } from './alphastar.ts';
import { createLatestVsSnapshotsMatchmaker, LatestVsSnapshotsConfigSchema } from './latest-vs-snapshots.ts';
import type { Matchmaker } from './matchmaker.ts';
import { MatchmakingError } from './matchmaking-error.ts';
import { createPfspMatchmaker, PfspConfigSchema } from './pfsp.ts';
import { createRatingWindowMatchmaker, RatingWindowConfigSchema } from './rating-window.ts';
import { createUniformMatchmaker, UniformConfigSchema } from './uniform.ts';

export const MatchmakingConfigSchema = z.discriminatedUnion('strategy', [
  UniformConfigSchema,
  PfspConfigSchema,
  RatingWindowConfigSchema,
  LatestVsSnapshotsConfigSchema,
  AlphaStarConfigSchema,
]);
export type MatchmakingConfig = z.infer<typeof MatchmakingConfigSchema>;
export type MatchmakingConfigInput = z.input<typeof MatchmakingConfigSchema>;

/** Validates a config (applying defaults) or throws a MatchmakingError naming the field. */
export function parseMatchmakingConfig(input: unknown): MatchmakingConfig {
  const parsed = MatchmakingConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new MatchmakingError(
      'bad-matchmaking-config',
      `bad matchmaking config: ${formatZodError(parsed.error)}`,
      'strategy is one of uniform, pfsp, rating-window, latest-vs-snapshots, alphastar; fix the named fields',
    );
  }
  return parsed.data;
}

/** Accepts a parsed config or raw input; parsing again fills defaults a caller's `.default()` skipped. */
export function createMatchmaker(config: MatchmakingConfigInput): Matchmaker {
  const c = parseMatchmakingConfig(config);
  switch (c.strategy) {
    case 'uniform':
      return createUniformMatchmaker(c);
    case 'pfsp':
      return createPfspMatchmaker(c);
    case 'rating-window':
      return createRatingWindowMatchmaker(c);
    case 'latest-vs-snapshots':
      return createLatestVsSnapshotsMatchmaker(c);
    case 'alphastar':
      return createAlphaStarMatchmaker(c);
  }
}

export type { Matchmaker, MatchmakingContext, Pairing, FocalRule } from './matchmaker.ts';
export { FocalRuleSchema, seatOrder } from './matchmaker.ts';
export { MatchmakingError, MATCHMAKING_ERROR_CODES, type MatchmakingErrorCode } from './matchmaking-error.ts';
export { PayoffTable, PayoffSettingsSchema, PayoffJsonSchema, type PairStats, type PayoffJson, type PayoffSettings } from './payoff-table.ts';
export { monotonicPrefixLength, PfspWeightingSchema, pfspProbabilities, pfspWeight, samplePfsp, type PfspWeighting } from './pfsp-weights.ts';
export { AlphaStarConfigSchema, type AlphaStarConfig } from './alphastar.ts';
export { LatestVsSnapshotsConfigSchema, type LatestVsSnapshotsConfig } from './latest-vs-snapshots.ts';
export { PfspConfigSchema, type PfspConfig } from './pfsp.ts';
export { RatingWindowConfigSchema, windowRadius, type RatingWindowConfig } from './rating-window.ts';
export { UniformConfigSchema, type UniformConfig } from './uniform.ts';
