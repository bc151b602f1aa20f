/**
 * A payoff heatmap: row member's score against the column member on a diverging red–blue
 * scale (0.5 is neutral), the value and the game count printed in each cell; cells with few
 * games are faded so a rate from 3 games looks less certain than one from 3000.
 */
import { useState } from 'preact/hooks';
import type { Palette } from '../theme.ts';
import { ChartCanvas } from './canvas.tsx';

export interface HeatmapProps {
  readonly labels: readonly string[];
  /** Values in [0, 1] (null: no games). */
  readonly values: readonly (readonly (number | null)[])[];
  readonly counts: readonly (readonly number[])[];
  readonly title: string;
  /** Format a cell value. */
  readonly format?: (v: number) => string;
}

/** Red (0) -> neutral (0.5) -> blue (1). */
export function diverging(v: number, p: Palette): string {
  const t = Math.max(0, Math.min(1, v));
  const red = [202, 0, 32];
  const blue = [5, 113, 176];
  const mid = p.bg.startsWith('#0') || p.bg.startsWith('#1') ? [60, 64, 72] : [247, 247, 247];
  const [a, b, f] = t < 0.5 ? [red, mid, t / 0.5] : [mid, blue, (t - 0.5) / 0.5];
  const c = a.map((x, i) => Math.round(x + (b[i]! - x) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

const LEFT = 130;
const TOP = 110;

export function Heatmap({ labels, values, counts, title, format }: HeatmapProps) {
  const n = labels.length;
  const [hover, setHover] = useState<string>('');
  const fmt = format ?? ((v: number) => `${Math.round(v * 100)}%`);
  const maxCount = Math.max(1, ...counts.flat());
  const cellOf = (width: number) => Math.max(18, Math.min(64, (width - LEFT - 8) / Math.max(1, n)));
  return (
    <div>
      <ChartCanvas
        chart="heatmap"
        label={`${title}: ${n} x ${n} cells`}
        height={(w) => TOP + cellOf(w) * n + 8}
        onMove={(x, y, w) => {
          const cell = cellOf(w);
          const c = Math.floor((x - LEFT) / cell);
          const r = Math.floor((y - TOP) / cell);
          const v = values[r]?.[c];
          setHover(
            r >= 0 && c >= 0 && r < n && c < n
              ? `${labels[r]} vs ${labels[c]}: ${v === null || v === undefined ? 'no games' : `${fmt(v)} over ${counts[r]![c]} games`}`
              : '',
          );
        }}
        onLeave={() => setHover('')}
        draw={(ctx, w, _h, p) => {
          const cell = cellOf(w);
          ctx.font = `12px ${p.font}`;
          ctx.fillStyle = p.fg;
          ctx.textBaseline = 'middle';
          labels.forEach((label, i) => {
            ctx.textAlign = 'right';
            ctx.fillText(short(label), LEFT - 6, TOP + (i + 0.5) * cell);
            ctx.save();
            ctx.translate(LEFT + (i + 0.5) * cell, TOP - 6);
            ctx.rotate(-Math.PI / 3);
            ctx.textAlign = 'left';
            ctx.fillText(short(label), 0, 0);
            ctx.restore();
          });
          for (let r = 0; r < n; r++) {
            for (let c = 0; c < n; c++) {
              const v = values[r]?.[c] ?? null;
              const x = LEFT + c * cell;
              const y = TOP + r * cell;
              if (v === null) {
                ctx.fillStyle = p.panel;
                ctx.fillRect(x, y, cell - 1, cell - 1);
                ctx.strokeStyle = p.line;
                ctx.strokeRect(x + 0.5, y + 0.5, cell - 2, cell - 2);
                continue;
              }
              const count = counts[r]?.[c] ?? 0;
              ctx.globalAlpha = 0.35 + 0.65 * Math.min(1, Math.log1p(count) / Math.log1p(Math.min(maxCount, 50)));
              ctx.fillStyle = diverging(v, p);
              ctx.fillRect(x, y, cell - 1, cell - 1);
              ctx.globalAlpha = 1;
              if (cell >= 30) {
                ctx.textAlign = 'center';
                ctx.fillStyle = Math.abs(v - 0.5) > 0.3 ? '#ffffff' : p.fg;
                ctx.font = `600 ${Math.min(13, cell * 0.3)}px ${p.font}`;
                ctx.fillText(fmt(v), x + cell / 2, y + cell * 0.42);
                ctx.font = `${Math.min(10, cell * 0.22)}px ${p.font}`;
                ctx.fillText(`n=${count}`, x + cell / 2, y + cell * 0.72);
              }
            }
          }
          ctx.fillStyle = p.muted;
          ctx.textAlign = 'left';
          ctx.font = `11px ${p.font}`;
          ctx.fillText('row vs column', 4, 12);
        }}
      />
      <p class="small muted" style={{ minHeight: '1.4em' }}>
        {hover || 'hover a cell for the pair and its game count'}
      </p>
    </div>
  );
}

const short = (s: string): string => (s.length > 18 ? `${s.slice(0, 17)}…` : s);
