/**
 * League data over HTTP: leagues, standings (computeStandings), members, an agent's history.
 * Every list is paged with at most MAX_PAGE_SIZE rows; no answer carries a deal seed.
 */
import { computeStandings } from '../../league/standings.ts';
import type { LeagueRow, LeagueStore, MatchSummary } from '../../league/storage/league-store.ts';
import { HistoryQuerySchema, HttpErrorBodySchema, LeaguePageQuerySchema, PageQuerySchema } from '../../protocol/http-api.ts';
import { StandingsResponseSchema } from '../../protocol/viewer-api.ts';
import { perMatchCount } from './league-cache.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

/** The named league; without a name, the only league there is. */
export async function leagueFor(store: LeagueStore, name: string | undefined): Promise<LeagueRow> {
  if (name !== undefined) {
    const league = await store.getLeague(name);
    if (league) return league;
  }
  const leagues = await store.listLeagues();
  if (name === undefined && leagues.length === 1) return leagues[0]!;
  const names = leagues.map((l) => l.name);
  const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, ... (${names.length} in all: GET /api/leagues)` : '');
  const known = names.length > 0 ? `leagues: ${shown}` : 'there are no leagues yet (play a match first)';
  if (name === undefined) throw new HttpError(400, 'bad-request', 'query.league: name the league', known);
  throw new HttpError(404, 'unknown-league', `no league "${name.slice(0, 60)}"`, known);
}

/** A stored match as the public sees it: the seed stays with the operator (it would replay hidden cards). */
const publicSummary = ({ seed: _seed, ...rest }: MatchSummary) => rest;

const page = <T>(rows: readonly T[], offset: number, limit: number) => ({
  rows: rows.slice(offset, offset + limit),
  total: rows.length,
});

export function registerLeagueRoutes(app: ZodApp, store: LeagueStore): void {
  // Bootstrapped Bradley–Terry is costly on big leagues and dashboards poll: computed once per stored-match count.
  const standings = perMatchCount(store, (league) => computeStandings(store, league));
  app.get(
    '/api/leagues',
    {
      schema: { summary: 'The leagues in the store (paged)', tags: ['league'], querystring: PageQuerySchema },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const { rows, total } = page(await store.listLeagues(), offset, limit);
      return { leagues: rows.map(({ name, env, createdAt }) => ({ name, env, createdAt })), total, offset, limit };
    },
  );

  app.get(
    '/api/league/standings',
    {
      schema: {
        summary: 'Standings: Bradley–Terry rating with CI, latest Elo (paged, best first)',
        tags: ['league'],
        querystring: LeaguePageQuerySchema,
        response: { 200: StandingsResponseSchema, 400: HttpErrorBodySchema, 404: HttpErrorBodySchema },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const league = await leagueFor(store, request.query.league);
      const { value, matches } = await standings(league);
      const { rows, total } = page(value, offset, limit);
      return { league: league.name, env: league.env, matches, standings: rows, total, offset, limit };
    },
  );

  app.get(
    '/api/league/members',
    {
      schema: { summary: 'The members of a league (paged)', tags: ['league'], querystring: LeaguePageQuerySchema },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const league = await leagueFor(store, request.query.league);
      const { rows, total } = page(await store.listMembers(league.id), offset, limit);
      return { league: league.name, members: rows, total, offset, limit };
    },
  );

  app.get(
    '/api/league/history',
    {
      schema: {
        summary: 'The latest matches (newest last) with their rating rows, optionally of one agent; page back with `before`',
        tags: ['league'],
        querystring: HistoryQuerySchema,
      },
    },
    async (request) => {
      const { agentId, limit, before } = request.query;
      const league = await leagueFor(store, request.query.league);
      const matches = await store.recentMatchSummaries(league.id, {
        limit,
        ...(before === undefined ? {} : { before }),
        ...(agentId === undefined ? {} : { agentId }),
      });
      const first = matches[0]?.index;
      const last = matches[matches.length - 1]?.index;
      // Rows of the matches on this page only (an agent's rows exist only for the matches it played).
      const ratings = first === undefined ? [] : await store.ratingHistory(league.id, agentId, first, last! + 1);
      return {
        league: league.name,
        agentId: agentId ?? null,
        ratings,
        matches: matches.map(publicSummary),
        /** The `before` of the next (older) page; null when this page reached the first match. */
        next: first !== undefined && first > 0 && matches.length === limit ? first : null,
      };
    },
  );
}
