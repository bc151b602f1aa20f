/**
 * Who is online to play: the registered agents connected right now (over socket.io or the
 * Colyseus `agents` lobby), each with one or more connections. Schedulers (the live league,
 * the env queue) ask whether an agentId is online and hand it a match with `assign`, which
 * sends `match:assigned` to one of its connections (round-robin, so an agent running several
 * processes shares the load). Transport-agnostic: a connection is a `send` callback.
 */
import type { MatchAssignedMessage } from '../../protocol/assignment.ts';

export interface AgentConnection {
  /** Unique per connection (a socket.io socket id, a Colyseus sessionId). */
  readonly sessionId: string;
  readonly agentId: string;
  /** Delivers one assignment; must not throw (a dead connection is removed by its transport). */
  readonly send: (message: MatchAssignedMessage) => void;
  /** Ends the connection (its token was revoked or replaced); the transport then removes it. */
  readonly close?: () => void;
}

export type HubEvent = { readonly kind: 'online' | 'offline'; readonly agentId: string; readonly sessionId: string };

/**
 * Who is online, as schedulers and transports see it: this process's connections
 * (AssignmentHub), or every process's in a cluster (arena/cluster/cluster-hub.ts).
 */
export interface AgentHub {
  /** Adds a connection of this process; returns the function that removes it (call it on disconnect). */
  connect(connection: AgentConnection): () => void;
  isOnline(agentId: string): boolean;
  /** agentIds with at least one connection, sorted (deterministic for schedulers). */
  onlineAgents(): string[];
  connectionCount(agentId: string): number;
  /** Sends the assignment to one connection of `message.agentId`; false when it has none. */
  assign(message: MatchAssignedMessage): boolean;
  /** Ends every connection of `agentId` (its token was revoked or rotated); returns how many this process ended. */
  disconnectAgent(agentId: string): number;
  /** Online/offline events; returns the unsubscribe function. */
  subscribe(listener: (event: HubEvent) => void): () => void;
}

export class AssignmentHub implements AgentHub {
  private readonly byAgent = new Map<string, AgentConnection[]>();
  private readonly turn = new Map<string, number>();
  private readonly listeners = new Set<(event: HubEvent) => void>();

  /** Adds a connection; returns the function that removes it (call it on disconnect). */
  connect(connection: AgentConnection): () => void {
    const list = this.byAgent.get(connection.agentId) ?? [];
    list.push(connection);
    this.byAgent.set(connection.agentId, list);
    this.emit({ kind: 'online', agentId: connection.agentId, sessionId: connection.sessionId });
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const rest = (this.byAgent.get(connection.agentId) ?? []).filter((c) => c !== connection);
      if (rest.length === 0) this.byAgent.delete(connection.agentId);
      else this.byAgent.set(connection.agentId, rest);
      this.emit({ kind: 'offline', agentId: connection.agentId, sessionId: connection.sessionId });
    };
  }

  isOnline(agentId: string): boolean {
    return this.byAgent.has(agentId);
  }

  /** agentIds with at least one connection, sorted (deterministic for schedulers). */
  onlineAgents(): string[] {
    return [...this.byAgent.keys()].sort();
  }

  connectionCount(agentId: string): number {
    return this.byAgent.get(agentId)?.length ?? 0;
  }

  /** Sends the assignment to one connection of `message.agentId`; false when it has none. */
  assign(message: MatchAssignedMessage): boolean {
    const list = this.byAgent.get(message.agentId);
    if (list === undefined || list.length === 0) return false;
    const i = (this.turn.get(message.agentId) ?? 0) % list.length;
    this.turn.set(message.agentId, i + 1);
    list[i]!.send(message);
    return true;
  }

  /** Sends the assignment to the connection `sessionId` of its agent, else to another of its connections here; false when it has none. */
  assignTo(sessionId: string, message: MatchAssignedMessage): boolean {
    const connection = this.byAgent.get(message.agentId)?.find((c) => c.sessionId === sessionId);
    if (connection === undefined) return this.assign(message);
    connection.send(message);
    return true;
  }

  /** Ends every connection of `agentId` (its token was revoked or rotated); returns how many. */
  disconnectAgent(agentId: string): number {
    const list = [...(this.byAgent.get(agentId) ?? [])];
    for (const connection of list) connection.close?.();
    return list.length;
  }

  /** Online/offline events; returns the unsubscribe function. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: HubEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
