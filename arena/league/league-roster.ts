/**
 * A live league's side of the store and its members: opening the league row (a changed
 * config is refused, as `league run` refuses it), the config members as population
 * members, and how each member sits at a table: in-process from its agent spec, or as a
 * remote seat its agent process takes over the network.
 */
import { formatAgentSpec } from '../../agents/index.ts';
import { getEnv } from '../../envs/index.ts';
import { leagueConfigHash, memberAgentSpec, type LeagueConfig } from '../../league/config/league-config.ts';
import type { Member } from '../../league/population/member.ts';
import { configMembers } from '../../league/runner/snapshot-keeper.ts';
import type { LeagueRow, LeagueStore } from '../../league/storage/league-store.ts';
import type { SeatInput } from '../../protocol/http-api.ts';
import { LeagueError } from '../../league/league-error.ts';

export interface LeagueRoster {
  readonly league: LeagueRow;
  /** Config members in config order (matchmaking relies on a stable order). */
  readonly members: readonly Member[];
  /** The seat entry of MatchManager.create for a member. */
  seat(agentId: string): SeatInput;
}

/**
 * Opens (or creates) the league row and upserts the config members. Throws 'bad-config' for
 * learner members (training needs `ludus train`, not the arena) and 'league-config-changed'
 * when the store holds this league with another config.
 */
export async function openLiveLeague(store: LeagueStore, config: LeagueConfig): Promise<LeagueRoster> {
  const learner = config.members.find((m) => m.kind === 'learner');
  if (learner !== undefined) {
    throw new LeagueError(
      'bad-config',
      `member "${learner.agentId}" is a learner: a live league cannot train it`,
      'make it a scripted member with a fixed agent, or an external member played by `ludus agent`; train with `ludus train`',
    );
  }
  const env = getEnv(config.env);
  const configHash = leagueConfigHash(config);
  const league = await store.openLeague({ name: config.name, env: env.key, config, configHash, seed: config.seed });
  if (league.configHash !== configHash) {
    throw new LeagueError(
      'league-config-changed',
      `league "${config.name}" in this store was run with a different config (env, members, matchmaking, ratings, schedule or seed)`,
      'change only `stop` to extend a league; give the league a new `name` or use another --store to start over',
    );
  }
  const members = configMembers(config, env.key);
  await store.upsertMembers(league.id, members);
  const seats = new Map<string, SeatInput>(
    config.members.map((m): [string, SeatInput] => [
      m.agentId,
      m.kind === 'external'
        ? { kind: 'remote', agentId: m.agentId }
        : { kind: 'agent', agentId: m.agentId, agent: typeof m.agent === 'string' ? m.agent : formatAgentSpec(memberAgentSpec(m)) },
    ]),
  );
  return { league, members, seat: (agentId) => seats.get(agentId)! };
}
