/**
 * signalling (Lewis game): the speaker's panel (the world state, if this viewer may see it),
 * the signal on the channel, and the listener's act, with success or failure at the end.
 */
import { z } from 'zod';
import type { Palette } from '../theme.ts';
import { roundRect, text } from './draw.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  states: z.number().int().positive(),
  signals: z.number().int().positive(),
  prior: z.array(z.number()),
  role: z.string(),
  world: z.number().nullable(),
  signal: z.number().nullable(),
  act: z.number().nullable(),
  success: z.boolean().nullable(),
  toPlay: z.number().nullable(),
});
type View = z.infer<typeof ViewSchema>;

function panel(ctx: CanvasRenderingContext2D, p: Palette, x: number, y: number, w: number, h: number, title: string, active: boolean): void {
  roundRect(ctx, x, y, w, h, 12);
  ctx.fillStyle = p.bg;
  ctx.fill();
  ctx.lineWidth = active ? 2.5 : 1;
  ctx.strokeStyle = active ? p.accent : p.line;
  ctx.stroke();
  text(ctx, p, title, x + w / 2, y + 16, { size: 13, weight: 600, color: p.muted });
}

function slots(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  n: number,
  chosen: number | null,
  hidden: boolean,
  x: number,
  y: number,
  w: number,
  color: string,
): void {
  const s = Math.min(34, (w - 8) / n - 6);
  const total = n * (s + 6) - 6;
  for (let i = 0; i < n; i++) {
    const sx = x + (w - total) / 2 + i * (s + 6);
    roundRect(ctx, sx, y, s, s, 7);
    ctx.fillStyle = chosen === i ? color : p.panel;
    ctx.fill();
    ctx.strokeStyle = p.line;
    ctx.lineWidth = 1;
    ctx.stroke();
    text(ctx, p, hidden ? '?' : String(i), sx + s / 2, y + s / 2, { size: s * 0.45, weight: 600, color: chosen === i ? '#ffffff' : p.muted });
  }
}

export const signalling: Renderer<View> = {
  schema: ViewSchema,
  size: (_v, maxWidth) => {
    const w = Math.min(maxWidth, 600);
    return { width: w, height: 190 };
  },
  draw(ctx, v, box, p) {
    const w = box.width;
    const pw = (w - 40) / 3;
    panel(ctx, p, 8, 10, pw, 130, 'speaker (seat 0): world', v.toPlay === 0);
    panel(ctx, p, 20 + pw, 10, pw, 130, 'signal', false);
    panel(ctx, p, 32 + 2 * pw, 10, pw, 130, 'listener (seat 1): act', v.toPlay === 1);
    slots(ctx, p, v.states, v.world, v.world === null, 8, 58, pw, p.p0);
    if (v.world === null) text(ctx, p, 'hidden from this viewer', 8 + pw / 2, 116, { size: 11, color: p.muted, weight: 400 });
    slots(ctx, p, v.signals, v.signal, false, 20 + pw, 58, pw, p.accent);
    slots(ctx, p, v.states, v.act, false, 32 + 2 * pw, 58, pw, p.p1);
    const status =
      v.success === null
        ? v.toPlay === null
          ? 'dealing the world state'
          : `${v.toPlay === 0 ? 'speaker' : 'listener'} to play`
        : v.success
          ? 'success: the listener named the world state'
          : 'failure: the listener missed';
    text(ctx, p, status, w / 2, 165, { size: 14, weight: 600, color: v.success === null ? p.fg : v.success ? p.good : p.bad });
  },
  describe: (v) =>
    `Signalling: world ${v.world ?? 'hidden'}, signal ${v.signal ?? 'none'}, act ${v.act ?? 'none'}${v.success === null ? '' : v.success ? ', success' : ', failure'}`,
};
