/**
 * kuhn-poker: the two hands on a felt table (seat 1 at the top), the pot, the betting of the
 * hand in words, and the chips. A card the view leaves null is drawn face down; between hands
 * and at the end the last hand is shown as the view gives it (cards only after a showdown).
 */
import { z } from 'zod';
import type { Palette } from '../theme.ts';
import { card, chips, felt, text } from './draw.ts';
import type { Renderer } from './types.ts';

const HandSchema = z.object({
  cards: z.array(z.string().nullable()),
  betting: z.string(),
  opener: z.number(),
  winner: z.number().nullable(),
  amount: z.number(),
  showdown: z.boolean(),
});
const ViewSchema = z.object({
  rounds: z.number(),
  hand: z.number(),
  chips: z.array(z.number()),
  ante: z.number(),
  pot: z.number(),
  cards: z.array(z.string().nullable()),
  betting: z.string(),
  opener: z.number().nullable(),
  toAct: z.number().nullable(),
  facingBet: z.boolean(),
  hands: z.array(HandSchema),
  over: z.boolean(),
  returns: z.array(z.number()).nullable(),
});
type View = z.infer<typeof ViewSchema>;

/** Betting letters in words: p after a bet is a fold, b after a bet a call. */
export function bettingWords(history: string, opener: number): string[] {
  let facing = false;
  return history.split('').map((c, i) => {
    const seat = (opener + i) % 2;
    const word = c === 'b' ? (facing ? 'calls' : 'bets') : facing ? 'folds' : 'checks';
    if (c === 'b') facing = !facing;
    return `seat ${seat} ${word}`;
  });
}

function shown(v: View): { cards: (string | null)[]; betting: string; opener: number; caption: string } {
  const last = v.hands[v.hands.length - 1];
  const dealt = v.cards.length > 0 && (v.betting !== '' || v.toAct !== null || v.cards.some((c) => c !== null));
  if ((v.over || !dealt) && last) {
    const caption = last.winner === null ? 'split' : `seat ${last.winner} wins ${last.amount}${last.showdown ? ' at showdown' : ''}`;
    return { cards: last.cards, betting: last.betting, opener: last.opener, caption };
  }
  return { cards: v.cards.length ? v.cards : [null, null], betting: v.betting, opener: v.opener ?? 0, caption: '' };
}

function seatBlock(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  v: View,
  seat: number,
  name: string | null,
  cx: number,
  cy: number,
  cw: number,
  ch: number,
): void {
  card(ctx, p, name, cx - cw / 2, cy - ch / 2, cw, ch);
  const labelY = seat === 0 ? cy + ch / 2 + 16 : cy - ch / 2 - 16;
  const turn = v.toAct === seat && !v.over ? ' • to act' : '';
  const total = v.chips[seat] ?? 0;
  const chipText = v.rounds > 1 ? `   chips ${total > 0 ? '+' : ''}${total}` : '';
  text(ctx, p, `seat ${seat}${chipText}${turn}`, cx, labelY, { size: 14, weight: 600, color: '#ffffff' });
}

export const kuhnPoker: Renderer<View> = {
  schema: ViewSchema,
  size: (_v, maxWidth) => {
    const w = Math.min(maxWidth, 520);
    return { width: w, height: Math.round(w * 0.68) };
  },
  draw(ctx, v, box, p) {
    const { width: w, height: h } = box;
    felt(ctx, p, w, h);
    const s = shown(v);
    const ch = h * 0.3;
    const cw = ch * 0.7;
    seatBlock(ctx, p, v, 1, s.cards[1] ?? null, w / 2, h * 0.25, cw, ch);
    seatBlock(ctx, p, v, 0, s.cards[0] ?? null, w / 2, h * 0.75, cw, ch);
    if (!v.over) chips(ctx, p, v.pot, w * 0.2, h * 0.52, Math.max(26, w * 0.07), `pot ${v.pot}`);
    const words = bettingWords(s.betting, s.opener);
    const lines = words.length ? words : [v.over ? '' : 'no bets yet'];
    lines.forEach((line, i) => text(ctx, p, line, w * 0.95, h * 0.44 + i * 17, { size: 13, color: '#ffffff', align: 'right' }));
    if (v.rounds > 1) text(ctx, p, `hand ${Math.min(v.hand, v.rounds)} of ${v.rounds}`, w * 0.8, h * 0.1, { size: 12, color: '#e5e7eb' });
    const caption = v.over && v.returns ? `final: seat 0 ${signed(v.returns[0] ?? 0)}, seat 1 ${signed(v.returns[1] ?? 0)}` : s.caption;
    if (caption) text(ctx, p, caption, w * 0.05, h * 0.5, { size: 15, weight: 700, color: '#fde68a', align: 'left' });
  },
  describe(v) {
    const s = shown(v);
    const cards = s.cards.map((c, seat) => `seat ${seat} ${c ?? 'hidden'}`).join(', ');
    return `Kuhn poker, hand ${Math.min(v.hand, v.rounds)}/${v.rounds}: ${cards}; pot ${v.pot}; ${bettingWords(s.betting, s.opener).join(', ') || 'no bets'}`;
  },
};

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
