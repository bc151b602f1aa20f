/** tic-tac-toe: a 3x3 grid; seat 0's mark in the first seat colour; click a cell to play it. */
import { z } from 'zod';
import type { Palette } from '../theme.ts';
import { text } from './draw.ts';
import type { Box, Renderer } from './types.ts';

const ViewSchema = z.object({
  marks: z.tuple([z.string(), z.string()]),
  board: z.array(z.string().length(3)).length(3),
  moves: z.number(),
  toPlay: z.number().nullable(),
  winner: z.number().nullable(),
});
type View = z.infer<typeof ViewSchema>;

const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
] as const;

const cells = (v: View): string[] => v.board.join('').split('');

function geometry(box: Box) {
  const side = Math.min(box.width, box.height);
  const pad = side * 0.06;
  const cell = (side - 2 * pad) / 3;
  return { pad, cell, x0: (box.width - 3 * cell) / 2, y0: (box.height - 3 * cell) / 2 };
}

function winningLine(v: View): readonly number[] | undefined {
  if (v.winner === null) return undefined;
  const c = cells(v);
  const mark = v.marks[v.winner];
  return LINES.find((line) => line.every((i) => c[i] === mark));
}

function drawMark(ctx: CanvasRenderingContext2D, seat: number, cx: number, cy: number, r: number, p: Palette): void {
  ctx.lineWidth = Math.max(3, r * 0.22);
  ctx.lineCap = 'round';
  ctx.strokeStyle = seat === 0 ? p.p0 : p.accent;
  ctx.beginPath();
  if (seat === 0) {
    ctx.moveTo(cx - r, cy - r);
    ctx.lineTo(cx + r, cy + r);
    ctx.moveTo(cx + r, cy - r);
    ctx.lineTo(cx - r, cy + r);
  } else {
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
  }
  ctx.stroke();
}

export const ticTacToe: Renderer<View> = {
  schema: ViewSchema,
  size: (_v, maxWidth) => {
    const s = Math.min(maxWidth, 420);
    return { width: s, height: s };
  },
  draw(ctx, v, box, p) {
    const { cell, x0, y0 } = geometry(box);
    const c = cells(v);
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = Math.max(2, cell * 0.04);
    ctx.lineCap = 'round';
    for (let k = 1; k < 3; k++) {
      ctx.beginPath();
      ctx.moveTo(x0 + k * cell, y0 + 6);
      ctx.lineTo(x0 + k * cell, y0 + 3 * cell - 6);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x0 + 6, y0 + k * cell);
      ctx.lineTo(x0 + 3 * cell - 6, y0 + k * cell);
      ctx.stroke();
    }
    c.forEach((mark, i) => {
      const cx = x0 + ((i % 3) + 0.5) * cell;
      const cy = y0 + (Math.floor(i / 3) + 0.5) * cell;
      const seat = v.marks.indexOf(mark);
      if (seat >= 0) drawMark(ctx, seat, cx, cy, cell * 0.3, p);
      else text(ctx, p, String(i), cx, cy, { size: cell * 0.16, color: p.muted, weight: 400 });
    });
    const line = winningLine(v);
    if (line) {
      const at = (i: number) => [x0 + ((i % 3) + 0.5) * cell, y0 + (Math.floor(i / 3) + 0.5) * cell] as const;
      const [ax, ay] = at(line[0]!);
      const [bx, by] = at(line[2]!);
      ctx.strokeStyle = p.good;
      ctx.globalAlpha = 0.8;
      ctx.lineWidth = Math.max(4, cell * 0.08);
      ctx.beginPath();
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  },
  describe(v) {
    const status =
      v.winner !== null ? `seat ${v.winner} (${v.marks[v.winner]}) wins` : v.toPlay === null ? 'draw' : `seat ${v.toPlay} (${v.marks[v.toPlay]}) to play`;
    return `Tic-tac-toe, ${v.board.join('/')}: ${status}`;
  },
  actionAt(v, box, x, y, legal) {
    const { cell, x0, y0 } = geometry(box);
    const col = Math.floor((x - x0) / cell);
    const row = Math.floor((y - y0) / cell);
    if (col < 0 || col > 2 || row < 0 || row > 2) return undefined;
    const id = row * 3 + col;
    return legal.includes(id) && cells(v)[id] === '.' ? id : undefined;
  },
};
