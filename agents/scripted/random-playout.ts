/**
 * Uniformly random play to the end of the episode from a state, and the chance and
 * joint-action samplers it shares with tree search. The hot loop of MCTS: no JSON, no cloning.
 */
import { stepState } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Rng, Seat } from '../../envs/index.ts';

/** An outcome drawn from `chanceOutcomes` by probability. */
export function sampleChance(env: AnyEnv, state: unknown, rng: Rng): ActionId {
  const outcomes = env.chanceOutcomes(state);
  let x = rng.float();
  for (const outcome of outcomes) {
    x -= outcome.probability;
    if (x < 0) return outcome.action;
  }
  const last = outcomes[outcomes.length - 1];
  if (!last) throw new RangeError(`${env.key}: chance node without outcomes`);
  return last.action; // rounding left a sliver of probability
}

export function randomLegal(env: AnyEnv, state: unknown, seat: Seat, rng: Rng): ActionId {
  const legal = env.legalActions(state, seat);
  if (legal.length === 0) throw new RangeError(`${env.key}: seat ${seat} must act but has no legal action`);
  return legal[rng.int(legal.length)]!;
}

/** Plays uniformly random moves (and samples chance) to the end; returns the final returns. */
export function randomPlayout(env: AnyEnv, start: unknown, rng: Rng): readonly number[] {
  let state = start;
  // Made once: the hot loop allocates no closure per step.
  const choose = (seat: Seat): ActionId => randomLegal(env, state, seat, rng);
  const chance = (): ActionId => sampleChance(env, state, rng);
  for (;;) {
    const next = stepState(env, state, choose, chance);
    if (next === undefined) return env.returns(state);
    state = next;
  }
}
