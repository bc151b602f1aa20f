/**
 * Task families for propose-solve: a family says how a proposal is written and verified, what
 * the solver sees and how an answer is checked, all exactly (no model in the loop). Add a
 * family by implementing TaskFamily and building an env with `proposeSolveEnv([...families])`.
 */
import type { z } from 'zod';
import type { Rng } from '../../core/rng.ts';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface Proposal<T> {
  readonly task: T;
  /** The proposer's proof that the task is solvable (e.g. a solution); hidden from the solver. */
  readonly proof: string;
}

export interface TaskFamily<T = unknown> {
  /** kebab-case, the value of the env's `family` param. */
  readonly id: string;
  /** JSON form of a task, validated when a state is deserialized. */
  readonly taskSchema: z.ZodType<T>;
  /** For the proposer: what a task is and how to write one (ends with the format). */
  readonly proposerBrief: string;
  /** For the solver: how to answer. */
  readonly solverBrief: string;
  /** Parses a proposal and verifies its proof; a reason when it is malformed, out of bounds or unsolved. */
  parseProposal(answer: string): Checked<Proposal<T>>;
  /** The task as the solver sees it. */
  taskText(task: T): string;
  /** Checks an answer: ok with `value` true (correct) or false (wrong); not ok when unusable. */
  checkAnswer(task: T, answer: string): Checked<boolean>;
  /** An equivalent proof, for leak tests (a state the solver cannot tell apart). */
  rewriteProof(proof: string, rng: Rng): string;
  /** Random replies for tests and random agents. */
  sampleProposal(rng: Rng, valid: boolean): string;
  sampleAnswer(task: T, proof: string, rng: Rng, kind: 'correct' | 'wrong' | 'unusable'): string;
}
