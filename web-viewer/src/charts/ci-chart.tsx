/** Bradley–Terry ratings with their 95% bootstrap intervals as horizontal error bars, best first. */
import { ChartCanvas } from './canvas.tsx';

export interface CiRow {
  readonly agentId: string;
  readonly rating: number;
  readonly ci: readonly [number, number];
}

const LEFT = 140;
const ROW = 24;

export function CiChart({ rows }: { rows: readonly CiRow[] }) {
  const lo = Math.min(...rows.map((r) => r.ci[0]), ...rows.map((r) => r.rating));
  const hi = Math.max(...rows.map((r) => r.ci[1]), ...rows.map((r) => r.rating));
  const pad = Math.max(10, (hi - lo) * 0.08);
  const min = lo - pad;
  const max = hi + pad;
  return (
    <ChartCanvas
      chart="ci"
      label={`Bradley–Terry ratings with 95% intervals for ${rows.length} agents`}
      height={() => 30 + rows.length * ROW + 24}
      draw={(ctx, w, h, p) => {
        const x = (v: number): number => LEFT + ((v - min) / (max - min || 1)) * (w - LEFT - 16);
        // Grid and axis ticks.
        const step = niceStep((max - min) / 6);
        ctx.font = `11px ${p.font}`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        for (let t = Math.ceil(min / step) * step; t <= max; t += step) {
          ctx.strokeStyle = p.line;
          ctx.beginPath();
          ctx.moveTo(x(t), 20);
          ctx.lineTo(x(t), h - 20);
          ctx.stroke();
          ctx.fillStyle = p.muted;
          ctx.fillText(String(Math.round(t)), x(t), h - 10);
        }
        rows.forEach((r, i) => {
          const y = 30 + i * ROW + ROW / 2;
          ctx.fillStyle = p.fg;
          ctx.textAlign = 'right';
          ctx.font = `12px ${p.font}`;
          ctx.fillText(r.agentId.length > 20 ? `${r.agentId.slice(0, 19)}…` : r.agentId, LEFT - 8, y);
          ctx.strokeStyle = p.accent;
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.moveTo(x(r.ci[0]), y);
          ctx.lineTo(x(r.ci[1]), y);
          ctx.moveTo(x(r.ci[0]), y - 5);
          ctx.lineTo(x(r.ci[0]), y + 5);
          ctx.moveTo(x(r.ci[1]), y - 5);
          ctx.lineTo(x(r.ci[1]), y + 5);
          ctx.stroke();
          ctx.fillStyle = p.accent;
          ctx.beginPath();
          ctx.arc(x(r.rating), y, 4.5, 0, Math.PI * 2);
          ctx.fill();
        });
        ctx.lineWidth = 1;
      }}
    />
  );
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
}
