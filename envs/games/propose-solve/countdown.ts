/**
 * Countdown: numbers and a target; reach the target with + - * / and parentheses, using each
 * number at most once, every division exact. The proposer must include a solution, which is
 * checked; the solver answers with an expression.
 */
import { z } from 'zod';
import type { Rng } from '../../core/rng.ts';
import { evaluate, overused } from './expression.ts';
import type { Checked, Proposal, TaskFamily } from './family.ts';

const TaskSchema = z.object({ numbers: z.array(z.number().int().min(1).max(100)).min(3).max(6), target: z.number().int().min(1).max(1000) });
export type CountdownTask = z.infer<typeof TaskSchema>;

function checkExpression(task: CountdownTask, expression: string): Checked<boolean> {
  const result = evaluate(expression);
  if (!result.ok) return { ok: false, reason: `the expression does not evaluate: ${result.reason}` };
  const extra = overused(result.used, task.numbers);
  if (extra !== undefined) return { ok: false, reason: `${extra} is not one of the numbers left to use` };
  return { ok: true, value: result.value === task.target };
}

const field = (text: string, name: string): string | undefined => new RegExp(`${name}\\s*[:=]\\s*([^;\\n]+)`, 'i').exec(text)?.[1]?.trim();

function parseProposal(answer: string): Checked<Proposal<CountdownTask>> {
  const numbersText = field(answer, 'numbers');
  const targetText = field(answer, 'target');
  const proof = field(answer, 'solution');
  if (numbersText === undefined || targetText === undefined || proof === undefined) {
    return { ok: false, reason: 'a proposal needs "numbers: ...; target: ...; solution: ..."' };
  }
  const numbers = numbersText
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const task = TaskSchema.safeParse({ numbers, target: Number(targetText) });
  if (!task.success) return { ok: false, reason: 'use 3 to 6 whole numbers from 1 to 100 and a target from 1 to 1000' };
  const check = checkExpression(task.data, proof);
  if (!check.ok) return { ok: false, reason: `the solution is not valid: ${check.reason}` };
  if (!check.value) return { ok: false, reason: `the solution does not reach the target ${task.data.target}` };
  return { ok: true, value: { task: task.data, proof } };
}

/** A random solvable task: a random expression over some of the numbers, its value as the target. */
function randomTask(rng: Rng): { task: CountdownTask; proof: string } {
  for (;;) {
    const count = 3 + rng.int(4);
    const numbers = Array.from({ length: count }, () => (rng.float() < 0.3 ? [25, 50, 75, 100][rng.int(4)]! : 1 + rng.int(10)));
    const pick = numbers.slice(0, 2 + rng.int(count - 1));
    let expr = String(pick[0]);
    for (const n of pick.slice(1)) expr = `(${expr} ${rng.pick(['+', '-', '*'])} ${n})`;
    const v = evaluate(expr);
    if (v.ok && v.value >= 1 && v.value <= 1000) return { task: { numbers, target: v.value }, proof: expr };
  }
}

export const countdown: TaskFamily<CountdownTask> = {
  id: 'countdown',
  taskSchema: TaskSchema,
  proposerBrief:
    'Task family: Countdown. A task is 3 to 6 whole numbers from 1 to 100 and a target from 1 to 1000; the solver must reach the ' +
    'target with + - * / and parentheses, using each number at most once, every division exact. You must prove your task is ' +
    'solvable by giving a solution, which is checked (the solver does not see it). Write your task inside \\boxed{} as ' +
    '\\boxed{numbers: 4, 7, 25, 50; target: 182; solution: (4 * 50) - 25 + 7}.',
  solverBrief: 'Answer with one expression inside \\boxed{}, for example \\boxed{(25 - 4) * 3 + 50}.',
  parseProposal,
  taskText: (t) => `Numbers: ${t.numbers.join(', ')}. Target: ${t.target}. Reach the target using each number at most once.`,
  checkAnswer: checkExpression,
  rewriteProof: (proof, rng) => (rng.float() < 0.5 ? `(${proof})` : ` ${proof} `),
  sampleProposal(rng, valid) {
    const { task, proof } = randomTask(rng);
    if (valid) return `Here is my task: \\boxed{numbers: ${task.numbers.join(', ')}; target: ${task.target}; solution: ${proof}}`;
    return rng.pick([
      `\\boxed{numbers: ${task.numbers.join(', ')}; target: ${task.target + 1 + rng.int(5)}; solution: ${proof}}`,
      `\\boxed{numbers: ${task.numbers.join(', ')}; target: ${task.target}}`,
      `\\boxed{numbers: 1, 2; target: 3; solution: 1 + 2}`,
      'I cannot think of a task.',
    ]);
  },
  sampleAnswer(task, proof, rng, kind) {
    if (kind === 'correct') return `\\boxed{${proof}}`;
    if (kind === 'unusable') return rng.pick(['no idea', `\\boxed{${task.numbers.join(' + ')} + 999}`, '\\boxed{(1 +}']);
    const wrong = `${task.numbers[0]} + ${task.numbers[1]}`;
    const v = evaluate(wrong);
    return v.ok && v.value !== task.target ? `\\boxed{${wrong}}` : `\\boxed{${task.numbers[0]} * ${task.numbers[1]} - ${task.numbers[2]}}`;
  },
};
