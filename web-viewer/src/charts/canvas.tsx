/** A HiDPI canvas whose content a draw function paints in CSS pixels; redrawn on theme and size changes. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { palette, themeVersion, type Palette } from '../theme.ts';

export interface ChartCanvasProps {
  /** Height for a given width. */
  readonly height: (width: number) => number;
  readonly draw: (ctx: CanvasRenderingContext2D, width: number, height: number, p: Palette) => void;
  readonly label: string;
  readonly chart: string;
  readonly onMove?: (x: number, y: number, width: number) => void;
  readonly onLeave?: () => void;
}

export function ChartCanvas({ height, draw, label, chart, onMove, onLeave }: ChartCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  themeVersion.value;
  useEffect(() => {
    const element = wrap.current;
    if (!element) return undefined;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const element = canvas.current;
    if (!element || width <= 0) return;
    const h = height(width);
    const dpr = window.devicePixelRatio || 1;
    element.width = Math.round(width * dpr);
    element.height = Math.round(h * dpr);
    element.style.width = `${width}px`;
    element.style.height = `${h}px`;
    const ctx = element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, h);
    draw(ctx, width, h, palette());
  });
  return (
    <div ref={wrap} class="chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-chart={chart}
        onMouseMove={
          onMove
            ? (e) => {
                const r = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
                onMove(e.clientX - r.left, e.clientY - r.top, width);
              }
            : undefined
        }
        onMouseLeave={onLeave}
      />
    </div>
  );
}
