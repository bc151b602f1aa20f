/**
 * AgentLobbyRoom: where agent processes wait for work over Colyseus (room `agents`). A
 * registered agent joins with `{ token }`; while it stays, it is online in the AssignmentHub
 * and receives `match:assigned` messages (league matches, queue pairings), and it may send
 * `queue` / `unqueue`. One room holds every agent: it carries only these small control
 * messages, while each match is played in its own match room.
 */
import './node20-shim.ts';
import { CloseCode, Room, type Client, type MessageContext } from '@colyseus/core';
import { z } from 'zod';
import { AgentControlMessageSchema, type MatchAssignedMessage } from '../../protocol/assignment.ts';
import { toWireError } from '../arena-error.ts';
import { wireError, type WireError } from '../../protocol/errors.ts';
import { MAX_ID_CHARS, toClientMessage } from '../../protocol/messages.ts';
import type { AssignmentHub } from '../lobby/assignment-hub.ts';
import type { MatchQueue } from '../lobby/match-queue.ts';
import { identityKey, type RateLimiter } from '../match/rate-limiter.ts';
import { joinRefusal } from './match-room.ts';

/** Close code of a lobby connection whose agent token was revoked or rotated (application range 4000-4999). */
export const TOKEN_REVOKED_CLOSE_CODE = 4401;

export const AgentLobbyJoinOptionsSchema = z.object({ token: z.string().min(1).max(MAX_ID_CHARS) });

export interface AgentLobbyDeps {
  readonly hub: AssignmentHub;
  readonly queue: MatchQueue;
  /** The agentId of a registered agent token, or undefined. */
  readonly verifyAgentToken: (token: string) => Promise<string | undefined>;
  /** The rooms' shared bucket per identity (here: the agentId, over all its connections). */
  readonly limiter: RateLimiter;
}

interface LobbyUser {
  agentId?: string;
}
type LobbyClient = Client<{ userData: LobbyUser }>;
type LobbyAck = { ok: true; result: unknown } | { ok: false; error: WireError };

export class AgentLobbyRoom extends Room<{ client: LobbyClient }> {
  /** Set by `agentLobbyRoomType`. */
  protected deps: AgentLobbyDeps | undefined = undefined;
  override maxClients = 100_000;
  override patchRate: number | null = null;
  private readonly leaving = new Map<string, () => void>();

  override onCreate(): void {
    for (const type of ['queue', 'unqueue'] as const) {
      this.onMessage(type, (client: LobbyClient, payload: unknown, ctx: MessageContext) => this.reply(client, ctx, this.control(client, type, payload)));
    }
    this.onMessage('*', (client: LobbyClient, type: string | number) =>
      this.reply(
        client,
        undefined,
        this.budget(client) ?? {
          ok: false,
          error: wireError(
            'unknown-message',
            `"${String(type).slice(0, 40)}" is not a lobby message`,
            'send queue or unqueue; play matches in their match rooms',
          ),
        },
      ),
    );
  }

  override async onAuth(client: LobbyClient, options: unknown): Promise<true> {
    const parsed = AgentLobbyJoinOptionsSchema.safeParse(options);
    if (!parsed.success)
      throw joinRefusal(wireError('unauthorized', 'the lobby needs an agent token', 'join with { token } (register the agent with POST /api/agents)'));
    const agentId = await this.mustDeps().verifyAgentToken(parsed.data.token);
    if (agentId === undefined) throw joinRefusal(wireError('unauthorized', 'unknown agent token', 'use the token POST /api/agents returned'));
    client.userData = { agentId };
    return true;
  }

  override onJoin(client: LobbyClient): void {
    const agentId = client.userData!.agentId!;
    const send = (message: MatchAssignedMessage): void => client.send('match:assigned', message);
    const close = (): void => client.leave(TOKEN_REVOKED_CLOSE_CODE, 'unauthorized: the agent token was revoked or replaced');
    this.leaving.set(client.sessionId, this.mustDeps().hub.connect({ sessionId: client.sessionId, agentId, send, close }));
  }

  override onLeave(client: LobbyClient): void {
    this.leaving.get(client.sessionId)?.();
    this.leaving.delete(client.sessionId);
    this.deps?.queue.unqueue(client.sessionId);
  }

  override onDispose(): void {
    for (const leave of this.leaving.values()) leave();
    this.leaving.clear();
  }

  private control(client: LobbyClient, type: 'queue' | 'unqueue', payload: unknown): LobbyAck {
    const limited = this.budget(client);
    if (limited !== undefined) return limited;
    const parsed = AgentControlMessageSchema.safeParse(toClientMessage(type, payload));
    if (!parsed.success)
      return { ok: false, error: wireError('bad-envelope', `bad ${type} message`, 'queue: { env, params?, moveTimeMs? }; unqueue: { env? }') };
    const { queue } = this.mustDeps();
    const agentId = client.userData!.agentId!;
    try {
      if (parsed.data.type === 'unqueue') return { ok: true, result: { type: 'unqueued', envs: queue.unqueue(client.sessionId, parsed.data.env) } };
      const send = (message: MatchAssignedMessage): void => client.send('match:assigned', message);
      const { env, params, moveTimeMs } = parsed.data;
      const entry = {
        agentId,
        sessionId: client.sessionId,
        env,
        send,
        ...(params === undefined ? {} : { params }),
        ...(moveTimeMs === undefined ? {} : { moveTimeMs }),
      };
      return { ok: true, result: queue.queue(entry) };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  }

  /** The agent's budget over all its connections: undefined when the message may go on. */
  private budget(client: LobbyClient): LobbyAck | undefined {
    const verdict = this.mustDeps().limiter.take(identityKey({ agentId: client.userData?.agentId ?? `session:${client.sessionId}` }));
    if (verdict === 'ok') return undefined;
    if (verdict === 'kick') client.leave(CloseCode.WITH_ERROR, 'rate-limited');
    return { ok: false, error: wireError('rate-limited', 'too many lobby messages', 'slow down') };
  }

  /** A `room.request` gets the Ack as its reply; a plain `room.send` gets an 'ack' message. */
  private reply(client: LobbyClient, ctx: MessageContext | undefined, ack: LobbyAck): LobbyAck | undefined {
    if (ctx?.id !== undefined) return ack;
    client.send('ack', ack);
    return undefined;
  }

  private mustDeps(): AgentLobbyDeps {
    if (this.deps === undefined) throw joinRefusal(wireError('internal', 'the lobby is not set up', 'report it'));
    return this.deps;
  }
}

/** The room class bound to the arena's hub, queue and token check. */
export function agentLobbyRoomType(deps: AgentLobbyDeps): typeof AgentLobbyRoom {
  return class BoundAgentLobbyRoom extends AgentLobbyRoom {
    protected override deps: AgentLobbyDeps | undefined = deps;
  };
}
