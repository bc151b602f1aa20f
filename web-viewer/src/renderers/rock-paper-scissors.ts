/** rock-paper-scissors: the rounds played so far as a two-row table of symbols, and the score. */
import { z } from 'zod';
import type { Palette } from '../theme.ts';
import { roundRect, text } from './draw.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  rounds: z.number().int().positive(),
  played: z.array(z.tuple([z.string(), z.string()])),
  wins: z.tuple([z.number(), z.number()]),
  returns: z.tuple([z.number(), z.number()]),
  toPlay: z.array(z.number()),
});
type View = z.infer<typeof ViewSchema>;

/** Letters, not emoji: emoji fonts are missing on many machines (and in headless chromium). */
const SYMBOL: Readonly<Record<string, string>> = { rock: 'R', paper: 'P', scissors: 'S' };
const BEATS: Readonly<Record<string, string>> = { rock: 'scissors', paper: 'rock', scissors: 'paper' };

function cell(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  move: string | undefined,
  x: number,
  y: number,
  s: number,
  outcome: 'win' | 'loss' | 'tie' | 'none',
): void {
  roundRect(ctx, x, y, s, s, s * 0.18);
  ctx.fillStyle = outcome === 'win' ? p.good : outcome === 'loss' ? p.bad : p.bg;
  ctx.globalAlpha = outcome === 'none' || outcome === 'tie' ? 1 : 0.25;
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.strokeStyle = p.line;
  ctx.lineWidth = 1;
  ctx.stroke();
  if (move) {
    text(ctx, p, SYMBOL[move] ?? move, x + s / 2, y + s * 0.42, { size: s * 0.46, weight: 700 });
    text(ctx, p, move, x + s / 2, y + s * 0.8, { size: Math.max(8, s * 0.2), color: p.muted, weight: 400 });
  }
}

export const rockPaperScissors: Renderer<View> = {
  schema: ViewSchema,
  size(v, maxWidth) {
    const shownRounds = Math.min(v.rounds, 12);
    const s = Math.max(28, Math.min(52, (maxWidth - 90) / shownRounds));
    return { width: Math.min(maxWidth, Math.round(90 + shownRounds * (s + 6))), height: Math.round(2 * s + 70) };
  },
  draw(ctx, v, box, p) {
    const shownRounds = Math.min(v.rounds, 12);
    const s = Math.max(28, Math.min(52, (box.width - 90) / shownRounds - 6));
    const first = Math.max(0, v.played.length - shownRounds + (v.played.length < v.rounds ? 1 : 0));
    for (let seat = 0; seat < 2; seat++) {
      const y = 28 + seat * (s + 8);
      text(ctx, p, `seat ${seat}`, 36, y + s / 2, { size: 13, weight: 600, color: seat === 0 ? p.p0 : p.accent });
      for (let k = 0; k < shownRounds; k++) {
        const round = v.played[first + k];
        const x = 80 + k * (s + 6);
        if (round === undefined) {
          const pending = first + k === v.played.length && v.toPlay.length > 0;
          cell(ctx, p, undefined, x, y, s, 'none');
          if (pending) text(ctx, p, '?', x + s / 2, y + s / 2, { size: s * 0.4, color: p.muted });
          continue;
        }
        const mine = round[seat]!;
        const theirs = round[1 - seat]!;
        cell(ctx, p, mine, x, y, s, mine === theirs ? 'tie' : BEATS[mine] === theirs ? 'win' : 'loss');
      }
    }
    for (let k = 0; k < shownRounds; k++) text(ctx, p, String(first + k + 1), 80 + k * (s + 6) + s / 2, 14, { size: 11, color: p.muted, weight: 400 });
    text(
      ctx,
      p,
      `wins ${v.wins[0]} – ${v.wins[1]}   (round ${Math.min(v.played.length + (v.toPlay.length ? 1 : 0), v.rounds)} of ${v.rounds})`,
      box.width / 2,
      box.height - 12,
      { size: 13, weight: 600 },
    );
  },
  describe: (v) => `Rock paper scissors: ${v.played.map((r) => `${r[0]}/${r[1]}`).join(', ') || 'no rounds yet'}; wins ${v.wins[0]}-${v.wins[1]}`,
};
