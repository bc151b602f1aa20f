/** connect-four: the blue frame with discs, top row first as the view lists it; click a column to drop. */
import { z } from 'zod';
import { roundRect, shade, text } from './draw.ts';
import type { Box, Renderer } from './types.ts';

const ViewSchema = z.object({
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  board: z.array(z.string()),
  moves: z.number(),
  toPlay: z.number().nullable(),
  winner: z.number().nullable(),
});
type View = z.infer<typeof ViewSchema>;

function geometry(v: View, box: Box) {
  const label = 18;
  const cell = Math.min(box.width / v.columns, (box.height - label) / v.rows);
  return { cell, x0: (box.width - cell * v.columns) / 2, y0: label, label };
}

export const connectFour: Renderer<View> = {
  schema: ViewSchema,
  size(v, maxWidth) {
    const width = Math.min(maxWidth, 72 * v.columns);
    return { width, height: Math.round((width / v.columns) * v.rows + 18) };
  },
  draw(ctx, v, box, p) {
    const { cell, x0, y0 } = geometry(v, box);
    for (let c = 0; c < v.columns; c++) text(ctx, p, String(c), x0 + (c + 0.5) * cell, 9, { size: 11, color: p.muted, weight: 400 });
    roundRect(ctx, x0, y0, cell * v.columns, cell * v.rows, cell * 0.14);
    ctx.fillStyle = p.board;
    ctx.fill();
    for (let r = 0; r < v.rows; r++) {
      const line = v.board[r] ?? '';
      for (let c = 0; c < v.columns; c++) {
        const mark = line[c];
        const cx = x0 + (c + 0.5) * cell;
        const cy = y0 + (r + 0.5) * cell;
        ctx.beginPath();
        ctx.arc(cx, cy, cell * 0.39, 0, Math.PI * 2);
        if (mark === 'x' || mark === 'o') {
          const base = mark === 'x' ? p.p0 : p.p1;
          const g = ctx.createRadialGradient(cx - cell * 0.12, cy - cell * 0.12, cell * 0.05, cx, cy, cell * 0.42);
          g.addColorStop(0, shade(base, 0.25));
          g.addColorStop(1, shade(base, -0.15));
          ctx.fillStyle = g;
        } else {
          ctx.fillStyle = p.boardHole;
        }
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = 'rgba(0,0,0,0.25)';
        ctx.stroke();
      }
    }
  },
  describe(v) {
    const status = v.winner !== null ? `seat ${v.winner} wins` : v.toPlay === null ? 'draw' : `seat ${v.toPlay} to play`;
    return `Connect four after ${v.moves} moves: ${status}`;
  },
  actionAt(v, box, x, _y, legal) {
    const { cell, x0 } = geometry(v, box);
    const column = Math.floor((x - x0) / cell);
    return column >= 0 && column < v.columns && legal.includes(column) ? column : undefined;
  },
};
