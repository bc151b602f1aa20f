/**
 * The board of one view: the env's renderer on a HiDPI canvas (redrawn on theme and size
 * changes), or the readable fallback (observation text + view JSON) for envs without one.
 * `data-view` carries the exact view drawn, so tests compare it with the env's own view.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { rendererFor } from '../renderers/index.ts';
import type { Box } from '../renderers/types.ts';
import { palette, themeVersion } from '../theme.ts';

export interface BoardProps {
  readonly envKey: string;
  readonly view: unknown;
  /** The observation text, shown by the fallback (and under small boards as a title). */
  readonly text?: string;
  /** Largest width in CSS pixels; default the container's. */
  readonly maxWidth?: number;
  /** Human play: legal action ids; clicks on the board map to one of them. */
  readonly legal?: readonly number[];
  readonly onAction?: (id: number) => void;
  /** Show the fallback (observation text + view JSON) even when a renderer exists. */
  readonly raw?: boolean;
}

export function Board({ envKey, view, text, maxWidth, legal, onAction, raw }: BoardProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const found = raw ? undefined : rendererFor(envKey, view);
  themeVersion.value; // subscribe: redraw with the new colours

  useEffect(() => {
    const element = wrap.current;
    if (!element) return undefined;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]?.contentRect.width ?? 0)));
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => observer.disconnect();
  }, []);

  const available = Math.max(160, Math.min(maxWidth ?? Infinity, width || maxWidth || 480));
  const box: Box | undefined = found ? found.renderer.size(found.view, available) : undefined;

  useEffect(() => {
    const element = canvas.current;
    if (!element || !found || !box) return;
    const dpr = window.devicePixelRatio || 1;
    element.width = Math.round(box.width * dpr);
    element.height = Math.round(box.height * dpr);
    element.style.width = `${box.width}px`;
    element.style.height = `${box.height}px`;
    const ctx = element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, box.width, box.height);
    found.renderer.draw(ctx, found.view, box, palette());
  });

  const clickable = found?.renderer.actionAt !== undefined && legal !== undefined && legal.length > 0 && onAction !== undefined;
  const onClick = (event: MouseEvent): void => {
    if (!clickable || !found || !box || !found.renderer.actionAt) return;
    const rect = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const id = found.renderer.actionAt(found.view, box, event.clientX - rect.left, event.clientY - rect.top, legal);
    if (id !== undefined) onAction(id);
  };

  const viewJson = JSON.stringify(view);
  if (!found) {
    return (
      <div ref={wrap} class="fallback" data-env={envKey} data-view={viewJson}>
        {text ? <pre data-observation-text>{text}</pre> : null}
        <details open={!text}>
          <summary class="muted small">view (JSON)</summary>
          <pre>{JSON.stringify(view, null, 2)}</pre>
        </details>
      </div>
    );
  }
  const description = found.renderer.describe(found.view);
  return (
    <div ref={wrap} class="board-wrap">
      <canvas
        ref={canvas}
        class={clickable ? 'board clickable' : 'board'}
        role="img"
        aria-label={description}
        title={description}
        data-env={envKey}
        data-view={viewJson}
        onClick={onClick}
      />
    </div>
  );
}
