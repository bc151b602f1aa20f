/**
 * propose-solve: the task, the proposer's proof and the judge's rating when the view carries
 * them (the env shows each to its own role, and all of them once over), and the solver's
 * attempts with their verdicts.
 */
import { z } from 'zod';
import { drawPanel, panelSize, type Line } from './text-panel.ts';
import type { Renderer } from './types.ts';

const ViewSchema = z.object({
  phase: z.string(),
  family: z.string(),
  role: z.string().nullable(),
  task: z.string().nullable(),
  proof: z.unknown(),
  invalidProposal: z.unknown(),
  rating: z.unknown(),
  attempts: z.union([z.number(), z.array(z.object({ correct: z.boolean(), usable: z.boolean() }))]),
});
type View = z.infer<typeof ViewSchema>;

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

function lines(v: View): Line[] {
  const out: Line[] = [{ text: `Propose & solve — ${v.family}, ${v.phase}${v.role ? ` (you: ${v.role})` : ''}`, tone: 'title' }];
  out.push({ text: 'Task', tone: 'head' });
  out.push({ text: v.task ?? 'not proposed yet', tone: v.task ? 'plain' : 'muted', indent: 1 });
  if (v.invalidProposal !== null && v.invalidProposal !== undefined && v.invalidProposal !== false)
    out.push({ text: `invalid proposal: ${show(v.invalidProposal)}`, tone: 'bad', indent: 1 });
  if (v.proof !== null && v.proof !== undefined) out.push({ text: `Proof: ${show(v.proof)}`, indent: 1 });
  out.push({ text: 'Answers', tone: 'head' });
  if (typeof v.attempts === 'number') out.push({ text: `${v.attempts} attempt(s) so far`, tone: 'muted', indent: 1 });
  else if (v.attempts.length === 0) out.push({ text: 'none yet', tone: 'muted', indent: 1 });
  else
    v.attempts.forEach((a, i) =>
      out.push({ text: `attempt ${i + 1}: ${a.correct ? 'correct' : a.usable ? 'wrong' : 'unusable'}`, tone: a.correct ? 'good' : 'bad', indent: 1 }),
    );
  if (v.rating !== null && v.rating !== undefined) out.push({ text: `Judge's rating: ${show(v.rating)}`, tone: 'head' });
  return out;
}

export const proposeSolve: Renderer<View> = {
  schema: ViewSchema,
  size: (v, maxWidth) => panelSize(lines(v), maxWidth),
  draw: (ctx, v, box, p) => drawPanel(ctx, lines(v), box, p, () => p.fg),
  describe: (v) =>
    lines(v)
      .map((l) => l.text)
      .join(' | '),
};
