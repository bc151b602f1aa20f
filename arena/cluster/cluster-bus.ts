/**
 * Messages between the processes of a cluster, over Colyseus's Redis presence (publish and
 * subscribe, JSON): to one process (`node:<nodeId>`), or to all of them (`all`). Each message
 * is parsed against its schema on arrival; a malformed one is dropped (only cluster processes
 * write these channels, but a version skew must not crash a process).
 */
import { z } from 'zod';
import { MatchAssignedMessageSchema } from '../../protocol/assignment.ts';
import { EndReasonSchema, RatingChangeSchema } from '../../protocol/messages.ts';
import type { RedisLinks } from './redis-links.ts';

const Id = z.string().min(1).max(256);

export const BusMessageSchema = z.discriminatedUnion('type', [
  /** Deliver an assignment to this connection of the agent (or another of its connections on that process). */
  z.object({ type: z.literal('assign'), sessionId: Id, message: MatchAssignedMessageSchema }),
  /** An agent's token was revoked or replaced: end its connections. */
  z.object({ type: z.literal('kick-agent'), agentId: Id, from: Id }),
  /** Abort a match this process runs (`unstarted`: only if no move was played yet). */
  z.object({ type: z.literal('abort'), matchId: Id, unstarted: z.boolean() }),
  /** A connection of a registered agent came or went, on `nodeId`. */
  z.object({ type: z.literal('online'), agentId: Id, sessionId: Id, nodeId: Id }),
  z.object({ type: z.literal('offline'), agentId: Id, sessionId: Id, nodeId: Id }),
  /** A match ended on its process (its league's scheduler may run elsewhere). */
  z.object({
    type: z.literal('match-ended'),
    matchId: Id,
    league: z.string().max(256),
    returns: z.array(z.number()),
    reason: EndReasonSchema,
    ratingChange: z.array(RatingChangeSchema).optional(),
  }),
]);
export type BusMessage = z.infer<typeof BusMessageSchema>;

export class ClusterBus {
  private readonly links: RedisLinks;
  private readonly nodeId: string;
  private readonly handlers = new Set<(message: BusMessage) => void>();
  private readonly subscribed: { topic: string; callback: (data: unknown) => void }[] = [];

  constructor(links: RedisLinks, nodeId: string) {
    this.links = links;
    this.nodeId = nodeId;
  }

  /** Subscribes this process's channel and the broadcast channel. */
  async start(): Promise<void> {
    for (const topic of [this.nodeChannel(this.nodeId), this.links.channel('all')]) {
      const callback = (data: unknown): void => this.dispatch(data);
      await this.links.presence.subscribe(topic, callback);
      this.subscribed.push({ topic, callback });
    }
  }

  /** Receives every valid message of this process's channels; returns the unsubscribe function. */
  on(handler: (message: BusMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async toNode(nodeId: string, message: BusMessage): Promise<void> {
    if (nodeId === this.nodeId) {
      this.dispatch(message); // no round trip through Redis for this process's own messages
      return;
    }
    await this.links.presence.publish(this.nodeChannel(nodeId), message);
  }

  async toAll(message: BusMessage): Promise<void> {
    await this.links.presence.publish(this.links.channel('all'), message);
  }

  async stop(): Promise<void> {
    for (const { topic, callback } of this.subscribed.splice(0)) await this.links.presence.unsubscribe(topic, callback);
  }

  private nodeChannel(nodeId: string): string {
    return this.links.channel(`node:${nodeId}`);
  }

  private dispatch(data: unknown): void {
    const parsed = BusMessageSchema.safeParse(data);
    if (!parsed.success) return;
    for (const handler of [...this.handlers]) handler(parsed.data);
  }
}
