/**
 * Uniformly random play to the end of the episode from a state, and the chance and
 * joint-action samplers it shares with tree search. The hot loop of MCTS: no JSON, no cloning.
 */
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

/** A uniformly random legal action for each acting seat, null for the others. */
export function randomJoint(env: AnyEnv, state: { params: unknown }, seats: readonly Seat[], rng: Rng): (ActionId | null)[] {
  const joint: (ActionId | null)[] = new Array(env.dims(state.params).numPlayers).fill(null);
  for (const seat of seats) joint[seat] = randomLegal(env, state, seat, rng);
  return joint;
}

/** Plays uniformly random moves (and samples chance) to the end; returns the final returns. */
export function randomPlayout(env: AnyEnv, start: unknown, rng: Rng): readonly number[] {
  let state = start as { params: unknown };
  for (;;) {
    const turn = env.turn(state);
    if (turn.kind === 'terminal') return env.returns(state);
    if (turn.kind === 'decision') state = env.apply(state, turn.seat, randomLegal(env, state, turn.seat, rng));
    else if (turn.kind === 'chance') state = env.apply(state, 'chance', sampleChance(env, state, rng));
    else state = env.applyJoint(state, randomJoint(env, state, turn.seats, rng));
  }
}
