/**
 * Steps through a re-simulated match: scrubber, step buttons, arrow keys (Home/End, space to
 * play/pause), play at a chosen speed, the move list, and a viewer switch (spectator or a seat).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Viewer } from '../../../envs/index.ts';
import { textAt, viewAt, type Replay } from '../replay-frames.ts';
import { Board } from './board.tsx';
import { MoveList } from './move-list.tsx';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
const BASE_MS = 900;

export interface ReplayPlayerProps {
  readonly replay: Replay;
  readonly step: number;
  readonly onStep: (step: number) => void;
  readonly viewer: Viewer;
  readonly onViewer: (viewer: Viewer) => void;
  /** Seat names for the viewer switch and the move list. */
  readonly names?: (seat: number) => string;
}

export function ReplayPlayer({ replay, step, onStep, viewer, onViewer, names }: ReplayPlayerProps) {
  const last = replay.frames.length - 1;
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [raw, setRaw] = useState(false);
  const name = names ?? ((seat: number) => `seat ${seat}`);
  // The step as of the latest call: key presses faster than a re-render must not reuse a stale step.
  const current = useRef(step);
  current.current = step;
  const go = (to: number): void => {
    const target = Math.max(0, Math.min(last, to));
    current.current = target;
    onStep(target);
  };

  useEffect(() => {
    if (!playing) return undefined;
    if (step >= last) {
      setPlaying(false);
      return undefined;
    }
    // Real time plays at the tick rate (a frame per tick); turn-based games a move per BASE_MS.
    const timer = setTimeout(() => go(step + 1), (replay.tickHz ? 1000 / replay.tickHz : BASE_MS) / speed);
    return () => clearTimeout(timer);
  }, [playing, step, speed]);

  // A layout effect: the keys work from the first painted frame (a plain effect attaches after
  // paint, and a key pressed in between was lost).
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (
        target &&
        ((target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range') || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')
      )
        return;
      const moves: Record<string, () => void> = {
        ArrowLeft: () => go(current.current - 1),
        ArrowRight: () => go(current.current + 1),
        Home: () => go(0),
        End: () => go(last),
        ' ': () => setPlaying((p) => !p),
      };
      const action = moves[event.key];
      if (!action) return;
      event.preventDefault();
      setPlaying((p) => (event.key === ' ' ? p : false));
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [last, onStep]);

  const frame = replay.frames[step]!;
  const view = viewAt(replay, step, viewer);
  // Real time: thousands of ticks of held inputs are no move list; the scrubber is.
  const moves = replay.tickHz
    ? []
    : replay.frames.flatMap((f, i) =>
        i === 0 || f.move === undefined
          ? []
          : [
              {
                step: i,
                label: f.seats.length === 1 ? `${name(f.seats[0]!)}: ${f.move}` : f.move,
              },
            ],
      );
  return (
    <div class="grid cols-2">
      <section class="panel">
        <Board envKey={replay.env.key} view={view} text={textAt(replay, step, viewer)} raw={raw} />
        <div class="scrubber" style={{ marginTop: '.75rem' }}>
          <span class="mono small" data-step={step}>
            {step} / {last}
          </span>
          <input
            type="range"
            min={0}
            max={last}
            value={step}
            aria-label="step"
            onInput={(e) => {
              setPlaying(false);
              go(Number((e.target as HTMLInputElement).value));
            }}
          />
          <span class="small muted">{frame.move ?? 'start'}</span>
        </div>
        <div class="actions" style={{ marginTop: '.5rem' }}>
          <button type="button" title="first (Home)" onClick={() => go(0)}>
            « first
          </button>
          <button type="button" title="back (←)" data-action="back" onClick={() => go(step - 1)} disabled={step === 0}>
            ◀
          </button>
          <button
            type="button"
            class="primary"
            data-action="play"
            onClick={() => {
              if (step >= last) go(0);
              setPlaying(!playing);
            }}
          >
            {playing ? '❚❚ pause' : '▶ play'}
          </button>
          <button type="button" title="forward (→)" data-action="forward" onClick={() => go(step + 1)} disabled={step === last}>
            ▶
          </button>
          <button type="button" title="last (End)" onClick={() => go(last)}>
            last »
          </button>
          <label class="row" style={{ flexDirection: 'row' }}>
            speed
            <select value={String(speed)} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))}>
              {SPEEDS.map((s) => (
                <option key={s} value={String(s)}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <label class="row" style={{ flexDirection: 'row' }}>
            view as
            <select
              data-viewer-select
              value={String(viewer)}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                onViewer(value === 'spectator' ? 'spectator' : Number(value));
              }}
            >
              <option value="spectator">spectator</option>
              {Array.from({ length: replay.numPlayers }, (_, seat) => (
                <option key={seat} value={String(seat)}>
                  {name(seat)} (seat {seat})
                </option>
              ))}
            </select>
          </label>
          <label class="row" style={{ flexDirection: 'row' }} title="the observation text and the view JSON the board is drawn from">
            <input type="checkbox" data-raw-toggle checked={raw} onChange={(e) => setRaw((e.target as HTMLInputElement).checked)} /> text + JSON
          </label>
        </div>
      </section>
      <aside class="panel">
        <h2>Moves</h2>
        <MoveList
          moves={moves}
          current={step}
          onPick={(s) => {
            setPlaying(false);
            go(s);
          }}
        />
      </aside>
    </div>
  );
}
