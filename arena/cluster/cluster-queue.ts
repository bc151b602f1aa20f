/**
 * The env queue of a cluster: one pool per env and params in Redis, shared by every process,
 * so two agents queued on different processes meet. A pool is a sorted set of entries
 * (`<nodeId>\t<sessionId>`, by arrival) with each entry's agent and move time in a hash;
 * queuing and pairing are one Lua script, so two processes never pair the same entry. The
 * process whose `queue` call completed a pairing creates the match (it runs on that process)
 * and sends each player its `match:assigned`: its own connections directly, the others
 * through their process's channel. The per-agent cap reads the cluster's count of unfinished
 * matches per agent (`active`, kept by every process's MatchManager through ClusterNode).
 * Entries of a dead process are dropped by the survivors; entries of connections that leave
 * by their own process.
 */
import { createHash } from 'node:crypto';
import { getEnv } from '../../envs/index.ts';
import { QUEUE_MOVE_TIME_BOUNDS, type QueueAccepted } from '../../protocol/assignment.ts';
import { checkQueueEntry } from '../lobby/queue-admission.ts';
import { arenaLeagueName } from '../league/arena-league.ts';
import type { MatchManagerApi } from '../lobby/match-manager-api.ts';
import {
  DEFAULT_MAX_MATCHES_PER_AGENT,
  DEFAULT_QUEUE_START_TIMEOUT_MS,
  envKeyOf,
  poolOf,
  type EnvQueue,
  type MatchQueueOptions,
  type QueueEntry,
} from '../lobby/match-queue.ts';
import { ACTIVE_KEY, type ClusterNode } from './cluster-node.ts';

const POOLS_KEY = 'queue-pools';
const SEQ_KEY = 'queue-seq';
const poolKey = (pool: string): string => `queue:${pool}`;
const entriesKey = (pool: string): string => `queue-entries:${pool}`;

/**
 * Enqueues ARGV[1] (member) with ARGV[2] (entry JSON) unless already there, then takes out
 * groups of ARGV[3] entries of distinct agents whose unfinished matches are below ARGV[4],
 * oldest first, while there are enough. Returns { position, group1 entries..., group2 ... } flattened:
 * [position, count, e1, ..., e_count].
 * KEYS: pool zset, entries hash, active hash, sequence, pools set. ARGV[5]: the pool id.
 */
const ENQUEUE_AND_PAIR = `
local zset, entries, active, seq, pools = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local member, entry, n, max = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZSCORE', zset, member) == false then
  redis.call('ZADD', zset, redis.call('INCR', seq), member)
  redis.call('HSET', entries, member, entry)
  redis.call('SADD', pools, ARGV[5])
end
local position = redis.call('ZRANK', zset, member)
local out = {}
while true do
  local picked, agents = {}, {}
  for _, m in ipairs(redis.call('ZRANGE', zset, 0, -1)) do
    local raw = redis.call('HGET', entries, m)
    if raw then
      local agent = cjson.decode(raw).agentId
      if not agents[agent] and tonumber(redis.call('HGET', active, agent) or '0') < max then
        agents[agent] = true
        picked[#picked + 1] = m
        if #picked == n then break end
      end
    else
      redis.call('ZREM', zset, m)
    end
  end
  if #picked < n then break end
  for _, m in ipairs(picked) do
    out[#out + 1] = redis.call('HGET', entries, m)
    redis.call('ZREM', zset, m)
    redis.call('HDEL', entries, m)
  end
end
return { position, unpack(out) }
`;

/** Removes ARGV members from the pool. KEYS: pool zset, entries hash. Returns how many were there. */
const REMOVE = `
local removed = 0
for _, m in ipairs(ARGV) do
  removed = removed + redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
return removed
`;

interface StoredEntry {
  readonly agentId: string;
  readonly sessionId: string;
  readonly nodeId: string;
  readonly moveTimeMs?: number;
}

interface LocalSession {
  readonly pools: Map<string, string>; // pool id -> env key
}

export class ClusterQueue implements EnvQueue {
  private readonly node: ClusterNode;
  private readonly matches: MatchManagerApi;
  private readonly maxMatches: number;
  private readonly startTimeoutMs: number;
  private readonly defaultMoveTimeMs: number;
  private readonly maxMoveTimeMs: number;
  /** This process's queued connections: where to send their pairing, which pools they are in. */
  private readonly sessions = new Map<string, LocalSession>();
  private readonly sends = new Map<string, QueueEntry['send']>();
  private rotation = 0;
  private readonly onError: (error: unknown) => void;

  constructor(node: ClusterNode, matches: MatchManagerApi, options: MatchQueueOptions = {}, onError: (error: unknown) => void = () => {}) {
    this.node = node;
    this.matches = matches;
    this.maxMatches = options.maxMatchesPerAgent ?? DEFAULT_MAX_MATCHES_PER_AGENT;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_QUEUE_START_TIMEOUT_MS;
    this.defaultMoveTimeMs = options.defaultMoveTimeMs ?? 30_000;
    this.maxMoveTimeMs = options.maxMoveTimeMs ?? QUEUE_MOVE_TIME_BOUNDS.max;
    this.onError = onError;
    node.links.command.defineCommand('ludusEnqueueAndPair', { numberOfKeys: 5, lua: ENQUEUE_AND_PAIR });
    node.links.command.defineCommand('ludusQueueRemove', { numberOfKeys: 2, lua: REMOVE });
  }

  /** Drops queue entries of dead processes (and, at start, those an earlier run of this node left). */
  async dropNodes(nodeIds: readonly string[]): Promise<void> {
    const { command } = this.node.links;
    for (const pool of await command.smembers(POOLS_KEY)) {
      const members = await command.zrange(poolKey(pool), 0, -1);
      const dead = members.filter((m) => nodeIds.includes(m.slice(0, m.indexOf('\t'))));
      if (dead.length > 0) await this.remove(pool, dead);
      else if (members.length === 0) await command.srem(POOLS_KEY, pool);
    }
  }

  async queue(entry: QueueEntry): Promise<Extract<QueueAccepted, { type: 'queued' }>> {
    const { envKey, params, pool } = poolOf(entry);
    const held = Number((await this.node.links.command.hget(ACTIVE_KEY, entry.agentId)) ?? 0);
    const { maxMatches, startTimeoutMs, defaultMoveTimeMs, maxMoveTimeMs } = this;
    checkQueueEntry(entry, held, { maxMatches, startTimeoutMs, defaultMoveTimeMs, maxMoveTimeMs });
    const id = poolId(pool);
    const nodeId = this.node.config.nodeId;
    const stored: StoredEntry = {
      agentId: entry.agentId,
      sessionId: entry.sessionId,
      nodeId,
      ...(entry.moveTimeMs === undefined ? {} : { moveTimeMs: entry.moveTimeMs }),
    };
    const session = this.sessions.get(entry.sessionId) ?? { pools: new Map() };
    session.pools.set(id, envKey);
    this.sessions.set(entry.sessionId, session);
    this.sends.set(entry.sessionId, entry.send);
    const numPlayers = getEnv(envKey).dims(params).numPlayers;
    const command = this.node.links.command as unknown as {
      ludusEnqueueAndPair(...args: (string | number)[]): Promise<[number, ...string[]]>;
    };
    const [position, ...picked] = await command.ludusEnqueueAndPair(
      poolKey(id),
      entriesKey(id),
      ACTIVE_KEY,
      SEQ_KEY,
      POOLS_KEY,
      `${nodeId}\t${entry.sessionId}`,
      JSON.stringify(stored),
      numPlayers,
      this.maxMatches,
      id,
    );
    const entries = picked.map((raw) => JSON.parse(raw) as StoredEntry);
    for (let i = 0; i + numPlayers <= entries.length; i += numPlayers) {
      this.start(envKey, params, entries.slice(i, i + numPlayers)).catch(this.onError);
    }
    return { type: 'queued', env: envKey, position: Math.max(0, position ?? 0) };
  }

  async unqueue(sessionId: string, env?: string): Promise<string[]> {
    const envKey = env === undefined ? undefined : envKeyOf(env);
    const session = this.sessions.get(sessionId);
    if (session === undefined) return [];
    const left = new Set<string>();
    const member = `${this.node.config.nodeId}\t${sessionId}`;
    for (const [id, key] of [...session.pools]) {
      if (envKey !== undefined && key !== envKey) continue;
      session.pools.delete(id);
      if ((await this.remove(id, [member])) > 0) left.add(key);
    }
    if (session.pools.size === 0) {
      this.sessions.delete(sessionId);
      this.sends.delete(sessionId);
    }
    return [...left].sort();
  }

  private async remove(pool: string, members: readonly string[]): Promise<number> {
    const command = this.node.links.command as unknown as { ludusQueueRemove(...args: string[]): Promise<number> };
    return command.ludusQueueRemove(poolKey(pool), entriesKey(pool), ...members);
  }

  /** Seats rotate from one pairing to the next; the pairing plays at its slowest agent's move time. */
  private async start(envKey: string, params: unknown, picked: readonly StoredEntry[]): Promise<void> {
    const shift = this.rotation++ % picked.length;
    const seated = picked.map((_, seat) => picked[(seat + shift) % picked.length]!);
    const moveTimeMs = Math.max(...seated.map((e) => e.moveTimeMs ?? this.defaultMoveTimeMs));
    const { matchId, seatTokens } = await this.matches.create(
      { env: envKey, params, seats: seated.map((e) => ({ kind: 'remote' as const, agentId: e.agentId })), settings: { moveTimeMs } },
      { startTimeoutMs: this.startTimeoutMs },
    );
    const league = arenaLeagueName(getEnv(envKey));
    const server = this.node.config.publicUrl;
    await Promise.all(
      seated.map(async (e, seat) => {
        const message = {
          type: 'match:assigned' as const,
          matchId,
          seat,
          seatToken: seatTokens[seat]!,
          env: envKey,
          params,
          league,
          agentId: e.agentId,
          moveTimeMs,
          server,
        };
        const send = e.nodeId === this.node.config.nodeId ? this.sends.get(e.sessionId) : undefined;
        if (send !== undefined) send(message);
        else await this.node.bus.toNode(e.nodeId, { type: 'assign', sessionId: e.sessionId, message });
      }),
    );
  }
}

/** A short, fixed-length key for a pool (env key and canonical params). */
function poolId(pool: string): string {
  return createHash('sha256').update(pool).digest('base64url').slice(0, 22);
}
