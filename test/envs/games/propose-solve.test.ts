import { expect } from 'chai';
import { describe, it } from 'mocha';
import { z } from 'zod';
import { Episode } from '../../../envs/core/episode.ts';
import { countdown } from '../../../envs/games/propose-solve/countdown.ts';
import { evaluate } from '../../../envs/games/propose-solve/expression.ts';
import { proposeSolve, proposeSolveEnv, type TaskFamily } from '../../../envs/games/propose-solve/index.ts';

const TASK = '\\boxed{numbers: 4, 7, 25, 50; target: 182; solution: (4 * 50) - 25 + 7}';

describe('propose-solve-v1', () => {
  it('evaluates Countdown expressions exactly and enforces the number rules', () => {
    expect(evaluate('(4 * 50) - 25 + 7')).to.deep.include({ ok: true, value: 182 });
    expect(evaluate('7 / 2')).to.deep.include({ ok: false, reason: '7 / 2 is not a whole number' });
    expect(evaluate('(1 +')).to.have.property('ok', false);
    const task = { numbers: [4, 7, 25, 50], target: 182 };
    expect(countdown.checkAnswer(task, '4 * 50 - 25 + 7')).to.deep.equal({ ok: true, value: true });
    expect(countdown.checkAnswer(task, '50 * 4 - 25 + 7 - 0')).to.deep.equal({ ok: false, reason: '0 is not one of the numbers left to use' });
    expect(countdown.checkAnswer(task, '50 + 50')).to.deep.equal({ ok: false, reason: '50 is not one of the numbers left to use' });
  });

  it('hides the proof from the solver, scores the solver by its share of correct attempts and the proposer by 1 - p', () => {
    const episode = new Episode(proposeSolve, { solverAttempts: 4 }, 0);
    expect(episode.stepText(0, `My task: ${TASK}`)).to.deep.equal({ kind: 'move', summary: 'valid task' });
    const solverView = proposeSolve.observationText(episode.state, 1);
    expect(solverView).to.include('Numbers: 4, 7, 25, 50. Target: 182.');
    expect(solverView).to.not.include('(4 * 50)');
    expect(proposeSolve.observationText(episode.state, 0)).to.include('(4 * 50) - 25 + 7');
    expect(episode.stepText(1, '\\boxed{50 * 4 - 25 + 7}')).to.deep.equal({ kind: 'move', summary: 'correct' });
    expect(episode.stepText(1, '\\boxed{50 + 25 + 7 + 4}')).to.deep.equal({ kind: 'move', summary: 'wrong' });
    expect(proposeSolve.observationText(episode.state, 1)).to.not.include('Attempt 1');
    expect(episode.stepText(1, 'no idea')).to.deep.include({ kind: 'invalid', code: 'unusable-answer', final: true });
    episode.stepText(1, '\\boxed{(50 - 25) * 7 + 4 + 3}');
    expect(episode.isTerminal).to.equal(true);
    expect(episode.returns).to.deep.equal([0.75, 0.25]);
  });

  it('penalises an invalid proposal, and offers learnability p(1 - p) and a judge scored against the outcome', () => {
    const invalid = new Episode(proposeSolve, { invalidPenalty: -2 }, 0);
    expect(invalid.stepText(0, '\\boxed{numbers: 4, 7, 25, 50; target: 183; solution: (4 * 50) - 25 + 7}')).to.deep.include({
      kind: 'invalid',
      code: 'invalid-proposal',
      reason: 'the solution does not reach the target 183',
      final: true,
    });
    expect(invalid.returns).to.deep.equal([-2, 0]);

    const judged = new Episode(proposeSolve, { judge: true, solverAttempts: 2, proposerReward: 'learnability' }, 0);
    judged.stepText(0, TASK);
    expect(judged.turn).to.deep.equal({ kind: 'decision', seat: 2 });
    expect(judged.stepText(2, 'I predict \\boxed{5}')).to.deep.equal({ kind: 'move', summary: 'rating 5' });
    judged.stepText(1, '\\boxed{4 * 50 - 25 + 7}');
    judged.stepText(1, '\\boxed{4 + 7}');
    expect(judged.returns).to.deep.equal([0.25, 0.5, 1]); // p = 0.5: p(1-p), p, judge exact
  });

  it('accepts user task families through the TaskFamily interface', () => {
    const parity: TaskFamily<{ n: number }> = {
      id: 'parity',
      taskSchema: z.object({ n: z.number().int() }),
      proposerBrief: 'Give n: <int>; solution: even|odd.',
      solverBrief: 'Answer even or odd.',
      parseProposal(answer) {
        const m = /n:\s*(\d+);\s*solution:\s*(even|odd)/.exec(answer);
        if (!m) return { ok: false, reason: 'bad format' };
        const n = Number(m[1]);
        return (n % 2 === 0) === (m[2] === 'even') ? { ok: true, value: { task: { n }, proof: m[2]! } } : { ok: false, reason: 'wrong parity' };
      },
      taskText: (t) => `Is ${t.n} even or odd?`,
      checkAnswer: (t, a) => (/^(even|odd)$/.test(a) ? { ok: true, value: (t.n % 2 === 0) === (a === 'even') } : { ok: false, reason: 'even or odd' }),
      rewriteProof: (p) => p,
      sampleProposal: (_rng, valid) => (valid ? 'n: 4; solution: even' : 'n: 4; solution: odd'),
      sampleAnswer: (_t, proof, _rng, kind) => (kind === 'correct' ? proof : kind === 'wrong' ? (proof === 'even' ? 'odd' : 'even') : 'maybe'),
    };
    const env = proposeSolveEnv([parity as TaskFamily]);
    const episode = new Episode(env, { solverAttempts: 1 }, 0);
    episode.stepText(0, 'n: 9; solution: odd');
    episode.stepText(1, 'odd');
    expect(episode.returns).to.deep.equal([0, 1]);
    expect(() => env.parseParams({ family: 'countdown' })).to.throw(/family must be one of parity/);
  });
});
