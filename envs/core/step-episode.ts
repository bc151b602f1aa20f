/**
 * The one walk over the Turn union that every loop playing an Episode shares: a chance node
 * is drawn from the episode's own seeded Rng, a decision asks `choose` for the acting seat, a
 * simultaneous step asks every acting seat in seat order and applies the joint action.
 * Answers may be promises (agents that think); synchronous answers are never awaited, so a
 * scripted match costs no microtask per step.
 */
import type { ActionId, AnyEnv, Seat } from './env.ts';
import type { Episode } from './episode.ts';

/** What one call did: the kind of transition, or nothing at a terminal state. */
export type StepKind = 'chance' | 'decision' | 'simultaneous' | 'terminal';

/** Called once every answer of a step is in, just before it is applied: the deciding seat, or null for a joint step. */
export type BeforeApply = (seat: Seat | null) => void;

/** Advances `episode` by one transition with synchronous answers. */
export function stepEpisode(episode: Episode, choose: (seat: Seat) => ActionId, beforeApply?: BeforeApply): StepKind;
/** Advances `episode` by one transition; a promise only when some answer was one. */
export function stepEpisode(episode: Episode, choose: (seat: Seat) => ActionId | Promise<ActionId>, beforeApply?: BeforeApply): StepKind | Promise<StepKind>;
export function stepEpisode(episode: Episode, choose: (seat: Seat) => ActionId | Promise<ActionId>, beforeApply?: BeforeApply): StepKind | Promise<StepKind> {
  const turn = episode.turn;
  if (turn.kind === 'terminal') return 'terminal';
  if (turn.kind === 'chance') {
    episode.resolveChance();
    return 'chance';
  }
  if (turn.kind === 'decision') {
    const answer = choose(turn.seat);
    const seat = turn.seat;
    const apply = (action: ActionId): StepKind => {
      beforeApply?.(seat);
      episode.step(seat, action);
      return 'decision';
    };
    return typeof answer === 'number' ? apply(answer) : answer.then(apply);
  }
  const joint: (ActionId | null)[] = new Array<ActionId | null>(episode.env.dims(episode.params).numPlayers).fill(null);
  const apply = (): StepKind => {
    beforeApply?.(null);
    episode.stepJoint(joint);
    return 'simultaneous';
  };
  const seats = turn.seats;
  // Synchronously while the answers are, then one await per answer that is a promise, in seat order.
  for (let i = 0; i < seats.length; i++) {
    const answer = choose(seats[i]!);
    if (typeof answer === 'number') {
      joint[seats[i]!] = answer;
      continue;
    }
    return (async () => {
      joint[seats[i]!] = await answer;
      for (let j = i + 1; j < seats.length; j++) joint[seats[j]!] = await choose(seats[j]!);
      return apply();
    })();
  }
  return apply();
}

/**
 * The same walk on a bare state, for loops too hot for an Episode (search rollouts): the next
 * state after one transition, or undefined at a terminal state. `chance` draws the outcome.
 */
export function stepState(env: AnyEnv, state: unknown, choose: (seat: Seat) => ActionId, chance: () => ActionId): unknown {
  const turn = env.turn(state);
  if (turn.kind === 'terminal') return undefined;
  if (turn.kind === 'decision') return env.apply(state, turn.seat, choose(turn.seat));
  if (turn.kind === 'chance') return env.apply(state, 'chance', chance());
  const joint: (ActionId | null)[] = new Array<ActionId | null>(env.dims((state as { params: unknown }).params).numPlayers).fill(null);
  for (const seat of turn.seats) joint[seat] = choose(seat);
  return env.applyJoint(state, joint);
}
