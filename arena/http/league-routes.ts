/** League data over HTTP: leagues, standings (computeStandings), members, an agent's history. */
import { z } from 'zod';
import { computeStandings } from '../../league/standings.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import { HistoryQuerySchema, LeagueQuerySchema } from '../../protocol/http-api.ts';
import { HttpErrorBodySchema } from '../../protocol/http-api.ts';
import { StandingsResponseSchema } from '../../protocol/viewer-api.ts';
import { perMatchCount } from './league-cache.ts';
import { HttpError } from './http-errors.ts';
import type { ZodApp } from './zod-app.ts';

/** Most matches the history route returns. */
const HISTORY_LIMIT = 500;

/** The named league; without a name, the only league there is. */
export function leagueFor(store: LeagueStore, name: string | undefined): LeagueRow {
  if (name !== undefined) {
    const league = store.getLeague(name);
    if (league) return league;
  }
  const names = store.listLeagues().map((l) => l.name);
  if (name === undefined && names.length === 1) return store.getLeague(names[0]!)!;
  const known = names.length > 0 ? `leagues: ${names.join(', ')}` : 'there are no leagues yet (play a match first)';
  if (name === undefined) throw new HttpError(400, 'bad-request', 'query.league: name the league', known);
  throw new HttpError(404, 'not-found', `no league "${name.slice(0, 60)}"`, known);
}

export function registerLeagueRoutes(app: ZodApp, store: LeagueStore): void {
  // Bootstrapped Bradley–Terry is costly on big leagues and dashboards poll: computed once per stored-match count.
  const standings = perMatchCount(store, (league) => computeStandings(store, league));
  app.get('/api/leagues', { schema: { summary: 'Every league in the store', tags: ['league'] } }, async () => ({
    leagues: store.listLeagues().map(({ name, env, createdAt }) => ({ name, env, createdAt })),
  }));

  app.get('/api/league/standings', {
    schema: {
      summary: 'Standings: Bradley–Terry rating with CI, latest Elo', tags: ['league'], querystring: LeagueQuerySchema,
      response: { 200: StandingsResponseSchema, 400: HttpErrorBodySchema, 404: HttpErrorBodySchema },
    },
  }, async (request) => {
    const league = leagueFor(store, request.query.league);
    const { value, matches } = standings(league);
    return { league: league.name, env: league.env, matches, standings: value };
  });

  app.get('/api/league/members', {
    schema: { summary: 'The members of a league', tags: ['league'], querystring: LeagueQuerySchema },
  }, async (request) => {
    const league = leagueFor(store, request.query.league);
    return { league: league.name, members: store.listMembers(league.id) };
  });

  app.get('/api/league/history', {
    schema: {
      summary: 'Rating history and match results (newest last), optionally of one agent',
      tags: ['league'],
      querystring: HistoryQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT).default(100) }),
    },
  }, async (request) => {
    const { agentId, limit } = request.query;
    const league = leagueFor(store, request.query.league);
    const all = store.matchSummaries(league.id);
    const mine = agentId === undefined ? all : all.filter((m) => m.seats.includes(agentId));
    return { league: league.name, agentId: agentId ?? null, ratings: store.ratingHistory(league.id, agentId), matches: mine.slice(-limit) };
  });
}
