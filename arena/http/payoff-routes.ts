/**
 * `GET /api/league/payoff`: the league's payoff matrix (each member's score against each
 * other member, with game counts) and the Nash mixture of the two-player zero-sum meta-game;
 * for cooperative envs the cross-play matrix (mean team return, seat 0 member by seat 1 member).
 */
import { getEnv } from '../../envs/index.ts';
import { LeagueConfigSchema } from '../../league/config/league-config.ts';
import { nashMixture } from '../../league/evaluate/nash-mixture.ts';
import { crossPlayMatrix, payoffMatrix, scoreOf } from '../../league/evaluate/payoff-matrix.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { HttpErrorBodySchema } from '../../protocol/http-api.ts';
import { PayoffQuerySchema, PayoffResponseSchema, type PayoffResponse } from '../../protocol/viewer-api.ts';
import { perMatchCount } from './league-cache.ts';
import { leagueFor } from './league-routes.ts';
import type { ZodApp } from './zod-app.ts';

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export async function leaguePayoff(store: LeagueStore, league: LeagueRow): Promise<PayoffResponse> {
  const config = LeagueConfigSchema.parse(league.config);
  const env = getEnv(league.env);
  const results = await store.matchSummaries(league.id);
  const matrix = payoffMatrix(results, { faults: config.ratings.faults });
  const twoPlayer = env.dims(env.parseParams(config.params)).numPlayers === 2;
  const cells = matrix.cells.map((row) =>
    row.map((c) => ({ games: c.games, wins: c.wins, draws: c.draws, losses: c.losses, score: c.games ? scoreOf(c) : null })),
  );
  const base = { league: league.name, env: league.env, utility: env.spec.utility, agentIds: matrix.agentIds.slice() };
  if (env.spec.utility === 'identical') {
    const ids = matrix.agentIds.slice();
    const grid = twoPlayer && ids.length > 0 ? crossPlayMatrix(results, { rowIds: ids, colIds: ids }) : undefined;
    return {
      ...base,
      kind: 'cross-play',
      nash: null,
      cells: grid ? grid.games.map((row) => row.map((games) => ({ games, wins: 0, draws: 0, losses: 0, score: null }))) : cells,
      ...(grid ? { crossPlay: grid.mean.map((row) => row.map(finite)) } : {}),
    };
  }
  // An unplayed pair counts as even (score 0.5, meta-game value 0) rather than failing the page.
  const zeroSum = env.spec.utility === 'zero-sum' || env.spec.utility === 'constant-sum';
  const nash = zeroSum && twoPlayer && matrix.agentIds.length > 0 ? nashMixture(matrix, { missing: 0 }) : undefined;
  return {
    ...base,
    kind: 'payoff',
    cells,
    nash: nash ? { weights: Object.fromEntries(nash.agentIds.map((id, i) => [id, nash.weights[i]!])), value: nash.value, gap: nash.gap } : null,
  };
}

export function registerPayoffRoutes(app: ZodApp, store: LeagueStore): void {
  const payoff = perMatchCount(store, (league) => leaguePayoff(store, league));
  app.get(
    '/api/league/payoff',
    {
      schema: {
        summary: 'Payoff matrix between members (score with game counts) and the Nash mixture; the cross-play matrix for cooperative envs',
        tags: ['league'],
        querystring: PayoffQuerySchema,
        response: { 200: PayoffResponseSchema, 400: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => (await payoff(await leagueFor(store, request.query.league))).value,
  );
}
