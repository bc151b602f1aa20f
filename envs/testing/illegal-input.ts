/**
 * Illegal input at one state (§8.13 item 6): an out-of-mask or malformed id, the wrong seat,
 * the wrong node kind and any action at a terminal state all throw IllegalActionError with
 * the matching code.
 */
import { actingSeats, type ActionId, type AnyEnv, type EnvDims, type Seat, type Turn } from '../core/env.ts';
import { IllegalActionError, type IllegalActionCode } from '../core/errors.ts';
import { check, fail, type Where } from './where.ts';

function expectIllegal(where: Where, what: string, code: IllegalActionCode, attempt: () => unknown): void {
  try {
    attempt();
  } catch (error) {
    check(error instanceof IllegalActionError, where, () => `${what} threw ${String(error)}, not IllegalActionError('${code}')`);
    check(error.code === code, where, `${what} threw IllegalActionError('${error.code}'), expected '${code}'`);
    return;
  }
  fail(where, `${what} was accepted; it must throw IllegalActionError('${code}')`);
}

/** Ids that are not legal for this seat: the first free id in range, one past the range, malformed ones. */
function illegalIds(legal: readonly ActionId[], size: number): number[] {
  const taken = new Set(legal);
  let free = 0;
  while (free < size && taken.has(free)) free++;
  return [free, -1, 0.5, Number.NaN];
}

const nulls = (dims: EnvDims): (ActionId | null)[] => new Array<ActionId | null>(dims.numPlayers).fill(null);

export function checkIllegalInput(env: AnyEnv, state: unknown, where: Where): void {
  const dims = env.dims((state as { params: unknown }).params);
  const turn = env.turn(state);
  checkTextInput(env, state, dims, turn, where);
  if (turn.kind === 'terminal') {
    if (dims.numDistinctActions === 0) return;
    expectIllegal({ ...where, seat: 0 }, 'apply() at a terminal state', 'terminal', () => env.apply(state, 0, 0));
    expectIllegal({ ...where, seat: 'chance' }, 'a chance outcome at a terminal state', 'terminal', () => env.apply(state, 'chance', 0));
    expectIllegal(where, 'applyJoint() at a terminal state', 'terminal', () => env.applyJoint(state, nulls(dims)));
  } else if (turn.kind === 'chance') {
    checkChanceNode(env, state, dims, where);
  } else if (turn.kind === 'decision') {
    checkDecisionNode(env, state, dims, turn.seat, where);
  } else {
    checkSimultaneousNode(env, state, dims, turn, where);
  }
}

/** Text replies: out of turn, too long, at the wrong node, or to an env that does not judge text. */
function checkTextInput(env: AnyEnv, state: unknown, dims: EnvDims, turn: Turn, where: Where): void {
  const applyText = env.applyText?.bind(env);
  if (!applyText) return;
  const limits = dims.textActions;
  if (!limits) {
    expectIllegal(where, 'applyText() without dims.textActions', 'no-text-actions', () => applyText(state, 0, 'hello'));
    return;
  }
  if (turn.kind === 'terminal') {
    expectIllegal({ ...where, seat: 0 }, 'applyText() at a terminal state', 'terminal', () => applyText(state, 0, 'hello'));
  } else if (turn.kind !== 'decision') {
    expectIllegal({ ...where, seat: 0 }, `applyText() at a ${turn.kind} node`, 'wrong-node', () => applyText(state, 0, 'hello'));
  } else {
    const seat = turn.seat;
    expectIllegal({ ...where, seat }, 'an over-long text reply', 'text-too-long', () => applyText(state, seat, 'x'.repeat(limits.maxChars + 1)));
    const other = (seat + 1) % dims.numPlayers;
    if (other !== seat) expectIllegal({ ...where, seat: other }, `seat ${other} replying out of turn`, 'not-acting', () => applyText(state, other, 'hello'));
  }
}

function checkChanceNode(env: AnyEnv, state: unknown, dims: EnvDims, where: Where): void {
  const possible = env.chanceOutcomes(state).map((o) => o.action);
  for (const id of illegalIds(possible, dims.maxChanceOutcomes)) {
    expectIllegal({ ...where, seat: 'chance' }, `impossible chance outcome ${id}`, 'illegal', () => env.apply(state, 'chance', id));
  }
  expectIllegal({ ...where, seat: 0 }, 'a seat acting at a chance node', 'wrong-node', () => env.apply(state, 0, 0));
  expectIllegal(where, 'applyJoint() at a chance node', 'wrong-node', () => env.applyJoint(state, nulls(dims)));
}

function checkDecisionNode(env: AnyEnv, state: unknown, dims: EnvDims, seat: Seat, where: Where): void {
  const at = { ...where, seat };
  const legal = env.legalActions(state, seat);
  if (dims.numDistinctActions === 0) {
    expectIllegal(at, 'an action id in a text-only env', 'illegal', () => env.apply(state, seat, 0));
    return;
  }
  for (const id of illegalIds(legal, dims.numDistinctActions)) {
    expectIllegal(at, `illegal action ${id}`, 'illegal', () => env.apply(state, seat, id));
  }
  const first = legal[0] ?? 0;
  for (let other = 0; other < dims.numPlayers; other++) {
    if (other !== seat) expectIllegal({ ...where, seat: other }, `seat ${other} acting out of turn`, 'not-acting', () => env.apply(state, other, first));
  }
  expectIllegal(at, 'a chance outcome at a decision node', 'wrong-node', () => env.apply(state, 'chance', 0));
  const joint = nulls(dims);
  joint[seat] = first;
  expectIllegal(at, 'applyJoint() at a decision node', 'wrong-node', () => env.applyJoint(state, joint));
}

function checkSimultaneousNode(env: AnyEnv, state: unknown, dims: EnvDims, turn: Extract<Turn, { kind: 'simultaneous' }>, where: Where): void {
  const joint = nulls(dims);
  for (const seat of actingSeats(turn)) joint[seat] = env.legalActions(state, seat)[0] ?? 0;
  const seat = turn.seats[0]!;
  const at = { ...where, seat };
  expectIllegal(at, 'apply() at a simultaneous node', 'wrong-node', () => env.apply(state, seat, joint[seat]!));
  expectIllegal(where, 'applyJoint() with too few entries', 'illegal', () => env.applyJoint(state, joint.slice(1)));
  const missing = joint.slice();
  missing[seat] = null;
  expectIllegal(at, "applyJoint() without an acting seat's action", 'illegal', () => env.applyJoint(state, missing));
  for (const id of illegalIds(env.legalActions(state, seat), dims.numDistinctActions)) {
    const bad = joint.slice();
    bad[seat] = id;
    expectIllegal(at, `applyJoint() with illegal action ${id}`, 'illegal', () => env.applyJoint(state, bad));
  }
  const idle = joint.indexOf(null);
  if (idle >= 0) {
    const extra = joint.slice();
    extra[idle] = 0;
    expectIllegal({ ...where, seat: idle }, `applyJoint() with an action for idle seat ${idle}`, 'not-acting', () => env.applyJoint(state, extra));
  }
  expectIllegal(where, 'a chance outcome at a simultaneous node', 'wrong-node', () => env.apply(state, 'chance', 0));
}
