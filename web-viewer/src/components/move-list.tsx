/** A numbered move list; in replays the current move is highlighted and each entry is a link to its step. */
import { useEffect, useRef } from 'preact/hooks';

export interface MoveItem {
  /** The step this move leads to. */
  readonly step: number;
  readonly label: string;
}

export function MoveList({ moves, current, onPick }: { moves: readonly MoveItem[]; current?: number; onPick?: (step: number) => void }) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const element = list.current?.querySelector('li.current') ?? list.current?.lastElementChild;
    element?.scrollIntoView({ block: 'nearest' });
  }, [current, moves.length]);
  if (moves.length === 0) return <p class="muted small">no moves yet</p>;
  return (
    <ol class="moves" ref={list}>
      {moves.map((m, i) => (
        <li key={i} class={current === m.step ? 'current' : ''} data-step={m.step}>
          {onPick ? (
            <button type="button" onClick={() => onPick(m.step)}>
              {m.label}
            </button>
          ) : (
            m.label
          )}
        </li>
      ))}
    </ol>
  );
}
