import { expect } from 'chai';
import { createAgent } from '../../../agents/registry.ts';
import { IsmctsAgent } from '../../../agents/scripted/ismcts-agent.ts';
import { RandomAgent } from '../../../agents/scripted/random-agent.ts';
import { getEnv, observe } from '../../../envs/index.ts';
import type { AnyEnv } from '../../../envs/index.ts';
import { headToHead, meanAndStandardError } from '../head-to-head.ts';

/** The state after the given chance outcomes and decisions, in order. */
function dealt(env: AnyEnv, steps: readonly number[]): { params: unknown } {
  let state = env.init(env.parseParams({}), 0);
  for (const step of steps) {
    const turn = env.turn(state);
    state = turn.kind === 'chance' ? env.apply(state, 'chance', step) : env.apply(state, (turn as { seat: number }).seat, step);
  }
  return state;
}

function decisions(env: AnyEnv, state: { params: unknown }, seat: number, seeds: number, sims: number): number[] {
  const agent = new IsmctsAgent(env, { sims });
  return Array.from({ length: seeds }, (_, seed) => {
    agent.reset(seat, seed);
    const request = { env, params: state.params, seat, stepIndex: 0, observation: observe(env, state, seat), deadline: Infinity };
    return agent.actFromState(request, state) as number;
  });
}

describe('agents/scripted/ismcts-agent', () => {
  const leduc = getEnv('leduc-poker-v1');

  it('beats random at leduc poker (mean > 3 standard errors above 0 over 400 hands, alternating seats)', async () => {
    const result = await headToHead(
      leduc,
      () => new IsmctsAgent(leduc, { sims: 100 }),
      () => new RandomAgent(),
      400,
      51,
    );
    const { mean, se } = meanAndStandardError(result.returns);
    expect(result.faults).to.equal(0);
    expect(mean).to.be.above(3 * se);
  });

  it("decides the same whatever the opponent's hidden card (it never peeks)", () => {
    // Seat 0 holds a queen (card 2); seat 1 holds a jack (0) in one deal and a king (4) in the
    // other. (A search of the true state, by contrast, chooses differently in these deals.)
    const againstJack = dealt(leduc, [2, 0]);
    const againstKing = dealt(leduc, [2, 4]);
    expect(decisions(leduc, againstJack, 0, 8, 200)).to.deep.equal(decisions(leduc, againstKing, 0, 8, 200));
    // Seat 1 to act after seat 0 raised, holding a king; seat 0 holds a jack or a queen.
    const afterRaiseJ = dealt(leduc, [0, 4, 2]);
    const afterRaiseQ = dealt(leduc, [2, 4, 2]);
    expect(decisions(leduc, afterRaiseJ, 1, 8, 200)).to.deep.equal(decisions(leduc, afterRaiseQ, 1, 8, 200));
  });

  it('never folds an unbeatable hand facing a raise', () => {
    // Seat 0 a queen (2), seat 1 a jack (0); round 1 check, check; public card the other jack (1);
    // seat 0 raises. Seat 1's pair of jacks beats every hand seat 0 can hold.
    const withPair = dealt(leduc, [2, 0, 1, 1, 1, 2]);
    const choices = decisions(leduc, withPair, 1, 6, 400);
    expect(choices).to.not.include(0);
  });

  it('repeats its moves for the same seed', async () => {
    const a = await headToHead(
      leduc,
      () => new IsmctsAgent(leduc, { sims: 30 }),
      () => new RandomAgent(),
      6,
      61,
    );
    const b = await headToHead(
      leduc,
      () => new IsmctsAgent(leduc, { sims: 30 }),
      () => new RandomAgent(),
      6,
      61,
    );
    expect(a.returns).to.deep.equal(b.returns);
  });

  it('plays perfect-information envs too (as plain MCTS)', async () => {
    const env = getEnv('tic-tac-toe-v1');
    const result = await headToHead(
      env,
      () => createAgent({ kind: 'ismcts', options: {} }, env),
      () => new RandomAgent(),
      20,
      71,
    );
    expect(result.faults).to.equal(0);
    expect(result.wins).to.be.at.least(15);
  });

  it('beats random at kuhn poker (mean > 3 standard errors above 0 over 2000 hands)', async function () {
    this.timeout(120_000);
    const kuhn = getEnv('kuhn-poker-v1');
    expect(kuhn.resampleHidden, 'without a resampler the search would see the true cards').to.be.a('function');
    const result = await headToHead(
      kuhn,
      () => new IsmctsAgent(kuhn, { sims: 100 }),
      () => new RandomAgent(),
      2000,
      81,
    );
    const { mean, se } = meanAndStandardError(result.returns);
    expect(result.faults).to.equal(0);
    expect(mean).to.be.above(3 * se);
  });
});
