/**
 * Live matches over Colyseus (the `match` room at /colyseus on the page's own origin): as a
 * spectator, who gets the spectator's messages only, or in a seat with its seat token, which
 * adds that seat's own `decision` and `state` messages. Loaded lazily: the SDK is the largest
 * part of the live pages.
 */
import { Client, type Room } from '@colyseus/sdk';
import { unflattenView, type Leaf } from '../../protocol/view-leaves.ts';
import type {
  Ack,
  ActionPayload,
  DecisionMessage,
  DecisionOptions,
  ErrorMessage,
  MatchEndMessage,
  MatchStartMessage,
  StateMessage,
} from '../../protocol/messages.ts';

export interface LiveHandlers {
  onStart?(message: MatchStartMessage): void;
  onState?(message: StateMessage): void;
  onEnd?(message: MatchEndMessage): void;
  onDecision?(message: DecisionMessage): void;
  onError?(message: ErrorMessage): void;
  /** Real-time matches: the spectator view rebuilt from the synced leaves, on every patch. */
  onLeaves?(frame: LeavesFrame): void;
  /** Real-time matches, in a seat: each tick message (the seat's observation). */
  onTick?(message: { tick: number; lastSeq: number }): void;
  /** The room connection ended (match disposed, server gone, or `leave`). */
  onLeave?(code: number): void;
}

/** One patch of a real-time match's room state: the tick and the spectator view at it. */
export interface LeavesFrame {
  readonly tick: number;
  readonly view: unknown;
  /** The raw leaves as received (tests compare them with the server's). */
  readonly leaves: Record<string, number | string | boolean | null>;
}

export interface LiveConnection {
  /** Sends an action for the current decision; resolves with the server's Ack. */
  act(stepIndex: number, action: ActionPayload, seat?: number): Promise<Ack>;
  /** Real time: the seat's held input (fire-and-forget; `seq` orders them). */
  input(action: number, seq: number): void;
  leave(): void;
}

interface RoomStateLike {
  readonly tick?: number;
  readonly leaves?: { readonly size: number; forEach(f: (value: number, key: string) => void): void };
  readonly labels?: { forEach(f: (value: string, key: string) => void): void };
}

/** The view from the room state's leaves (numbers) and labels (other values, JSON-encoded). */
function leavesFrame(state: RoomStateLike): LeavesFrame {
  const entries: [string, Leaf][] = [];
  state.leaves?.forEach((value, key) => entries.push([key, value]));
  state.labels?.forEach((value, key) => {
    try {
      entries.push([key, JSON.parse(value) as Leaf]);
    } catch {
      /* not ours */
    }
  });
  return { tick: state.tick ?? 0, view: unflattenView(entries), leaves: Object.fromEntries(entries) };
}

let client: Client | undefined;
const sdk = (): Client => (client ??= new Client(`${window.location.origin}/colyseus`));

function wire(room: Room, matchId: string, handlers: LiveHandlers): LiveConnection {
  room.onMessage('match:start', (m: MatchStartMessage) => handlers.onStart?.(m));
  room.onMessage('state', (m: StateMessage) => handlers.onState?.(m));
  room.onMessage('match:end', (m: MatchEndMessage) => handlers.onEnd?.(m));
  room.onMessage('decision', (m: DecisionMessage) => handlers.onDecision?.(m));
  room.onMessage('error', (m: ErrorMessage) => handlers.onError?.(m));
  room.onMessage('tick', (m: { tick: number; lastSeq: number }) => handlers.onTick?.(m));
  room.onMessage('*', () => {
    /* acks of plain sends; nothing else is expected */
  });
  room.onStateChange((state: RoomStateLike) => {
    if (!handlers.onLeaves || state.leaves === undefined || state.leaves.size === 0) return;
    handlers.onLeaves(leavesFrame(state));
  });
  let left = false;
  room.onLeave((code: number) => {
    left = true;
    handlers.onLeave?.(code);
  });
  return {
    act: (stepIndex, action, seat) => room.request('act', { matchId, stepIndex, action, ...(seat === undefined ? {} : { seat }) }) as Promise<Ack>,
    input: (action, seq) => room.send('input', { matchId, action, seq }),
    leave: () => {
      if (!left) {
        left = true;
        void room.leave(true).catch(() => undefined);
      }
    },
  };
}

export async function spectate(matchId: string, handlers: LiveHandlers): Promise<LiveConnection> {
  const room = await sdk().joinOrCreate('match', { matchId, spectate: true });
  return wire(room, matchId, handlers);
}

export async function takeSeat(matchId: string, seatToken: string, handlers: LiveHandlers): Promise<LiveConnection> {
  // A person picks from the legal actions by their text; the board comes from the state messages.
  const decision: DecisionOptions = { actionTexts: true };
  const room = await sdk().joinOrCreate('match', { matchId, seatToken, decision });
  return wire(room, matchId, handlers);
}
