/**
 * propose-solve: an asymmetric, verifiable role game (asymmetric self-play: a proposer writes a
 * task, a solver answers it, a verifier scores). Seat 0 proposes a task in a task family that
 * Ludus verifies exactly (Countdown by default; family.ts is the interface) and must prove it
 * solvable; an optional judge (seat 2) predicts how often the solver will succeed; the solver
 * (seat 1) makes `solverAttempts` independent attempts. Rewards: solver = p, the share of
 * correct attempts; proposer = 1 - p ('hardness'), p(1 - p) ('learnability') or Absolute
 * Zero's 1 - p with 0 for p in {0, 1} ('absolute-zero'); an invalid proposal gives the
 * proposer `invalidPenalty` and the others 0; judge = 1 - 2|prediction - p|.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { Env, Seat, Viewer } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, decision } from '../../core/turns.ts';
import { countdown } from './countdown.ts';
import type { TaskFamily } from './family.ts';
import { modular } from './modular.ts';

export type { Checked, Proposal, TaskFamily } from './family.ts';

export const PROPOSER = 0;
export const SOLVER = 1;
export const JUDGE = 2;
const MAX_REPLY = 4096;

function paramsSchema(families: readonly TaskFamily[]) {
  const ids = families.map((f) => f.id);
  return z.strictObject({
    family: z
      .string()
      .refine((id) => ids.includes(id), { message: `family must be one of ${ids.join(', ')}` })
      .default(ids[0]!),
    solverAttempts: z.number().int().min(1).max(16).default(4),
    proposerReward: z.enum(['hardness', 'learnability', 'absolute-zero']).default('hardness'),
    invalidPenalty: z.number().min(-10).max(0).default(-1),
    judge: z.boolean().default(false),
    /** Retries for an invalid proposal or rating (solver attempts are never retried). */
    errorAllowance: z.number().int().min(0).max(3).default(0),
  });
}
export type ProposeSolveParams = z.infer<ReturnType<typeof paramsSchema>>;

const AttemptSchema = z.object({ answer: z.string(), correct: z.boolean(), usable: z.boolean() });

function stateSchema(families: readonly TaskFamily[]) {
  return z.object({
    params: paramsSchema(families),
    phase: z.enum(['propose', 'judge', 'solve', 'over']),
    task: z.unknown(),
    /** The proposer's solution: never shown to the solver, judge or spectator before the end. */
    proof: z.string().nullable(),
    invalidProposal: z.string().nullable(),
    /** Predicted successes out of 10, or 'invalid'. */
    rating: z.union([z.number().int().min(0).max(10), z.literal('invalid')]).nullable(),
    attempts: z.array(AttemptSchema),
    errors: z.number().int().min(0),
    rejected: z.object({ seat: z.number().int().min(0), reason: z.string() }).nullable(),
  });
}
export type ProposeSolveState = z.infer<ReturnType<typeof stateSchema>>;

const answerOf = (reply: string): string => {
  const all = [...reply.matchAll(/\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}/g)];
  return (all.length ? all[all.length - 1]![1]! : reply).trim();
};

export function successRate(s: ProposeSolveState): number {
  return s.attempts.filter((a) => a.correct).length / s.params.solverAttempts;
}

function proposerReturn(p: ProposeSolveParams, rate: number): number {
  if (p.proposerReward === 'learnability') return rate * (1 - rate);
  if (p.proposerReward === 'absolute-zero') return rate === 0 || rate === 1 ? 0 : 1 - rate;
  return 1 - rate;
}

function returnsOf(s: ProposeSolveState): readonly number[] {
  const n = s.params.judge ? 3 : 2;
  const out = new Array<number>(n).fill(0);
  if (s.phase !== 'over') return out;
  if (s.invalidProposal !== null) {
    out[PROPOSER] = s.params.invalidPenalty;
    return out;
  }
  const rate = successRate(s);
  out[SOLVER] = rate;
  out[PROPOSER] = proposerReturn(s.params, rate);
  if (s.params.judge) out[JUDGE] = s.rating === 'invalid' || s.rating === null ? -1 : 1 - 2 * Math.abs(s.rating / 10 - rate);
  return out;
}

const ROLE = ['proposer', 'solver', 'judge'] as const;

/**
 * Builds a propose-solve env over the given task families (the registered one has Countdown
 * and modular equations). The env key stays `propose-solve-v1`; register your own build under
 * your own registry if you add families.
 */
export function proposeSolveEnv(families: readonly TaskFamily[]): Env<ProposeSolveState, string, ProposeSolveParams> {
  const familyOf = (p: ProposeSolveParams): TaskFamily => families.find((f) => f.id === p.family)!;

  const rulesText =
    'Propose and solve, a verifiable role game. The proposer writes a task in a task family that is checked ' +
    'exactly, and must prove it solvable by giving a solution (hidden from the others). An optional judge predicts how many ' +
    'of 10 attempts the solver would get right. The solver answers in several independent attempts. The solver scores the ' +
    'share of correct attempts; the proposer scores for valid tasks the solver finds hard (by default 1 minus that share); ' +
    'an invalid task costs the proposer a penalty (-1 by default). Families: ' +
    families.map((f) => f.proposerBrief).join(' ');

  function rolePrompt(s: ProposeSolveState, seat: Seat): string {
    const family = familyOf(s.params);
    const k = s.params.solverAttempts;
    if (seat === PROPOSER) {
      return (
        `You are the proposer in a propose-and-solve game. Write one task that a solver must then solve in ${k} independent ` +
        `attempt${k > 1 ? 's' : ''}. Your score is high when your task is valid and the solver finds it hard ` +
        `(${s.params.proposerReward === 'learnability' ? 'highest when the solver succeeds about half the time' : 'the fewer correct attempts, the better'}); ` +
        `an invalid task scores ${s.params.invalidPenalty}.\n${family.proposerBrief}`
      );
    }
    if (seat === JUDGE) {
      return (
        'You are the judge in a propose-and-solve game. You see the proposed task (not its solution) and predict how many of ' +
        '10 attempts a solver would get right: answer \\boxed{k} with k from 0 to 10. Your score is 1 - 2 * |k/10 - the actual success rate|.'
      );
    }
    return `You are the solver in a propose-and-solve game. Solve the task; each attempt is scored on its own (1 if correct, else 0).\n${family.solverBrief}`;
  }

  function publicLines(s: ProposeSolveState, viewer: Viewer): string[] {
    const family = familyOf(s.params);
    const lines: string[] = [];
    if (s.invalidProposal !== null) lines.push(`The proposal was invalid: ${s.invalidProposal}.`);
    if (s.task !== null && s.task !== undefined) lines.push(`Task: ${family.taskText(s.task)}`);
    const over = s.phase === 'over';
    if (s.proof !== null && (viewer === PROPOSER || over)) lines.push(`The proposer's solution${over ? '' : ' (hidden from the others)'}: ${s.proof}`);
    if (s.rating !== null && (viewer === JUDGE || over))
      lines.push(`The judge predicted: ${s.rating === 'invalid' ? 'no valid prediction' : `${s.rating} of 10`}`);
    // Attempts are independent: the solver does not see its earlier ones until the end.
    if (viewer !== SOLVER || over) {
      s.attempts.forEach((a, i) =>
        lines.push(`Attempt ${i + 1}: ${a.usable ? (a.correct ? 'correct' : 'wrong') : 'unusable'}${over || viewer === PROPOSER ? ` (${a.answer})` : ''}`),
      );
    }
    return lines;
  }

  function statusLine(s: ProposeSolveState, viewer: Viewer): string {
    const rejected = s.rejected && s.rejected.seat === viewer ? `Your last reply was rejected: ${s.rejected.reason}. Try again. ` : '';
    if (s.phase === 'over') {
      const r = returnsOf(s);
      return `Game over. ${viewer === 'spectator' ? `Scores: ${r.map((x, i) => `${ROLE[i]} ${x}`).join(', ')}.` : `Your score: ${r[viewer]}.`}`;
    }
    const actor = s.phase === 'propose' ? PROPOSER : s.phase === 'judge' ? JUDGE : SOLVER;
    if (viewer !== actor) return `Waiting for the ${ROLE[actor]}.`;
    if (s.phase === 'propose') return `${rejected}Your turn: write your task.`;
    if (s.phase === 'judge') return `${rejected}Your turn: predict \\boxed{k}, the number of 10 attempts a solver would get right.`;
    return `Your turn: attempt ${s.attempts.length + 1} of ${s.params.solverAttempts}. Give your answer.`;
  }

  function observationText(s: ProposeSolveState, viewer: Viewer): string {
    const head = viewer === 'spectator' ? `Propose and solve, watched (family: ${s.params.family}).` : rolePrompt(s, viewer);
    const lines = publicLines(s, viewer);
    return [head, ...(lines.length ? ['', ...lines] : []), '', statusLine(s, viewer)].join('\n');
  }

  function afterProposal(s: ProposeSolveState): ProposeSolveState['phase'] {
    return s.params.judge ? 'judge' : 'solve';
  }

  function propose(s: ProposeSolveState, text: string) {
    const parsed = familyOf(s.params).parseProposal(answerOf(text));
    if (parsed.ok) {
      const state: ProposeSolveState = { ...s, phase: afterProposal(s), task: parsed.value.task, proof: parsed.value.proof, errors: 0, rejected: null };
      return { state, verdict: { kind: 'move' as const, summary: 'valid task' } };
    }
    if (s.errors < s.params.errorAllowance) {
      return {
        state: { ...s, errors: s.errors + 1, rejected: { seat: PROPOSER, reason: parsed.reason } },
        verdict: { kind: 'invalid' as const, code: 'invalid-proposal', reason: parsed.reason, final: false },
      };
    }
    return {
      state: { ...s, phase: 'over' as const, invalidProposal: parsed.reason, errors: 0, rejected: null },
      verdict: { kind: 'invalid' as const, code: 'invalid-proposal', reason: parsed.reason, final: true },
    };
  }

  function judgeStep(s: ProposeSolveState, text: string) {
    const m = /^(\d{1,2})(?:\s*\/\s*10)?$/.exec(answerOf(text));
    const k = m ? Number(m[1]) : NaN;
    if (k >= 0 && k <= 10)
      return { state: { ...s, phase: 'solve' as const, rating: k, errors: 0, rejected: null }, verdict: { kind: 'move' as const, summary: `rating ${k}` } };
    const reason = 'answer \\boxed{k} with a whole number k from 0 to 10';
    if (s.errors < s.params.errorAllowance) {
      return {
        state: { ...s, errors: s.errors + 1, rejected: { seat: JUDGE, reason } },
        verdict: { kind: 'invalid' as const, code: 'invalid-rating', reason, final: false },
      };
    }
    return {
      state: { ...s, phase: 'solve' as const, rating: 'invalid' as const, errors: 0, rejected: null },
      verdict: { kind: 'invalid' as const, code: 'invalid-rating', reason, final: true },
    };
  }

  function solve(s: ProposeSolveState, text: string) {
    const answer = answerOf(text);
    const check = familyOf(s.params).checkAnswer(s.task, answer);
    const attempts = [...s.attempts, { answer, correct: check.ok && check.value, usable: check.ok }];
    const state: ProposeSolveState = { ...s, attempts, phase: attempts.length >= s.params.solverAttempts ? 'over' : 'solve' };
    if (check.ok) return { state, verdict: { kind: 'move' as const, summary: check.value ? 'correct' : 'wrong' } };
    return { state, verdict: { kind: 'invalid' as const, code: 'unusable-answer', reason: check.reason, final: true } };
  }

  function sampleText(s: ProposeSolveState, _seat: Seat, rng: Rng, valid: boolean): string {
    const family = familyOf(s.params);
    if (s.phase === 'propose') return family.sampleProposal(rng, valid);
    if (s.phase === 'judge') return valid ? `I predict \\boxed{${rng.int(11)}}` : rng.pick(['\\boxed{eleven}', '\\boxed{42}', 'hard to say']);
    return family.sampleAnswer(s.task, s.proof!, rng, valid ? (rng.float() < 0.5 ? 'correct' : 'wrong') : 'unusable');
  }

  return defineEnv<ProposeSolveState, string, ProposeSolveParams>({
    spec: {
      id: 'propose-solve',
      version: 1,
      title: 'Propose and solve',
      dynamics: 'sequential',
      chance: 'deterministic',
      information: 'imperfect',
      utility: 'general-sum',
      rewardModel: 'terminal',
      players: { min: 2, max: 3 },
      paramsSchema: paramsSchema(families),
      actionSchema: z.string().max(MAX_REPLY),
      rulesText,
    },
    stateSchema: stateSchema(families) as z.ZodType<ProposeSolveState>,
    dims: (p) => ({
      numPlayers: p.judge ? 3 : 2,
      numDistinctActions: 0,
      maxChanceOutcomes: 0,
      observationShape: [8],
      maxGameLength: (p.errorAllowance + 1) * (p.judge ? 2 : 1) + p.solverAttempts,
      minUtility: Math.min(p.invalidPenalty, -1),
      maxUtility: 1,
      textActions: { maxChars: MAX_REPLY },
    }),
    init: (params) => ({ params, phase: 'propose', task: null, proof: null, invalidProposal: null, rating: null, attempts: [], errors: 0, rejected: null }),
    turn: (s) => (s.phase === 'over' ? TERMINAL : decision(s.phase === 'propose' ? PROPOSER : s.phase === 'judge' ? JUDGE : SOLVER)),
    legal: () => [],
    apply: (s) => s,
    applyText: (s, _seat, text) => (s.phase === 'propose' ? propose(s, text) : s.phase === 'judge' ? judgeStep(s, text) : solve(s, text)),
    sampleText,
    rolePrompt,
    returns: returnsOf,
    observationTensor(s, viewer) {
      const t = zeros(8);
      t[['propose', 'judge', 'solve', 'over'].indexOf(s.phase)] = 1;
      if (viewer !== 'spectator') t[4 + Math.min(viewer, 2)] = 1;
      if (viewer !== SOLVER || s.phase === 'over') t[7] = s.attempts.filter((a) => a.correct).length / s.params.solverAttempts;
      return t;
    },
    observationText,
    view: (s, viewer) => ({
      phase: s.phase,
      family: s.params.family,
      role: viewer === 'spectator' ? null : (ROLE[viewer] ?? null),
      task: s.task === null ? null : familyOf(s.params).taskText(s.task),
      proof: viewer === PROPOSER || s.phase === 'over' ? s.proof : null,
      invalidProposal: s.invalidProposal,
      rating: viewer === JUDGE || s.phase === 'over' ? s.rating : null,
      attempts: viewer === SOLVER && s.phase !== 'over' ? s.attempts.length : s.attempts.map((a) => ({ correct: a.correct, usable: a.usable })),
    }),
    actionText: (_s, actor, action) => `action ${action} of ${String(actor)}`,
    encodeAction: () => undefined,
    decodeAction: () => '',
    clone: (s) => structuredClone(s),
    resampleHidden(s, seat, rng) {
      if (s.phase === 'over') return s;
      let next = s;
      if (seat !== PROPOSER && s.proof !== null) next = { ...next, proof: familyOf(s.params).rewriteProof(s.proof, rng) };
      if (seat !== JUDGE && typeof s.rating === 'number') next = { ...next, rating: rng.int(11) };
      return next;
    },
  });
}

export const proposeSolve = proposeSolveEnv([countdown, modular]);
