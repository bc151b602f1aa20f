/**
 * Slime-physics courts (slime volleyball, team volley): world units of the env's `court`
 * (x from -width/2 to width/2, y up from 0), scaled to the canvas. Shared by both renderers.
 */
import { z } from 'zod';
import type { Palette } from '../theme.ts';
import { shade, text } from './draw.ts';
import type { Box } from './types.ts';

export const BodySchema = z.object({ x: z.number(), y: z.number(), vx: z.number(), vy: z.number() });
export const CourtSchema = z.object({
  width: z.number(),
  height: z.number(),
  ground: z.number(),
  fence: z.object({ width: z.number(), height: z.number(), stubRadius: z.number() }),
  agentRadius: z.number(),
  ballRadius: z.number(),
});
export type Court = z.infer<typeof CourtSchema>;

/** The part of the sky shown: balls fly higher and get a marker at the top edge. */
const SKY = 0.5;

export const courtSize = (maxWidth: number): Box => {
  const width = Math.min(maxWidth, 760);
  return { width, height: Math.round(width * SKY) };
};

export interface CourtFrame {
  readonly scale: number;
  readonly px: (x: number) => number;
  readonly py: (y: number) => number;
}

export function courtFrame(court: Court, box: Box): CourtFrame {
  const scale = box.width / court.width;
  return { scale, px: (x) => (x + court.width / 2) * scale, py: (y) => box.height - y * scale };
}

/** Sky, ground, fence and its stub. */
export function drawCourt(ctx: CanvasRenderingContext2D, court: Court, box: Box, p: Palette, f: CourtFrame): void {
  const sky = ctx.createLinearGradient(0, 0, 0, box.height);
  sky.addColorStop(0, shade(p.panel, -0.04));
  sky.addColorStop(1, p.bg);
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, box.width, box.height);
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, f.py(court.ground), box.width, box.height - f.py(court.ground));
  const fw = court.fence.width * f.scale;
  ctx.fillStyle = p.muted;
  ctx.fillRect(f.px(0) - fw / 2, f.py(court.fence.height), fw, f.py(0) - f.py(court.fence.height));
  ctx.beginPath();
  ctx.arc(f.px(0), f.py(court.fence.height), court.fence.stubRadius * f.scale, 0, Math.PI * 2);
  ctx.fill();
}

/** A slime: a half disc on its x, y, its eye looking at the ball. */
export function drawSlime(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  f: CourtFrame,
  radius: number,
  body: { x: number; y: number },
  ball: { x: number; y: number },
  color: string,
  label?: string,
): void {
  const cx = f.px(body.x);
  const cy = f.py(body.y);
  const r = radius * f.scale;
  ctx.beginPath();
  ctx.arc(cx, cy, r, Math.PI, 0);
  ctx.closePath();
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(0,0,0,0.3)';
  ctx.stroke();
  // The eye sits towards the net side of the top and looks at the ball.
  const side = body.x < 0 ? 1 : -1;
  const ex = cx + side * r * 0.45;
  const ey = cy - r * 0.55;
  const dx = f.px(ball.x) - ex;
  const dy = f.py(ball.y) - ey;
  const d = Math.hypot(dx, dy) || 1;
  ctx.beginPath();
  ctx.arc(ex, ey, r * 0.22, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(ex + (dx / d) * r * 0.1, ey + (dy / d) * r * 0.1, r * 0.1, 0, Math.PI * 2);
  ctx.fillStyle = '#111111';
  ctx.fill();
  if (label) text(ctx, p, label, cx, cy - r - Math.max(8, r * 0.4), { size: Math.max(10, r * 0.4), color: p.muted, weight: 600 });
}

/** The ball; above the shown sky, a marker at the top edge at its x. */
export function drawBall(ctx: CanvasRenderingContext2D, p: Palette, f: CourtFrame, radius: number, ball: { x: number; y: number }): void {
  const r = Math.max(3, radius * f.scale);
  const cx = f.px(ball.x);
  const cy = f.py(ball.y);
  if (cy < -r) {
    ctx.beginPath();
    ctx.moveTo(cx, 2);
    ctx.lineTo(cx - 6, 12);
    ctx.lineTo(cx + 6, 12);
    ctx.closePath();
    ctx.fillStyle = p.bad;
    ctx.fill();
    return;
  }
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fillStyle = p.bad;
  ctx.fill();
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.stroke();
}
