/**
 * Who is online across a cluster. Each process keeps its own connections in an
 * AssignmentHub and mirrors them into Redis: the hash `online` (`<agentId>\t<sessionId>` ->
 * nodeId) for processes that start later, and `online`/`offline` messages for the running ones.
 * Every process holds the whole picture in memory (schedulers ask it synchronously), kept
 * right by those messages, a periodic re-read of the hash, and the registry's dead processes
 * (their connections go offline with them). An assignment goes to one connection of the agent,
 * round-robin, wherever it is: a local one directly, a remote one through its process's channel.
 */
import type { MatchAssignedMessage } from '../../protocol/assignment.ts';
import { AssignmentHub, type AgentConnection, type AgentHub, type HubEvent } from '../lobby/assignment-hub.ts';
import type { BusMessage, ClusterBus } from './cluster-bus.ts';
import type { NodeRegistry } from './node-registry.ts';
import type { RedisLinks } from './redis-links.ts';

const ONLINE_KEY = 'online';
const fieldOf = (agentId: string, sessionId: string): string => `${agentId}\t${sessionId}`;

export class ClusterHub implements AgentHub {
  /** This process's connections. */
  readonly local = new AssignmentHub();
  private readonly links: RedisLinks;
  private readonly bus: ClusterBus;
  private readonly nodeId: string;
  /** Every process's connections: agentId -> sessionId -> nodeId. */
  private readonly mirror = new Map<string, Map<string, string>>();
  private readonly turn = new Map<string, number>();
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly onError: (error: unknown) => void;
  /** Remote connections the last re-read did not find: gone if the next one does not either. */
  private missing = new Set<string>();

  constructor(links: RedisLinks, bus: ClusterBus, nodeId: string, onError: (error: unknown) => void = () => {}) {
    this.links = links;
    this.bus = bus;
    this.nodeId = nodeId;
    this.onError = onError;
  }

  /** Drops what an earlier run of this node left in Redis, reads the others', and follows changes. */
  async start(registry: NodeRegistry): Promise<void> {
    this.unsubscribe.push(this.bus.on((message) => this.onMessage(message)));
    this.unsubscribe.push(registry.onDead((nodeIds) => this.dropNodes(nodeIds)));
    const stale = Object.entries(await this.links.command.hgetall(ONLINE_KEY)).filter(([, nodeId]) => nodeId === this.nodeId);
    if (stale.length > 0) await this.links.command.hdel(ONLINE_KEY, ...stale.map(([field]) => field));
    await this.resync();
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  connect(connection: AgentConnection): () => void {
    const removeLocal = this.local.connect(connection);
    const { agentId, sessionId } = connection;
    this.add(agentId, sessionId, this.nodeId);
    const field = fieldOf(agentId, sessionId);
    this.write(this.links.command.hset(ONLINE_KEY, field, this.nodeId).then(() => this.bus.toAll({ type: 'online', agentId, sessionId, nodeId: this.nodeId })));
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      removeLocal();
      this.remove(agentId, sessionId);
      this.write(this.links.command.hdel(ONLINE_KEY, field).then(() => this.bus.toAll({ type: 'offline', agentId, sessionId, nodeId: this.nodeId })));
    };
  }

  isOnline(agentId: string): boolean {
    return this.mirror.has(agentId);
  }

  onlineAgents(): string[] {
    return [...this.mirror.keys()].sort();
  }

  connectionCount(agentId: string): number {
    return this.mirror.get(agentId)?.size ?? 0;
  }

  /** One connection of the agent, round-robin over the cluster; false when it has none. */
  assign(message: MatchAssignedMessage): boolean {
    const sessions = [...(this.mirror.get(message.agentId) ?? new Map<string, string>()).entries()].sort(([a], [b]) => a.localeCompare(b));
    if (sessions.length === 0) return false;
    const i = (this.turn.get(message.agentId) ?? 0) % sessions.length;
    this.turn.set(message.agentId, i + 1);
    const [sessionId, nodeId] = sessions[i]!;
    if (nodeId === this.nodeId) return this.local.assignTo(sessionId, message);
    this.write(this.bus.toNode(nodeId, { type: 'assign', sessionId, message }));
    return true;
  }

  /** Ends the agent's connections on every process; returns how many this process ended. */
  disconnectAgent(agentId: string): number {
    this.write(this.bus.toAll({ type: 'kick-agent', agentId, from: this.nodeId }));
    return this.local.disconnectAgent(agentId);
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Re-reads the hash: what a lost message or a restarted Redis left wrong is put right. A
   * connection is dropped only when two re-reads in a row miss it (one may have been taken
   * just before its process wrote it, with its online message already here).
   */
  async resync(): Promise<void> {
    const entries = await this.links.command.hgetall(ONLINE_KEY);
    const seen = new Set<string>();
    for (const [field, nodeId] of Object.entries(entries)) {
      const tab = field.indexOf('\t');
      if (tab <= 0 || nodeId === this.nodeId) continue; // this process's own entries are its local hub's
      const agentId = field.slice(0, tab);
      const sessionId = field.slice(tab + 1);
      seen.add(field);
      this.add(agentId, sessionId, nodeId);
    }
    const missing = new Set<string>();
    for (const [agentId, sessions] of [...this.mirror]) {
      for (const [sessionId, nodeId] of [...sessions]) {
        const field = fieldOf(agentId, sessionId);
        if (nodeId === this.nodeId || seen.has(field)) continue;
        if (this.missing.has(field)) this.remove(agentId, sessionId);
        else missing.add(field);
      }
    }
    this.missing = missing;
  }

  private onMessage(message: BusMessage): void {
    switch (message.type) {
      case 'online':
        if (message.nodeId !== this.nodeId) this.add(message.agentId, message.sessionId, message.nodeId);
        return;
      case 'offline':
        if (message.nodeId !== this.nodeId) this.remove(message.agentId, message.sessionId);
        return;
      case 'assign':
        this.local.assignTo(message.sessionId, message.message);
        return;
      case 'kick-agent':
        if (message.from !== this.nodeId) this.local.disconnectAgent(message.agentId);
        return;
      default:
        return;
    }
  }

  /** Connections of dead processes go offline (every survivor does this; the hash deletes are idempotent). */
  private async dropNodes(nodeIds: readonly string[]): Promise<void> {
    const dead = new Set(nodeIds);
    for (const [agentId, sessions] of [...this.mirror]) {
      for (const [sessionId, nodeId] of [...sessions]) if (dead.has(nodeId)) this.remove(agentId, sessionId);
    }
    const entries = await this.links.command.hgetall(ONLINE_KEY);
    const fields = Object.entries(entries)
      .filter(([, nodeId]) => dead.has(nodeId))
      .map(([field]) => field);
    if (fields.length > 0) await this.links.command.hdel(ONLINE_KEY, ...fields);
  }

  private add(agentId: string, sessionId: string, nodeId: string): void {
    let sessions = this.mirror.get(agentId);
    if (sessions?.has(sessionId)) return;
    if (sessions === undefined) this.mirror.set(agentId, (sessions = new Map()));
    sessions.set(sessionId, nodeId);
    this.emit({ kind: 'online', agentId, sessionId });
  }

  private remove(agentId: string, sessionId: string): void {
    const sessions = this.mirror.get(agentId);
    if (sessions === undefined || !sessions.delete(sessionId)) return;
    if (sessions.size === 0) this.mirror.delete(agentId);
    this.emit({ kind: 'offline', agentId, sessionId });
  }

  private emit(event: HubEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private write(pending: Promise<unknown>): void {
    pending.catch((error: unknown) => this.onError(error));
  }
}
