/**
 * Rating-window matchmaking (a queue that widens, as in Colyseus QueueRoom): opponents are
 * uniform among members whose Elo is within `window` of the focal member's. When nobody is
 * that close, the window grows by `widen` steps until someone is. With no other member at
 * all the focal member plays itself.
 */
import { z } from 'zod';
import { drawOpponents, FocalRuleSchema, matchmakerFrom, pickFocal, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { MatchmakingError } from './matchmaking-error.ts';

export const RatingWindowConfigSchema = z
  .object({
    strategy: z.literal('rating-window'),
    /** Elo points either side of the focal member. */
    window: z.number().min(0).default(200),
    /** Elo points added to the window each time it holds no candidate. */
    widen: z.number().positive().default(100),
    focal: FocalRuleSchema.default('any'),
  })
  .strict();
export type RatingWindowConfig = z.infer<typeof RatingWindowConfigSchema>;

export function createRatingWindowMatchmaker(config: RatingWindowConfig): Matchmaker {
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const focal = pickFocal(ctx, config.focal).agentId;
    const others = ctx.population.activeOpponents(focal).map((m) => ({ id: m.agentId, gap: Math.abs(rating(ctx, m.agentId) - rating(ctx, focal)) }));
    if (others.length === 0) return { focal, opponents: drawOpponents(ctx, () => focal), branch: 'self-play' };
    const radius = windowRadius(
      others.map((o) => o.gap),
      config.window,
      config.widen,
    );
    const ids = others.filter((o) => o.gap <= radius).map((o) => o.id);
    return { focal, opponents: drawOpponents(ctx, () => ctx.rng.pick(ids)), branch: radius > config.window ? 'widened' : 'window' };
  });
}

/** The smallest window + k * widen (k = 0, 1, ...) that contains the nearest gap. */
export function windowRadius(gaps: readonly number[], window: number, widen: number): number {
  const nearest = Math.min(...gaps);
  if (nearest <= window) return window;
  let k = Math.ceil((nearest - window) / widen);
  while (window + k * widen < nearest) k++; // rounding guard
  return window + k * widen;
}

function rating(ctx: MatchmakingContext, agentId: string): number {
  const r = ctx.elo(agentId);
  if (!Number.isFinite(r))
    throw new MatchmakingError('no-opponents', `Elo of "${agentId}" is ${r}`, 'the elo callback must return a finite rating for every member');
  return r;
}
