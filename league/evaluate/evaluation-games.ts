/**
 * Fresh evaluation games between a league's members (`ludus league payoff|crossplay --games N`):
 * every ordered pair of members (both seatings; with itself too for cross-play) plays N games,
 * each seeded from (league seed, pair, game), so the same population gives the same results
 * whether the games run here or on queue workers. Nothing is stored: the matrices are built
 * from the results, complete by construction (the league's own matches need not have met
 * every pair).
 */
import { deriveSeed, SEED_STREAMS } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';
import type { EvaluationMatch, EvaluationResult, MatchPlayer, PlayContext } from '../runner/match-player.ts';
import { EvaluateError } from './evaluate-error.ts';

export const MAX_EVALUATION_GAMES = 10_000;

export interface EvaluationPlanOptions {
  /** The members to evaluate, in display order (external members cannot be played here). */
  readonly members: readonly Member[];
  readonly games: number;
  readonly seed: number;
  /** Also pair each member with itself (cross-play's self-play column). */
  readonly selfPlay: boolean;
}

export function evaluationMatches(options: EvaluationPlanOptions): EvaluationMatch[] {
  const { members, games, seed } = options;
  if (!Number.isInteger(games) || games < 1 || games > MAX_EVALUATION_GAMES) {
    throw new EvaluateError('bad-results', `evaluation games per pair must be an integer from 1 to ${MAX_EVALUATION_GAMES}, got ${games}`);
  }
  const matches: EvaluationMatch[] = [];
  members.forEach((a, i) => {
    members.forEach((b, j) => {
      if (i === j && !options.selfPlay) return;
      for (let game = 0; game < games; game++) {
        matches.push({ seed: deriveSeed(seed, SEED_STREAMS.leagueEvaluation, i, j, game), seats: [a.agentId, b.agentId], agents: [a.agent, b.agent] });
      }
    });
  });
  return matches;
}

export interface Evaluation {
  readonly members: readonly string[];
  /** External members: played by remote agents through the arena, so not here. */
  readonly excluded: readonly string[];
  readonly results: readonly EvaluationResult[];
}

/** Plays the evaluation of a league's members with `player` (in this process or on a queue). */
export async function playEvaluation(
  player: MatchPlayer,
  context: PlayContext,
  members: readonly Member[],
  options: { readonly games: number; readonly selfPlay: boolean },
): Promise<Evaluation> {
  const numPlayers = context.env.dims(context.params).numPlayers;
  if (numPlayers !== 2) {
    throw new EvaluateError(
      'not-two-seat',
      `${context.env.key} has ${numPlayers} seats; evaluation games pair two members`,
      "read the league's own matches instead (leave out --games)",
    );
  }
  const playable = members.filter((m) => m.kind !== 'external');
  const matches = evaluationMatches({ members: playable, games: options.games, seed: context.league.seed, selfPlay: options.selfPlay });
  const results = await player.playEvaluationMatches(context, matches);
  return {
    members: playable.map((m) => m.agentId),
    excluded: members.filter((m) => m.kind === 'external').map((m) => m.agentId),
    results,
  };
}
