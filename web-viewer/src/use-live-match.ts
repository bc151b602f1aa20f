/**
 * One live match as a spectator: the latest spectator `state`, the `match:start` players, the
 * move list (the public moves each state message reports), and the `match:end` result.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MatchEndMessage, MatchStartMessage, StateMessage } from '../../protocol/messages.ts';
import type { LeavesFrame } from './live.ts';

export interface MoveEntry {
  /** The step the move led to. */
  readonly step: number;
  readonly seats: readonly number[];
  readonly text: string;
}

export interface LiveMatch {
  readonly start: MatchStartMessage | undefined;
  readonly state: StateMessage | undefined;
  /** Real-time matches: the spectator view rebuilt from the room state's leaves. */
  readonly frame: LeavesFrame | undefined;
  readonly end: MatchEndMessage | undefined;
  readonly moves: readonly MoveEntry[];
  readonly error: Error | undefined;
  readonly connected: boolean;
}

const EMPTY: LiveMatch = { start: undefined, state: undefined, frame: undefined, end: undefined, moves: [], error: undefined, connected: false };

/** Appends the moves the list does not have yet (messages can repeat, e.g. on reconnect). */
export function withMoves(moves: readonly MoveEntry[], incoming: readonly MoveEntry[] | null | undefined): readonly MoveEntry[] {
  const last = moves[moves.length - 1]?.step ?? -1;
  const fresh = (incoming ?? []).filter((m) => m.step > last);
  return fresh.length ? [...moves, ...fresh.map((m) => ({ step: m.step, seats: m.seats, text: m.text }))] : moves;
}

/** The state's latest move, appended unless the list has it. */
export const withLastMove = (moves: readonly MoveEntry[], m: StateMessage): readonly MoveEntry[] => withMoves(moves, m.lastMove ? [m.lastMove] : []);

export function useLiveMatch(matchId: string | undefined): LiveMatch {
  const [live, setLive] = useState<LiveMatch>(EMPTY);
  useEffect(() => {
    if (!matchId) return undefined;
    setLive(EMPTY);
    let closed = false;
    let leave: (() => void) | undefined;
    const update = (f: (m: LiveMatch) => LiveMatch): void => {
      if (!closed) setLive(f);
    };
    import('./live.ts')
      .then(({ spectate }) =>
        spectate(matchId, {
          onStart: (start) => update((m) => ({ ...m, start, moves: withMoves(m.moves, start.moves) })),
          onState: (state) => update((m) => ({ ...m, state, moves: withLastMove(m.moves, state) })),
          onLeaves: (frame) => update((m) => ({ ...m, frame })),
          onEnd: (end) => update((m) => ({ ...m, end })),
          onLeave: () => update((m) => ({ ...m, connected: false })),
        }),
      )
      .then(
        (connection) => {
          if (closed) connection.leave();
          else {
            leave = () => connection.leave();
            update((m) => ({ ...m, connected: true }));
          }
        },
        (error: unknown) => update((m) => ({ ...m, error: error instanceof Error ? error : new Error(String(error)) })),
      );
    return () => {
      closed = true;
      leave?.();
    };
  }, [matchId]);
  return live;
}

/** Re-renders every `ms` (clock countdowns). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
