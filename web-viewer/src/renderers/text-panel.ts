/**
 * Text games (negotiation, who-is-the-spy, propose-solve) are drawn as a panel of lines: a
 * renderer turns its view into lines, this sizes and draws them, wrapped at an estimated
 * character width (the same estimate for size and draw, so the canvas fits its text).
 */
import type { Palette } from '../theme.ts';
import { text } from './draw.ts';
import type { Box } from './types.ts';

export interface Line {
  readonly text: string;
  /** 'title' large and bold, 'head' bold, 'muted' grey, 'seat' in a seat's colour. */
  readonly tone?: 'title' | 'head' | 'muted' | 'good' | 'bad' | 'plain';
  readonly seat?: number;
  readonly indent?: number;
}

const FONT = 14;
const LINE = 20;
const PAD = 14;
const charsPer = (width: number, indent: number): number => Math.max(12, Math.floor((width - 2 * PAD - indent * 16) / (FONT * 0.56)));

function wrap(value: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of value.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = '';
      }
      let rest = word;
      while (rest.length > width) {
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      line = line ? `${line} ${rest}` : rest;
    }
    out.push(line);
  }
  return out;
}

const layout = (lines: readonly Line[], width: number): { line: Line; rows: string[] }[] =>
  lines.map((line) => ({ line, rows: wrap(line.text, charsPer(width, line.indent ?? 0)) }));

export function panelSize(lines: readonly Line[], maxWidth: number): Box {
  const width = Math.min(maxWidth, 640);
  const rows = layout(lines, width).reduce((n, l) => n + l.rows.length + (l.line.tone === 'title' ? 0.4 : 0), 0);
  return { width, height: Math.ceil(2 * PAD + rows * LINE) };
}

export function drawPanel(ctx: CanvasRenderingContext2D, lines: readonly Line[], box: Box, p: Palette, seatColor: (seat: number) => string): void {
  ctx.fillStyle = p.panel;
  ctx.fillRect(0, 0, box.width, box.height);
  let y = PAD + LINE / 2;
  for (const { line, rows } of layout(lines, box.width)) {
    const tone = line.tone ?? 'plain';
    // A seat's line: its colour as a dot at the left (readable text in both themes).
    const color = tone === 'muted' ? p.muted : tone === 'good' ? p.good : tone === 'bad' ? p.bad : p.fg;
    const size = tone === 'title' ? FONT + 3 : FONT;
    const weight = tone === 'title' || tone === 'head' ? 700 : 400;
    if (line.seat !== undefined) {
      ctx.beginPath();
      ctx.arc(PAD + (line.indent ?? 0) * 16 - 8, y, 4, 0, Math.PI * 2);
      ctx.fillStyle = seatColor(line.seat);
      ctx.fill();
    }
    for (const row of rows) {
      text(ctx, p, row, PAD + (line.indent ?? 0) * 16, y, { size, weight, color, align: 'left' });
      y += LINE;
    }
    if (tone === 'title') y += LINE * 0.4;
  }
}
