/** leduc-poker: the private cards (face down unless this viewer may see them), the public card, pot and bets per round. */
import { z } from 'zod';
import { card, chips, felt, text } from './draw.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  viewer: z.union([z.number(), z.literal('spectator')]),
  round: z.number(),
  toPlay: z.number().nullable(),
  awaitingChance: z.boolean(),
  cards: z.array(z.string().nullable()),
  publicCard: z.string().nullable(),
  pot: z.number(),
  contributions: z.array(z.number()),
  raisesThisRound: z.number(),
  betting: z.array(z.array(z.string())),
  result: z.object({ kind: z.enum(['fold', 'showdown']), winners: z.array(z.number()), returns: z.array(z.number()) }).nullable(),
});
type View = z.infer<typeof ViewSchema>;

export const leducPoker: Renderer<View> = {
  schema: ViewSchema,
  size: (_v, maxWidth) => {
    const w = Math.min(maxWidth, 560);
    return { width: w, height: Math.round(w * 0.66) };
  },
  draw(ctx, v, box, p) {
    const { width: w, height: h } = box;
    felt(ctx, p, w, h);
    const ch = h * 0.27;
    const cw = ch * 0.7;
    const seat = (s: number, cy: number): void => {
      const name = v.cards[s] ?? null;
      card(ctx, p, name, w * 0.32 - cw / 2, cy - ch / 2, cw, ch);
      const acting = v.result === null && !v.awaitingChance && v.toPlay === s ? ' • to act' : '';
      text(ctx, p, `seat ${s}  in pot ${v.contributions[s] ?? 0}${acting}`, w * 0.32, s === 0 ? cy + ch / 2 + 15 : cy - ch / 2 - 15, {
        size: 13,
        weight: 600,
        color: '#ffffff',
      });
    };
    seat(1, h * 0.25);
    seat(0, h * 0.75);
    const px = w * 0.62;
    if (v.publicCard !== null) card(ctx, p, v.publicCard, px - cw / 2, h * 0.5 - ch / 2, cw, ch);
    else text(ctx, p, v.round === 1 ? 'public card after round 1' : '', px, h * 0.5, { size: 12, color: '#e5e7eb' });
    chips(ctx, p, v.pot, w * 0.86, h * 0.36, Math.max(24, w * 0.06), `pot ${v.pot}`);
    v.betting.forEach((round, i) => {
      const line = `round ${i + 1}: ${round.length ? round.join(', ') : '—'}`;
      text(ctx, p, line, w * 0.95, h * (0.66 + i * 0.06), { size: 12, color: '#e5e7eb', align: 'right' });
    });
    if (v.result) {
      const r = v.result;
      const who = r.winners.length === 2 ? 'split pot' : `seat ${r.winners[0]} wins${r.kind === 'fold' ? ' (fold)' : ' at showdown'}`;
      text(ctx, p, who, w * 0.62, h * 0.9, { size: 15, weight: 700, color: '#fde68a' });
    }
  },
  describe(v) {
    const cards = v.cards.map((c, s) => `seat ${s} ${c ?? 'hidden'}`).join(', ');
    return `Leduc poker, round ${v.round}: ${cards}; public ${v.publicCard ?? 'not dealt'}; pot ${v.pot}`;
  },
};
