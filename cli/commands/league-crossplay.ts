/**
 * `ludus league crossplay`: the cross-play matrix of a cooperative two-seat league (every
 * member with every other, both positions: mean team return, games, standard error) and
 * each member's self-play and held-out-partner means.
 */
import { getEnv } from '../../envs/index.ts';
import { LeagueError } from '../../league/league-error.ts';
import { crossplayMatrix, type CrossplayStat } from '../../league/evaluate/crossplay.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { fixed, formatTable } from '../table.ts';
import type { EvaluationResult } from './league-evaluation.ts';
import { evaluationLine, evaluationSummary } from './league-payoff.ts';

const cell = (s: CrossplayStat): string => (s.mean === null ? '-' : `${fixed(s.mean, 1)}${s.stderr === null ? '' : ` ±${fixed(s.stderr, 1)}`} (${s.games})`);

/** From the league's stored matches, or from fresh evaluation games (self-play included) when `evaluation` is given. */
export async function printCrossplay(store: LeagueStore, league: LeagueRow, json: boolean, evaluation?: EvaluationResult): Promise<number> {
  checkCooperative(league);
  const x = evaluation
    ? crossplayMatrix(evaluation.results, evaluation.members)
    : crossplayMatrix(
        await store.matchSummaries(league.id),
        (await store.listMembers(league.id)).map((m) => m.agentId),
      );
  if (json) {
    console.log(JSON.stringify({ league: league.name, env: league.env, ...x, ...(evaluation ? { evaluation: evaluationSummary(evaluation) } : {}) }));
    return 0;
  }
  const header = ['seat 0 \\ seat 1', ...x.agentIds];
  const rows = x.agentIds.map((id, i) => [id, ...x.cells[i]!.map(cell)]);
  const summary = x.members.map((m) => [m.agentId, cell(m.selfPlay), cell(m.heldOut)]);
  console.log(
    [
      `league ${league.name} (${league.env}): mean team return of seat 0's member with seat 1's (± standard error, games); cooperative: unrated`,
      ...(evaluation ? [evaluationLine(evaluation)] : []),
      formatTable(header, rows),
      '',
      formatTable(['member', 'with itself', 'with held-out partners'], summary),
      ...(x.skipped ? [`${x.skipped} aborted or faulted matches left out`] : []),
    ].join('\n'),
  );
  return 0;
}

/** Cross-play is for leagues whose seats share one payoff. */
export function checkCooperative(league: LeagueRow): void {
  if (getEnv(league.env).spec.utility !== 'identical') {
    throw new LeagueError(
      'not-cooperative',
      `league ${league.name} plays ${league.env}, whose seats do not share one payoff`,
      'use `ludus league payoff` for competitive leagues',
    );
  }
}
