/**
 * A real-time match's board: views arrive with each state patch (~10 a second) and the canvas
 * is drawn on animation frames, positions interpolated by time between the last two views
 * (one patch behind, so motion is smooth instead of stepping at the patch rate). `data-view`
 * and `data-tick` carry the newest view received; `data-frames` counts frames drawn.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { interpolateView } from '../renderers/interpolate.ts';
import { rendererFor } from '../renderers/index.ts';
import type { Box } from '../renderers/types.ts';
import { palette, themeVersion } from '../theme.ts';
import { Board } from './board.tsx';

export interface RealtimeBoardProps {
  readonly envKey: string;
  readonly view: unknown;
  readonly tick: number;
  readonly maxWidth?: number;
}

interface Timed {
  readonly view: unknown;
  readonly at: number;
}

export function RealtimeBoard({ envKey, view, tick, maxWidth }: RealtimeBoardProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const frames = useRef<{ prev: Timed | undefined; cur: Timed | undefined; drawn: number }>({ prev: undefined, cur: undefined, drawn: 0 });
  const [width, setWidth] = useState(0);
  const found = rendererFor(envKey, view);
  const version = themeVersion.value;

  // A new view: the old newest becomes the start of the next glide.
  const last = frames.current.cur;
  if (last === undefined || last.view !== view) {
    frames.current.prev = last;
    frames.current.cur = { view, at: performance.now() };
  }

  useEffect(() => {
    const element = wrap.current;
    if (!element) return undefined;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]?.contentRect.width ?? 0)));
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => observer.disconnect();
  }, []);

  const available = Math.max(160, Math.min(maxWidth ?? Infinity, width || maxWidth || 640));
  const box: Box | undefined = found ? found.renderer.size(found.view, available) : undefined;

  useEffect(() => {
    const element = canvas.current;
    if (!element || !found || !box) return undefined;
    const dpr = window.devicePixelRatio || 1;
    element.width = Math.round(box.width * dpr);
    element.height = Math.round(box.height * dpr);
    element.style.width = `${box.width}px`;
    element.style.height = `${box.height}px`;
    const ctx = element.getContext('2d');
    if (!ctx) return undefined;
    const colours = palette();
    let handle = 0;
    let settled: unknown;
    const frame = (now: number): void => {
      handle = requestAnimationFrame(frame);
      const { prev, cur } = frames.current;
      if (!cur) return;
      const span = prev ? Math.max(16, cur.at - prev.at) : 1;
      const f = prev ? (now - cur.at) / span : 1;
      if (f >= 1 && settled === cur.view) return; // nothing moves until the next view
      const parsedCur = found.renderer.schema.safeParse(cur.view);
      if (!parsedCur.success) return;
      const parsedPrev = prev ? found.renderer.schema.safeParse(prev.view) : undefined;
      const shown = parsedPrev?.success ? interpolateView(parsedPrev.data, parsedCur.data, f) : parsedCur.data;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, box.width, box.height);
      found.renderer.draw(ctx, shown, box, colours);
      frames.current.drawn++;
      element.dataset['frames'] = String(frames.current.drawn);
      if (f >= 1) settled = cur.view;
    };
    handle = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(handle);
  }, [found?.renderer, box?.width, box?.height, version]);

  if (!found) return <Board envKey={envKey} view={view} />;
  const description = found.renderer.describe(found.view);
  return (
    <div ref={wrap} class="board-wrap">
      <canvas
        ref={canvas}
        class="board"
        role="img"
        aria-label={description}
        title={description}
        data-env={envKey}
        data-view={JSON.stringify(view)}
        data-tick={tick}
        data-realtime="true"
      />
    </div>
  );
}
