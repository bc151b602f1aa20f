/**
 * Modular equations: find x with a * x = b (mod m). The proposer gives a, b, m and a solution
 * x; the solver's x is correct if it satisfies the equation (any solution counts).
 */
import { z } from 'zod';
import type { Checked, Proposal, TaskFamily } from './family.ts';

const TaskSchema = z
  .object({ a: z.number().int().min(1).max(9999), b: z.number().int().min(0).max(9999), m: z.number().int().min(2).max(10000) })
  .refine((t) => t.a < t.m && t.b < t.m, { message: 'a and b must be below m' });
export type ModularTask = z.infer<typeof TaskSchema>;

const int = (text: string | undefined): number | undefined => (text !== undefined && /^-?\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined);
const field = (text: string, name: string): string | undefined => new RegExp(`\\b${name}\\s*[:=]\\s*([^;,\\n]+)`, 'i').exec(text)?.[1];
const solves = (t: ModularTask, x: number): boolean => (((t.a * x - t.b) % t.m) + t.m) % t.m === 0;

function parseProposal(answer: string): Checked<Proposal<ModularTask>> {
  const [a, b, m, x] = ['a', 'b', 'm', 'solution'].map((k) => int(field(answer, k)));
  if (a === undefined || b === undefined || m === undefined || x === undefined) {
    return { ok: false, reason: 'a proposal needs "a: ...; b: ...; m: ...; solution: ..." with whole numbers' };
  }
  const task = TaskSchema.safeParse({ a, b, m });
  if (!task.success) return { ok: false, reason: 'use 2 <= m <= 10000 and 1 <= a < m, 0 <= b < m' };
  if (!solves(task.data, x)) return { ok: false, reason: `x = ${x} does not solve ${a} * x = ${b} (mod ${m})` };
  return { ok: true, value: { task: task.data, proof: String(x) } };
}

export const modular: TaskFamily<ModularTask> = {
  id: 'modular',
  taskSchema: TaskSchema as z.ZodType<ModularTask>,
  proposerBrief:
    'Task family: modular equations. A task is a * x = b (mod m) with 2 <= m <= 10000, 1 <= a < m and 0 <= b < m; you must give a ' +
    'solution x, which is checked (the solver does not see it). Write it inside \\boxed{} as \\boxed{a: 7; b: 3; m: 20; solution: 9}.',
  solverBrief: 'Answer with one whole number x inside \\boxed{}, for example \\boxed{9}.',
  parseProposal,
  taskText: (t) => `Find a whole number x with ${t.a} * x = ${t.b} (mod ${t.m}).`,
  checkAnswer(task, answer) {
    const x = int(answer);
    return x === undefined ? { ok: false, reason: 'answer with one whole number' } : { ok: true, value: solves(task, x) };
  },
  rewriteProof: (proof) => proof,
  sampleProposal(rng, valid) {
    const m = 2 + rng.int(200);
    const a = 1 + rng.int(m - 1);
    const x = rng.int(m);
    const b = (a * x) % m;
    if (valid) return `\\boxed{a: ${a}; b: ${b}; m: ${m}; solution: ${x}}`;
    return rng.pick([`\\boxed{a: ${a}; b: ${b}; m: ${m}}`, `\\boxed{a: ${m + 1}; b: 0; m: ${m}; solution: 0}`, 'no task today']);
  },
  sampleAnswer(task, proof, rng, kind) {
    if (kind === 'correct') return `\\boxed{${proof}}`;
    if (kind === 'unusable') return rng.pick(['\\boxed{seven}', 'I give up']);
    for (let x = 0; x < task.m; x++) if (!solves(task, x)) return `\\boxed{${x}}`;
    return `\\boxed{${proof}}`;
  },
};
