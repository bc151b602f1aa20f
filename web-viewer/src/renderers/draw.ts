/** Drawing helpers shared by renderers: text, rounded rectangles, playing cards, chips. */
import type { Palette } from '../theme.ts';

export function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

export function text(
  ctx: CanvasRenderingContext2D,
  p: Palette,
  value: string,
  x: number,
  y: number,
  options: { size?: number; weight?: number; color?: string; align?: CanvasTextAlign; baseline?: CanvasTextBaseline } = {},
): void {
  ctx.font = `${options.weight ?? 500} ${options.size ?? 14}px ${p.font}`;
  ctx.fillStyle = options.color ?? p.fg;
  ctx.textAlign = options.align ?? 'center';
  ctx.textBaseline = options.baseline ?? 'middle';
  ctx.fillText(value, x, y);
}

const RED_SUITS = new Set(['h', 'd', '♥', '♦']);

/** A playing card: `name` is the rank (and suit letter, e.g. "Kh"), or null for a face-down card. */
export function card(ctx: CanvasRenderingContext2D, p: Palette, name: string | null, x: number, y: number, w: number, h: number): void {
  const r = Math.max(4, w * 0.09);
  ctx.save();
  ctx.shadowColor = 'rgba(0,0,0,0.25)';
  ctx.shadowBlur = 6;
  ctx.shadowOffsetY = 2;
  roundRect(ctx, x, y, w, h, r);
  ctx.fillStyle = name === null ? p.cardBack : p.card;
  ctx.fill();
  ctx.restore();
  roundRect(ctx, x, y, w, h, r);
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.stroke();
  if (name === null) {
    // A lattice back: visibly a card, carrying no information.
    ctx.save();
    roundRect(ctx, x + w * 0.1, y + w * 0.1, w * 0.8, h - w * 0.2, r * 0.6);
    ctx.clip();
    ctx.strokeStyle = 'rgba(255,255,255,0.28)';
    ctx.lineWidth = 1.5;
    for (let k = -h; k < w + h; k += 9) {
      ctx.beginPath();
      ctx.moveTo(x + k, y);
      ctx.lineTo(x + k + h, y + h);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x + k + h, y);
      ctx.lineTo(x + k, y + h);
      ctx.stroke();
    }
    ctx.restore();
    return;
  }
  const rank = name.slice(0, 1);
  const suitLetter = name.slice(1, 2);
  const suit = { h: '♥', d: '♦', s: '♠', c: '♣' }[suitLetter] ?? '';
  const color = RED_SUITS.has(suitLetter) ? p.cardRed : p.cardInk;
  text(ctx, p, rank, x + w * 0.2, y + h * 0.16, { size: w * 0.26, weight: 700, color });
  if (suit) text(ctx, p, suit, x + w * 0.2, y + h * 0.32, { size: w * 0.2, color });
  text(ctx, p, `${rank}${suit}`, x + w / 2, y + h * 0.58, { size: w * 0.38, weight: 700, color });
}

/** A stack of chips with its amount under it. */
export function chips(ctx: CanvasRenderingContext2D, p: Palette, amount: number, x: number, y: number, size: number, label?: string): void {
  const n = Math.min(8, Math.max(amount > 0 ? 1 : 0, Math.round(amount)));
  for (let i = 0; i < n; i++) {
    ctx.beginPath();
    ctx.ellipse(x, y - i * size * 0.18, size * 0.5, size * 0.2, 0, 0, Math.PI * 2);
    ctx.fillStyle = p.chip;
    ctx.fill();
    ctx.strokeStyle = 'rgba(0,0,0,0.35)';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  text(ctx, p, label ?? String(amount), x, y + size * 0.55, { size: Math.max(11, size * 0.38), weight: 600, color: '#ffffff' });
}

/** The table felt with a seat label on each side (seat 0 at the bottom). */
export function felt(ctx: CanvasRenderingContext2D, p: Palette, w: number, h: number): void {
  roundRect(ctx, 1, 1, w - 2, h - 2, Math.min(w, h) * 0.12);
  const gradient = ctx.createRadialGradient(w / 2, h / 2, 10, w / 2, h / 2, Math.max(w, h) * 0.7);
  gradient.addColorStop(0, p.felt);
  gradient.addColorStop(1, shade(p.felt, -0.35));
  ctx.fillStyle = gradient;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.stroke();
}

/** Darkens (amount < 0) or lightens a #rrggbb colour. */
export function shade(hex: string, amount: number): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return hex;
  const n = parseInt(m[1]!, 16);
  const f = (c: number): number => Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount);
  return `rgb(${f(n >> 16)}, ${f((n >> 8) & 255)}, ${f(n & 255)})`;
}
