/**
 * The one walk over the Turn union that every loop playing an Episode shares: a chance node
 * is drawn from the episode's own seeded Rng, a decision asks `choose` for the acting seat, a
 * simultaneous step asks every acting seat in seat order and applies the joint action.
 * Answers may be promises (agents that think); synchronous answers are never awaited, so a
 * scripted match costs no microtask per step. A decision may be answered with free text
 * (`{ text }`, for envs that judge text): it is stepped with `Episode.stepText`.
 */
import type { ActionId, AnyEnv, Seat } from './env.ts';
import type { Episode } from './episode.ts';
import { IllegalActionError } from './errors.ts';
import { isTextAnswer, type Answer } from './text-moves.ts';

/** What one call did: the kind of transition, or nothing at a terminal state. */
export type StepKind = 'chance' | 'decision' | 'simultaneous' | 'terminal';

/** Called once every answer of a step is in, just before it is applied: the deciding seat, or null for a joint step. */
export type BeforeApply = (seat: Seat | null) => void;

/** Advances `episode` by one transition with synchronous answers. */
export function stepEpisode(episode: Episode, choose: (seat: Seat) => Answer, beforeApply?: BeforeApply): StepKind;
/** Advances `episode` by one transition; a promise only when some answer was one. */
export function stepEpisode(episode: Episode, choose: (seat: Seat) => Answer | Promise<Answer>, beforeApply?: BeforeApply): StepKind | Promise<StepKind>;
export function stepEpisode(episode: Episode, choose: (seat: Seat) => Answer | Promise<Answer>, beforeApply?: BeforeApply): StepKind | Promise<StepKind> {
  const turn = episode.turn;
  if (turn.kind === 'terminal') return 'terminal';
  if (turn.kind === 'chance') {
    episode.resolveChance();
    return 'chance';
  }
  if (turn.kind === 'decision') {
    const answer = choose(turn.seat);
    const seat = turn.seat;
    const apply = (given: Answer): StepKind => {
      beforeApply?.(seat);
      if (typeof given === 'number') episode.step(seat, given);
      else episode.stepText(seat, given.text);
      return 'decision';
    };
    return typeof answer === 'number' || isTextAnswer(answer) ? apply(answer) : answer.then(apply);
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
    if (typeof answer === 'number' || isTextAnswer(answer)) {
      joint[seats[i]!] = jointAction(answer);
      continue;
    }
    return (async () => {
      joint[seats[i]!] = jointAction(await answer);
      for (let j = i + 1; j < seats.length; j++) joint[seats[j]!] = jointAction(await choose(seats[j]!));
      return apply();
    })();
  }
  return apply();
}

/** Simultaneous steps take action ids only: every env that judges text moves one seat at a time. */
function jointAction(answer: Answer): ActionId {
  if (typeof answer === 'number') return answer;
  throw new IllegalActionError('wrong-node', 'a text reply at a simultaneous step', 'text replies answer decision nodes; answer with an action id');
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
