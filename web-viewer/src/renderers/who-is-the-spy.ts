/**
 * who-is-the-spy: players (alive, out, disqualified), the clues of each round, the votes and
 * who was eliminated; the viewer's own word when the view carries it (a seat's view), and the
 * spies and word pair only once the game is over: the env's view decides, this only draws it.
 */
import { z } from 'zod';
import { seatColor } from '../theme.ts';
import { drawPanel, panelSize, type Line } from './text-panel.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  players: z.number(),
  mode: z.string(),
  phase: z.string(),
  round: z.number(),
  clueRound: z.number(),
  toAct: z.number().nullable(),
  order: z.array(z.number()),
  alive: z.array(z.boolean()),
  disqualified: z.array(z.boolean()),
  clues: z.array(z.object({ round: z.number(), clueRound: z.number(), seat: z.number(), text: z.string() })),
  results: z.array(z.object({ votes: z.array(z.union([z.number(), z.string()]).nullable()), eliminated: z.number().nullable() })),
  secret: z.unknown(),
  spies: z.array(z.number()).nullable(),
  pair: z.array(z.string()).nullable(),
  winner: z.unknown(),
});
type View = z.infer<typeof ViewSchema>;

const name = (seat: number): string => `Player ${seat + 1}`;

function lines(v: View): Line[] {
  const out: Line[] = [
    { text: `Who is the spy — ${v.mode}, round ${v.round + 1}, ${v.phase}${v.toAct !== null ? `: ${name(v.toAct)} to act` : ''}`, tone: 'title' },
  ];
  const status = v.alive.map(
    (alive, seat) => `${name(seat)}${v.disqualified[seat] ? ' (disqualified)' : alive ? '' : ' (out)'}${v.spies?.includes(seat) ? ' [spy]' : ''}`,
  );
  out.push({ text: status.join(' · '), tone: 'muted' });
  if (v.secret !== null && v.secret !== undefined)
    out.push({ text: `Your word: ${typeof v.secret === 'string' ? v.secret : JSON.stringify(v.secret)}`, tone: 'head' });
  const rounds = [...new Set([...v.clues.map((c) => c.round), ...v.results.map((_r, i) => i)])].sort((a, b) => a - b);
  for (const round of rounds) {
    out.push({ text: `Round ${round + 1}`, tone: 'head' });
    for (const c of v.clues.filter((c) => c.round === round)) out.push({ text: `${name(c.seat)}: ${c.text}`, seat: c.seat, indent: 1 });
    const result = v.results[round];
    if (result) {
      // A vote is a seat, or a word for no valid vote (e.g. an abstention).
      const votes = result.votes.flatMap((target, voter) => (target === null ? [] : [`${voter + 1}→${typeof target === 'number' ? target + 1 : target}`]));
      out.push({
        text: `votes ${votes.join(', ') || 'none'}; ${result.eliminated === null ? 'nobody eliminated' : `${name(result.eliminated)} eliminated`}`,
        tone: 'muted',
        indent: 1,
      });
    }
  }
  if (v.pair) out.push({ text: `Words: ${v.pair.join(' / ')}`, tone: 'head' });
  if (v.winner !== null && v.winner !== undefined)
    out.push({ text: `Winner: ${typeof v.winner === 'string' ? v.winner : JSON.stringify(v.winner)}`, tone: 'good' });
  return out;
}

export const whoIsTheSpy: Renderer<View> = {
  schema: ViewSchema,
  size: (v, maxWidth) => panelSize(lines(v), maxWidth),
  draw: (ctx, v, box, p) => drawPanel(ctx, lines(v), box, p, (seat) => seatColor(p, seat % 2)),
  describe: (v) =>
    lines(v)
      .map((l) => l.text)
      .join(' | '),
};
