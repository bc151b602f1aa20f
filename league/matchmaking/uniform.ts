/**
 * Uniform matchmaking: every member is equally likely in every seat. Without self-play the
 * members of one match are distinct (a uniformly random set of numPlayers members); with
 * self-play each seat is drawn independently, so a member can meet itself.
 */
import { z } from 'zod';
import { matchmakerFrom, requireMembers, type Matchmaker, type MatchmakingContext, type Pairing } from './matchmaker.ts';
import { MatchmakingError } from './matchmaking-error.ts';

export const UniformConfigSchema = z
  .object({
    strategy: z.literal('uniform'),
    allowSelfPlay: z.boolean().default(false),
  })
  .strict();
export type UniformConfig = z.infer<typeof UniformConfigSchema>;

export function createUniformMatchmaker(config: UniformConfig): Matchmaker {
  return matchmakerFrom((ctx: MatchmakingContext): Pairing => {
    const members = requireMembers(ctx).map((m) => m.agentId);
    if (config.allowSelfPlay) {
      const [focal, ...opponents] = Array.from({ length: ctx.numPlayers }, () => ctx.rng.pick(members));
      return { focal: focal!, opponents, branch: 'uniform' };
    }
    if (members.length < ctx.numPlayers) {
      throw new MatchmakingError(
        'no-opponents',
        `uniform matchmaking needs ${ctx.numPlayers} distinct members, the population has ${members.length}`,
        'add members or set allowSelfPlay: true',
      );
    }
    const [focal, ...opponents] = ctx.rng.shuffle(members).slice(0, ctx.numPlayers);
    return { focal: focal!, opponents, branch: 'uniform' };
  });
}
