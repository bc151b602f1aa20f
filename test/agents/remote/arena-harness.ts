/**
 * A real arena (buildArena over an in-memory SqliteStore) on a loopback port, for agent
 * process tests. Assignments go through the arena's own `agents` lobby and hub when it has
 * them; otherwise through a minimal stand-in lobby room defined here (token checked against
 * the store, `match:assigned` sent to the agent's connection).
 */
import '../../../arena/rooms/node20-shim.ts';
import type { Client } from '@colyseus/core';
import type { AddressInfo } from 'node:net';
import { buildArena, type Arena } from '../../../arena/build-arena.ts';
import type { MatchSettingsInput } from '../../../arena/match/match-config.ts';
import { AGENT_LOBBY_ROOM_NAME, type MatchAssignedMessage } from '../../../protocol/assignment.ts';
import { SqliteStore } from '../../../league/storage/sqlite-store.ts';

export const ADMIN = 'agent-test-admin-token';
/** No clock runs out, no rate limit gets in the way. */
export const CALM: MatchSettingsInput = { moveTimeMs: 1e8, reconnectWindowMs: 1e8, rateLimit: { capacity: 10_000, refillPerSecond: 10_000 } };

export interface LiveArena {
  readonly arena: Arena;
  readonly store: SqliteStore;
  readonly url: string;
  /** Sends `match:assigned` to one lobby connection of `message.agentId`; false when it has none. */
  assign(message: MatchAssignedMessage): boolean;
  isOnline(agentId: string): boolean;
  /** Creates a match with `agentId` remote in seat 0 against `opponent`, and assigns it. */
  assignMatch(
    agentId: string,
    env?: string,
    opponent?: string,
    extra?: { readonly params?: Record<string, unknown>; readonly settings?: Record<string, unknown> },
  ): Promise<{ readonly matchId: string; readonly assigned: boolean }>;
  close(): Promise<void>;
}

interface Hub {
  assign(message: MatchAssignedMessage): boolean;
  isOnline(agentId: string): boolean;
}

/** The stand-in lobby's connections, by agentId. */
const standIn = new Map<string, Client[]>();

/**
 * Defines the stand-in lobby on the matchmaker the arena uses. buildArena loads Colyseus by
 * dynamic import (the ESM build) while mocha loads this file as CommonJS: importing it the
 * same way here reaches the same matchmaker singleton.
 */
async function defineStandInLobby(store: SqliteStore): Promise<void> {
  const core = await import('@colyseus/core');
  class StandInLobbyRoom extends core.Room {
    override async onAuth(_client: Client, options: { token?: unknown }): Promise<{ agentId: string }> {
      const agentId = typeof options?.token === 'string' ? await store.verifyAgentToken(options.token) : undefined;
      if (agentId === undefined) throw new core.ServerError(4401, 'unauthorized: unknown agent token (register the agent first)');
      return { agentId };
    }

    override onJoin(client: Client, _options: unknown, auth: { agentId: string }): void {
      client.userData = auth;
      standIn.set(auth.agentId, [...(standIn.get(auth.agentId) ?? []), client]);
    }

    override onLeave(client: Client): void {
      const agentId = (client.userData as { agentId: string }).agentId;
      standIn.set(
        agentId,
        (standIn.get(agentId) ?? []).filter((c) => c !== client),
      );
    }
  }
  standIn.clear();
  core.matchMaker.defineRoomType(AGENT_LOBBY_ROOM_NAME, StandInLobbyRoom);
}

const standInHub: Hub = {
  assign(message) {
    const client = standIn.get(message.agentId)?.[0];
    client?.send(message.type, message);
    return client !== undefined;
  },
  isOnline: (agentId) => (standIn.get(agentId)?.length ?? 0) > 0,
};

/** Whether this arena build has its own lobby room (arena/rooms/agent-lobby-room.ts) and hub. */
export async function hasRealLobby(arena: Arena): Promise<boolean> {
  const { matchMaker } = await import('@colyseus/core'); // the arena's (ESM) matchmaker, see above
  return (arena as unknown as { hub?: Hub }).hub !== undefined && matchMaker.getAllHandlers()[AGENT_LOBBY_ROOM_NAME] !== undefined;
}

export async function startArena(settings: MatchSettingsInput = CALM): Promise<LiveArena> {
  const store = new SqliteStore(':memory:');
  const arena = await buildArena({ store, adminToken: ADMIN, logger: false, defaultSettings: settings });
  let hub: Hub;
  const real = await hasRealLobby(arena);
  if (real) hub = (arena as unknown as { hub: Hub }).hub;
  else {
    await defineStandInLobby(store);
    hub = standInHub;
  }
  const removeStandIn = async (): Promise<void> => {
    if (!real) (await import('@colyseus/core')).matchMaker.removeRoomType(AGENT_LOBBY_ROOM_NAME);
  };
  await arena.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = arena.app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    arena,
    store,
    url: `http://127.0.0.1:${port}`,
    assign: (message) => hub.assign(message),
    isOnline: (agentId) => hub.isOnline(agentId),
    async assignMatch(agentId, env = 'tic-tac-toe-v1', opponent = 'random', extra = {}) {
      const { matchId, seatTokens } = await arena.matches.create({
        env,
        seats: [
          { kind: 'remote', agentId },
          { kind: 'agent', agent: opponent },
        ],
        ...(extra.params === undefined ? {} : { params: extra.params }),
        ...(extra.settings === undefined ? {} : { settings: extra.settings }),
      });
      const assigned = hub.assign({
        type: 'match:assigned',
        matchId,
        seat: 0,
        seatToken: seatTokens[0]!,
        env,
        params: extra.params ?? {},
        league: `arena-${env}`,
        agentId,
      });
      return { matchId, assigned };
    },
    close: () =>
      (closing ??= arena
        .close()
        .then(removeStandIn)
        .then(() => store.close())),
  };
}

/** Registers an agent in the store; returns its token. */
export async function registerAgent(live: LiveArena, agentId: string): Promise<string> {
  const token = `tok-${agentId}`;
  await live.store.registerAgent(agentId, token);
  return token;
}

/** Resolves when `check` is true, polling the event loop (no wall-clock asserts). */
export async function until(check: () => boolean, what: string, maxTicks = 4000): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
