/** overcooked: the kitchen grid (counters, dispensers, pots, serving spots), both chefs facing their way, held and placed items, pot contents, score. */
import { z } from 'zod';
import { seatColor } from '../theme.ts';
import { roundRect, text } from './draw.ts';
import type { Renderer } from './types.ts';

const PosSchema = z.array(z.number()).length(2);
const ItemSchema = z.object({ name: z.string() }).passthrough();
const ViewSchema = z.object({
  grid: z.array(z.string()),
  width: z.number(),
  height: z.number(),
  timestep: z.number(),
  horizon: z.number(),
  score: z.number(),
  players: z.array(z.object({ pos: PosSchema, orientation: z.enum(['N', 'S', 'E', 'W']), held: ItemSchema.nullable() })),
  objects: z.array(ItemSchema.extend({ pos: PosSchema })),
});
type View = z.infer<typeof ViewSchema>;

const TILE: Readonly<Record<string, { fill: string; label: string }>> = {
  X: { fill: '#b08d64', label: '' },
  O: { fill: '#d9b44a', label: 'onions' },
  T: { fill: '#d0603f', label: 'tomatoes' },
  P: { fill: '#5b5f66', label: 'pot' },
  D: { fill: '#9fb6c9', label: 'dishes' },
  S: { fill: '#6da36a', label: 'serve' },
};
const ITEM_COLOR: Readonly<Record<string, string>> = { onion: '#e6c04f', tomato: '#d9534f', dish: '#f2f2f2', soup: '#e08a3c' };
const FACING: Readonly<Record<string, readonly [number, number]>> = { N: [0, -1], S: [0, 1], E: [1, 0], W: [-1, 0] };
const HEADER = 22;

const cellOf = (v: View, width: number): number => Math.min(64, width / v.width);

function drawItem(ctx: CanvasRenderingContext2D, name: string, cx: number, cy: number, r: number): void {
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fillStyle = ITEM_COLOR[name] ?? '#999';
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(0,0,0,0.4)';
  ctx.stroke();
}

export const overcooked: Renderer<View> = {
  schema: ViewSchema,
  realtime: true,
  size(v, maxWidth) {
    const cell = cellOf(v, maxWidth);
    return { width: Math.round(cell * v.width), height: Math.round(cell * v.height + HEADER) };
  },
  draw(ctx, v, box, p) {
    const cell = cellOf(v, box.width);
    text(ctx, p, `score ${v.score}   step ${v.timestep} / ${v.horizon}`, box.width / 2, HEADER / 2, { size: 12, color: p.muted });
    v.grid.forEach((row, y) => {
      for (let x = 0; x < v.width; x++) {
        const tile = TILE[row[x] ?? ' '];
        ctx.fillStyle = tile?.fill ?? p.panel;
        ctx.fillRect(x * cell, HEADER + y * cell, cell, cell);
        ctx.strokeStyle = p.line;
        ctx.strokeRect(x * cell + 0.5, HEADER + y * cell + 0.5, cell - 1, cell - 1);
        if (tile?.label) text(ctx, p, tile.label, (x + 0.5) * cell, HEADER + (y + 0.85) * cell, { size: Math.max(8, cell * 0.16), color: '#222' });
      }
    });
    for (const o of v.objects) {
      const cx = (o.pos[0]! + 0.5) * cell;
      const cy = HEADER + (o.pos[1]! + 0.45) * cell;
      drawItem(ctx, o.name, cx, cy, cell * 0.18);
      const ingredients = Array.isArray(o['ingredients']) ? (o['ingredients'] as unknown[]).length : 0;
      if (o.name === 'soup' && ingredients > 0) text(ctx, p, String(ingredients), cx, cy, { size: Math.max(9, cell * 0.2), color: '#222' });
    }
    v.players.forEach((chef, seat) => {
      const cx = (chef.pos[0]! + 0.5) * cell;
      const cy = HEADER + (chef.pos[1]! + 0.5) * cell;
      roundRect(ctx, cx - cell * 0.3, cy - cell * 0.3, cell * 0.6, cell * 0.6, cell * 0.15);
      ctx.fillStyle = seatColor(p, seat);
      ctx.fill();
      const [dx, dy] = FACING[chef.orientation]!;
      ctx.beginPath();
      ctx.arc(cx + dx * cell * 0.3, cy + dy * cell * 0.3, cell * 0.08, 0, Math.PI * 2);
      ctx.fillStyle = p.fg;
      ctx.fill();
      if (chef.held) drawItem(ctx, chef.held.name, cx, cy, cell * 0.15);
    });
  },
  describe(v) {
    const held = v.players.map((c, seat) => `chef ${seat} at ${c.pos.join(',')} holding ${c.held?.name ?? 'nothing'}`).join('; ');
    return `Overcooked step ${v.timestep} of ${v.horizon}, score ${v.score}: ${held}`;
  },
};
