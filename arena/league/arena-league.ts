/**
 * How arena matches land in league storage: each env gets its own league (`arena-<env key>`,
 * so standings never mix games), the players become members the first time they play, and a
 * FinishedMatch becomes a league MatchRow (replay included).
 */
import type { AgentSpec } from '../../agents/index.ts';
import { getEnv, type AnyEnv } from '../../envs/index.ts';
import { LeagueConfigSchema, leagueConfigHash } from '../../league/config/league-config.ts';
import type { Member } from '../../league/population/member.ts';
import type { LeagueRow, LeagueStore, MatchRow } from '../../league/storage/league-store.ts';
import { ArenaError } from '../arena-error.ts';
import type { FinishedMatch } from '../match/match-log.ts';

export const arenaLeagueName = (env: AnyEnv): string => `arena-${env.key}`;

/**
 * The league an arena match counts for: `name` if given (it must be for the same env), else
 * the env's arena league, created on first use with a minimal valid config. Its members list
 * is the real population (filled as agents play); the two config members only satisfy the
 * schema's "at least 2" rule and are marked external, so no league run ever plays them.
 */
export async function openArenaLeague(store: LeagueStore, env: AnyEnv, name?: string): Promise<LeagueRow> {
  const leagueName = name ?? arenaLeagueName(env);
  const existing = await store.getLeague(leagueName);
  if (existing) {
    if (getEnv(existing.env).key !== env.key) {
      throw new ArenaError('bad-request', `league "${leagueName}" plays ${existing.env}, not ${env.key}`, `omit "league" to use ${arenaLeagueName(env)}`);
    }
    return existing;
  }
  const config = LeagueConfigSchema.parse({
    name: leagueName,
    env: env.key,
    members: [
      { agentId: 'arena-seat-a', agent: 'random', kind: 'external' },
      { agentId: 'arena-seat-b', agent: 'random', kind: 'external' },
    ],
    stop: { matches: 1 },
  });
  return store.openLeague({ name: leagueName, env: env.key, config, configHash: leagueConfigHash(config), seed: 0 });
}

export type SeatPlayer = { readonly kind: 'remote'; readonly agentId: string } | { readonly kind: 'agent'; readonly agentId: string; readonly spec: AgentSpec };

/**
 * The agentIds each store is known to hold as members, per league id. A store never deletes
 * members, so a known id stays known: a match between known players reads nothing (listing
 * and parsing every member per match was O(members) per created match).
 */
const knownMembers = new WeakMap<LeagueStore, Map<number, Set<string>>>();

/** The league's member ids, re-read from the store when a player is not known yet. */
async function memberIds(store: LeagueStore, leagueId: number, players: readonly SeatPlayer[]): Promise<Set<string>> {
  let leagues = knownMembers.get(store);
  if (leagues === undefined) knownMembers.set(store, (leagues = new Map()));
  const cached = leagues.get(leagueId);
  if (cached !== undefined && players.every((p) => cached.has(p.agentId))) return cached;
  const known = new Set((await store.listMembers(leagueId)).map((m) => m.agentId));
  leagues.set(leagueId, known);
  return known;
}

/** Adds the players that are not members of the league yet (existing members are left as they are). */
export async function addArenaMembers(store: LeagueStore, league: LeagueRow, players: readonly SeatPlayer[]): Promise<void> {
  const known = await memberIds(store, league.id, players);
  if (players.every((p) => known.has(p.agentId))) return;
  const createdAt = await store.countMatches(league.id);
  const fresh = new Map<string, Member>();
  for (const player of players) {
    if (known.has(player.agentId) || fresh.has(player.agentId)) continue;
    fresh.set(player.agentId, {
      agentId: player.agentId,
      kind: player.kind === 'remote' ? 'external' : 'scripted',
      env: league.env,
      agent: player.kind === 'remote' ? { kind: 'remote', options: {} } : { kind: player.spec.kind, options: { ...player.spec.options } },
      parentId: null,
      createdAt,
      frozen: false,
      anchor: false,
    });
  }
  await store.upsertMembers(league.id, [...fresh.values()]);
  for (const agentId of fresh.keys()) known.add(agentId);
}

/** terminal -> finished; forfeit -> faulted (the forfeiting seat is at fault); aborted -> aborted. */
export function toMatchRow(result: FinishedMatch, agentIds: readonly string[]): Omit<MatchRow, 'index'> {
  const length = result.record.history.filter((h) => h.kind !== 'chance').length;
  const base = {
    seed: result.record.seed,
    seats: agentIds.slice(),
    returns: result.returns.slice(),
    length,
    record: result.record,
    // In-process agents' notes (a language model's replies, tokens, latency) go beside the replay, as in headless leagues.
    ...(result.notes === undefined ? {} : { notes: result.notes }),
  };
  if (result.reason === 'forfeit' && result.forfeitedBy !== undefined) {
    const seat = result.forfeitedBy;
    return { ...base, status: 'faulted', fault: { seat, code: 'forfeit', message: `seat ${seat} forfeited (timeout or abandoned)` } };
  }
  return { ...base, status: result.reason === 'aborted' ? 'aborted' : 'finished', fault: null };
}
