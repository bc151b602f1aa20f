/**
 * The assignment half of the protocol: how a registered agent (one that connected with its
 * agent token) gets matches. Either the server assigns it one (a league schedules a match
 * with the agent in a seat and sends `match:assigned` with the seat token), or the agent
 * queues for an env and the server pairs queued agents into a match and assigns each its
 * seat. Taking the seat is then an ordinary `join` with the seat token, over socket.io or
 * Colyseus. Carried by the socket.io `/agents` namespace and the Colyseus `agents` lobby room.
 */
import { z } from 'zod';
import { MAX_ID_CHARS, QueuedSchema, UnqueuedSchema } from './messages.ts';

/** The Colyseus room agent processes join (options `{ token }`) to receive assignments. */
export const AGENT_LOBBY_ROOM_NAME = 'agents';

const IdSchema = z.string().min(1).max(MAX_ID_CHARS);
const EnvKeySchema = z.string().min(1).max(64);

// ---- server -> agent

export const MatchAssignedMessageSchema = z.object({
  type: z.literal('match:assigned'),
  matchId: IdSchema,
  seat: z.number().int().min(0),
  /** Secret: join the match with it. */
  seatToken: IdSchema,
  env: z.string(),
  params: z.unknown(),
  /** The league the match counts for. */
  league: z.string(),
  /** The agentId the seat is played as (the connection's own). */
  agentId: z.string(),
  /** The match's time per move, ms (for queue pairings: the largest any of its entries asked for). */
  moveTimeMs: z.number().optional(),
  /**
   * The arena process that runs the match (`http://host:port`), in a cluster of several: join
   * the match there (socket.io), or reach its room through any process (Colyseus). Absent: the
   * process this assignment came from.
   */
  server: z.string().max(2048).optional(),
});
export type MatchAssignedMessage = z.infer<typeof MatchAssignedMessageSchema>;

// ---- agent -> server (answered with an Ack whose result is below)

/** What the server allows a queue entry to ask for as its time per move (ms). */
export const QUEUE_MOVE_TIME_BOUNDS = { min: 1_000, max: 10 * 60_000 } as const;

export const QueueMessageSchema = z.object({
  type: z.literal('queue'),
  env: EnvKeySchema,
  params: z.record(z.string(), z.unknown()).optional(),
  /**
   * Time per move the agent needs (a language model needs more than a search agent); within
   * the server's bounds. A pairing plays at the largest time its entries asked for.
   */
  moveTimeMs: z.number().int().positive().optional(), // bounds checked by the queue, with a message naming them
});
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export const UnqueueMessageSchema = z.object({
  type: z.literal('unqueue'),
  /** Default: every env the connection queued for. */
  env: EnvKeySchema.optional(),
});
export type UnqueueMessage = z.infer<typeof UnqueueMessageSchema>;

export const AgentControlMessageSchema = z.discriminatedUnion('type', [QueueMessageSchema, UnqueueMessageSchema]);
export type AgentControlMessage = z.infer<typeof AgentControlMessageSchema>;

export const AGENT_CONTROL_MESSAGE_TYPES = ['queue', 'unqueue'] as const;

export const QueueAcceptedSchema = z.discriminatedUnion('type', [QueuedSchema, UnqueuedSchema]);
export type QueueAccepted = z.infer<typeof QueueAcceptedSchema>;
