/**
 * Keyboard play for real-time slime games: arrows or WASD, held. The screen's left/right map
 * to forward/backward from the seat's side (forward is towards the net: right for the left
 * slime, seat 0; left for the right slime), up/W/space is jump. The action id is
 * forward + 2*backward + 4*jump; it is sent on every change (inputs are held by the server
 * until replaced), with an increasing seq.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

const KEYS: Record<string, 'left' | 'right' | 'jump'> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'jump',
  a: 'left',
  d: 'right',
  w: 'jump',
  A: 'left',
  D: 'right',
  W: 'jump',
  ' ': 'jump',
};

export function actionFor(held: ReadonlySet<string>, seat: number): number {
  const towardsNet = seat === 0 ? 'right' : 'left';
  const away = seat === 0 ? 'left' : 'right';
  const forward = held.has(towardsNet) ? 1 : 0;
  const backward = held.has(away) ? 1 : 0;
  const jump = held.has('jump') ? 1 : 0;
  return forward + 2 * backward + 4 * jump;
}

/** Tracks held keys while `enabled`; calls `send(action, seq)` whenever the action changes. Returns the current action. */
export function useKeyboardInput(enabled: boolean, seat: number, send: (action: number, seq: number) => void): number {
  const [action, setAction] = useState(0);
  const state = useRef({ held: new Set<string>(), action: 0, seq: 0 });
  const sender = useRef(send);
  sender.current = send;
  useEffect(() => {
    if (!enabled) return undefined;
    const s = state.current;
    const update = (): void => {
      const next = actionFor(s.held, seat);
      if (next === s.action) return;
      s.action = next;
      s.seq += 1;
      sender.current(next, s.seq);
      setAction(next);
    };
    const down = (event: KeyboardEvent): void => {
      const key = KEYS[event.key];
      if (!key) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      event.preventDefault();
      s.held.add(key);
      update();
    };
    const up = (event: KeyboardEvent): void => {
      const key = KEYS[event.key];
      if (!key) return;
      s.held.delete(key);
      update();
    };
    // Leaving the tab releases everything: a key held while switching away would stay held.
    const blur = (): void => {
      s.held.clear();
      update();
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, [enabled, seat]);
  return action;
}
