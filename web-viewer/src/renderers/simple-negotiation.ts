/**
 * simple-negotiation: the offer on the table, every message so far, and the viewer's own
 * inventory and values when the view carries them (a seat's view; the spectator's has none).
 */
import { z } from 'zod';
import { seatColor } from '../theme.ts';
import { drawPanel, panelSize, type Line } from './text-panel.ts';
import type { Renderer } from './types.ts';

const Counts = z.record(z.string(), z.number());
const ViewSchema = z.object({
  turn: z.number(),
  maxTurns: z.number(),
  toAct: z.number().nullable(),
  offer: z.object({ from: z.number(), to: z.number(), give: Counts, take: Counts }).nullable(),
  replies: z.array(z.object({ seat: z.number(), text: z.string() })),
  own: z.object({ resources: Counts, values: Counts, gain: z.number() }).nullable(),
  result: z.unknown(),
});
type View = z.infer<typeof ViewSchema>;

const bundle = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'nothing';

function resultText(result: unknown): string {
  const r = result as { kind?: unknown; seat?: unknown };
  if (r && r.kind === 'win' && typeof r.seat === 'number') return `Player ${r.seat} wins`;
  if (r && typeof r.kind === 'string') return typeof r.seat === 'number' ? `${r.kind} (Player ${r.seat})` : r.kind;
  return JSON.stringify(result);
}

function lines(v: View): Line[] {
  const out: Line[] = [{ text: `Negotiation — turn ${v.turn} of ${v.maxTurns}${v.toAct !== null ? `, Player ${v.toAct} to act` : ''}`, tone: 'title' }];
  if (v.own) {
    out.push({ text: 'Your inventory (value each):', tone: 'head' });
    out.push({
      text: Object.entries(v.own.resources)
        .map(([k, n]) => `${k}: ${n} (${v.own!.values[k] ?? '?'})`)
        .join(' · '),
      indent: 1,
    });
    out.push({ text: `gain so far: ${v.own.gain}`, tone: v.own.gain >= 0 ? 'good' : 'bad', indent: 1 });
  }
  out.push({
    text: v.offer ? `Offer on the table: Player ${v.offer.from} gives ${bundle(v.offer.give)} for ${bundle(v.offer.take)}` : 'No offer on the table',
    tone: 'head',
  });
  out.push({ text: 'Messages', tone: 'head' });
  if (v.replies.length === 0) out.push({ text: 'none yet', tone: 'muted', indent: 1 });
  for (const r of v.replies) out.push({ text: `Player ${r.seat}: ${r.text}`, seat: r.seat, indent: 1 });
  if (v.result !== null && v.result !== undefined) out.push({ text: `Result: ${resultText(v.result)}`, tone: 'good' });
  return out;
}

export const simpleNegotiation: Renderer<View> = {
  schema: ViewSchema,
  size: (v, maxWidth) => panelSize(lines(v), maxWidth),
  draw: (ctx, v, box, p) => drawPanel(ctx, lines(v), box, p, (seat) => seatColor(p, seat)),
  describe: (v) =>
    lines(v)
      .map((l) => l.text)
      .join(' | '),
};
