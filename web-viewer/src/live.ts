/**
 * Live matches over Colyseus (the `match` room at /colyseus on the page's own origin): as a
 * spectator, who gets the spectator's messages only, or in a seat with its seat token, which
 * adds that seat's own `decision` and `state` messages. Loaded lazily: the SDK is the largest
 * part of the live pages.
 */
import { Client, type Room } from '@colyseus/sdk';
import type {
  Ack, ActionPayload, DecisionMessage, ErrorMessage, MatchEndMessage, MatchStartMessage, StateMessage,
} from '../../protocol/messages.ts';

export interface LiveHandlers {
  onStart?(message: MatchStartMessage): void;
  onState?(message: StateMessage): void;
  onEnd?(message: MatchEndMessage): void;
  onDecision?(message: DecisionMessage): void;
  onError?(message: ErrorMessage): void;
  /** The room connection ended (match disposed, server gone, or `leave`). */
  onLeave?(code: number): void;
}

export interface LiveConnection {
  /** Sends an action for the current decision; resolves with the server's Ack. */
  act(stepIndex: number, action: ActionPayload, seat?: number): Promise<Ack>;
  leave(): void;
}

let client: Client | undefined;
const sdk = (): Client => (client ??= new Client(`${window.location.origin}/colyseus`));

function wire(room: Room, matchId: string, handlers: LiveHandlers): LiveConnection {
  room.onMessage('match:start', (m: MatchStartMessage) => handlers.onStart?.(m));
  room.onMessage('state', (m: StateMessage) => handlers.onState?.(m));
  room.onMessage('match:end', (m: MatchEndMessage) => handlers.onEnd?.(m));
  room.onMessage('decision', (m: DecisionMessage) => handlers.onDecision?.(m));
  room.onMessage('error', (m: ErrorMessage) => handlers.onError?.(m));
  room.onMessage('*', () => { /* acks of plain sends; nothing else is expected */ });
  let left = false;
  room.onLeave((code: number) => { left = true; handlers.onLeave?.(code); });
  return {
    act: (stepIndex, action, seat) => room.request('act', { matchId, stepIndex, action, ...(seat === undefined ? {} : { seat }) }) as Promise<Ack>,
    leave: () => { if (!left) { left = true; void room.leave(true).catch(() => undefined); } },
  };
}

export async function spectate(matchId: string, handlers: LiveHandlers): Promise<LiveConnection> {
  const room = await sdk().joinOrCreate('match', { matchId, spectate: true });
  return wire(room, matchId, handlers);
}

export async function takeSeat(matchId: string, seatToken: string, handlers: LiveHandlers): Promise<LiveConnection> {
  const room = await sdk().joinOrCreate('match', { matchId, seatToken });
  return wire(room, matchId, handlers);
}
