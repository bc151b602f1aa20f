/**
 * Shared, frozen Turn values. `turn()` is called on every step of every loop, so envs
 * return these constants instead of allocating a fresh object each time.
 */
import type { Seat, Turn } from './env.ts';

export const TERMINAL: Turn = Object.freeze({ kind: 'terminal' });
export const CHANCE: Turn = Object.freeze({ kind: 'chance' });

const DECISIONS: Turn[] = Array.from({ length: 64 }, (_, seat) => Object.freeze({ kind: 'decision', seat }));

export function decision(seat: Seat): Turn {
  return DECISIONS[seat] ?? Object.freeze({ kind: 'decision', seat });
}

const SIMULTANEOUS = new Map<string, Turn>();

/** A simultaneous turn for these seats (cached by seat list). */
export function simultaneous(seats: readonly Seat[]): Turn {
  const key = seats.join(',');
  let turn = SIMULTANEOUS.get(key);
  if (!turn) {
    turn = Object.freeze({ kind: 'simultaneous', seats: Object.freeze(seats.slice()) });
    if (SIMULTANEOUS.size < 4096) SIMULTANEOUS.set(key, turn);
  }
  return turn;
}
