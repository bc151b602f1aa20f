/**
 * `--games N` of `ludus league payoff|crossplay`: fresh evaluation games between the league's
 * members, played here or, with `--queue`, by `ludus worker` processes.
 */
import { getEnv } from '../../envs/index.ts';
import { LeagueConfigSchema } from '../../league/config/league-config.ts';
import { MAX_EVALUATION_GAMES, playEvaluation, type Evaluation } from '../../league/evaluate/evaluation-games.ts';
import { LocalMatchPlayer, type MatchPlayer } from '../../league/runner/match-player.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { intFlag, type FlagSpec } from '../args.ts';
import { UsageError } from '../cli-error.ts';
import { requireSharedStore } from '../shared-store.ts';

export const EVALUATION_FLAGS = {
  games: { type: 'string' },
  queue: { type: 'string' },
  'queue-prefix': { type: 'string' },
} as const satisfies FlagSpec;

export const EVALUATION_HELP = `      --games N plays N fresh games of every ordered pair of members (both seatings; external
      members left out) instead of reading the league's matches: a complete matrix, nothing
      stored. With --queue redis://… (and the shared --database) \`ludus worker\` processes play them.`;

export interface EvaluationResult extends Evaluation {
  readonly games: number;
}

type Flags = Record<string, string | boolean | undefined>;

/** The evaluation asked for by the flags, or undefined without --games. */
export async function evaluationFromFlags(store: LeagueStore, league: LeagueRow, values: Flags, selfPlay: boolean): Promise<EvaluationResult | undefined> {
  const games = intFlag(values.games as string | undefined, 'games', 1, MAX_EVALUATION_GAMES);
  if (games === undefined) {
    if (values.queue !== undefined) throw new UsageError('--queue plays evaluation games: give their number with --games N');
    return undefined;
  }
  const config = LeagueConfigSchema.parse(league.config);
  const env = getEnv(league.env);
  const context = { league, env, params: env.parseParams(config.params), recordReplays: false };
  let player: MatchPlayer;
  if (typeof values.queue === 'string') {
    requireSharedStore(values.database as string | undefined, 'an evaluation on a queue');
    const [{ QueueMatchPlayer }, { parseQueueTarget }] = await Promise.all([
      import('../../league/queue/queue-match-player.ts'),
      import('../../league/queue/queue-target.ts'),
    ]);
    player = await QueueMatchPlayer.open({ target: parseQueueTarget(values.queue, values['queue-prefix'] as string | undefined), store });
  } else {
    player = new LocalMatchPlayer(store);
  }
  try {
    return { games, ...(await playEvaluation(player, context, await store.listMembers(league.id), { games, selfPlay })) };
  } finally {
    await player.close();
  }
}
