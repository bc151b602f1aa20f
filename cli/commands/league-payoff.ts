/**
 * `ludus league payoff`: the population's payoff matrix (row member's score against each
 * column member, with game counts) and, for two-player zero-sum envs, the Nash mixture over
 * the members of that meta-game.
 */
import { getEnv } from '../../envs/index.ts';
import { LeagueConfigSchema } from '../../league/config/league-config.ts';
import { nashMixture } from '../../league/evaluate/nash-mixture.ts';
import { payoffMatrix, scoreOf } from '../../league/evaluate/payoff-matrix.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { fixed, formatTable } from '../table.ts';
import type { EvaluationResult } from './league-evaluation.ts';

/** From the league's stored matches, or from fresh evaluation games when `evaluation` is given. */
export async function printPayoff(store: LeagueStore, league: LeagueRow, json: boolean, evaluation?: EvaluationResult): Promise<number> {
  const config = LeagueConfigSchema.parse(league.config);
  const env = getEnv(league.env);
  const dims = env.dims(env.parseParams(config.params));
  // Team envs: a cell is the row member's score against the column member when they played on opposing teams.
  const matrix = evaluation
    ? payoffMatrix(evaluation.results, { faults: config.ratings.faults, dims, agentIds: evaluation.members })
    : payoffMatrix(await store.matchSummaries(league.id), { faults: config.ratings.faults, dims });
  const zeroSum = env.spec.utility === 'zero-sum' && dims.numPlayers === 2;
  const nash = zeroSum && matrix.agentIds.length > 0 ? nashMixture(matrix) : undefined;
  if (json) {
    console.log(
      JSON.stringify({
        agentIds: matrix.agentIds,
        cells: matrix.cells.map((row) =>
          row.map((c) => ({ games: c.games, wins: c.wins, draws: c.draws, losses: c.losses, score: c.games ? scoreOf(c) : null })),
        ),
        nash: nash && { weights: Object.fromEntries(nash.agentIds.map((id, i) => [id, nash.weights[i]])), value: nash.value, gap: nash.gap },
        ...(evaluation ? { evaluation: evaluationSummary(evaluation) } : {}),
      }),
    );
    return 0;
  }
  const header = ['row vs column', ...matrix.agentIds];
  const rows = matrix.agentIds.map((id, i) => [id, ...matrix.cells[i]!.map((c) => (c.games ? `${fixed(100 * scoreOf(c), 0)}% (${c.games})` : '-'))]);
  const lines = [
    `league ${league.name} (${league.env}): score of the row member against the column member (wins + draws/2), games in brackets${dims.teams ? '; teams: members who met on opposing teams, scored by team result' : ''}`,
    ...(evaluation ? [evaluationLine(evaluation)] : []),
    formatTable(header, rows),
  ];
  if (nash) {
    lines.push('', 'Nash mixture over the members (two-player zero-sum meta-game):');
    lines.push(
      formatTable(
        ['agent', 'weight'],
        nash.agentIds.map((id, i) => [id, fixed(nash.weights[i]!, 3)]),
      ),
    );
  }
  console.log(lines.join('\n'));
  return 0;
}

export const evaluationSummary = (e: EvaluationResult) => ({ gamesPerPair: e.games, matches: e.results.length, excluded: e.excluded });

export function evaluationLine(e: EvaluationResult): string {
  const left = e.excluded.length > 0 ? `; external members left out: ${e.excluded.join(', ')}` : '';
  return `from ${e.results.length} fresh evaluation games, ${e.games} per ordered pair (not the league's matches)${left}`;
}
