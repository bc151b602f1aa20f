/**
 * The invariants every state must keep, terminal states included (§8.13 item 4): turn kind,
 * legal actions and masks, chance outcomes, action forms, observations, serialization
 * and returns.
 */
import { actingSeats, type AnyEnv, type EnvDims, type Turn } from '../core/env.ts';
import { checkActionForms, checkChanceTexts } from './action-checks.ts';
import { EPSILON } from './checks.ts';
import { checkObservations, checkSerialization } from './observation-checks.ts';
import { check, type Where } from './where.ts';

/** Above this many action ids, isLegal is probed on a sample instead of every id. */
const FULL_PROBE_LIMIT = 4096;

const isIndex = (x: unknown, size: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < size;

export function checkState(env: AnyEnv, state: unknown, where: Where): void {
  const dims = env.dims((state as { params: unknown }).params);
  const turn = env.turn(state);
  checkTurn(env, dims, turn, where);
  for (let seat = 0; seat < dims.numPlayers; seat++) checkLegal(env, state, dims, turn, { ...where, seat });
  checkChance(env, state, dims, turn, where);
  checkObservations(env, state, dims, where);
  checkSerialization(env, state, where);
  checkReturns(env, state, dims, turn, where);
  checkTeamReturns(env, state, dims, where);
  checkDefaultActions(env, state, dims, turn, where);
  checkTruncation(env, state, turn, where);
}

/** Teammates share returns at every state. */
function checkTeamReturns(env: AnyEnv, state: unknown, dims: EnvDims, where: Where): void {
  if (!dims.teams) return;
  const returns = env.returns(state);
  for (let seat = 0; seat < dims.numPlayers; seat++) {
    const first = dims.teams.indexOf(dims.teams[seat]!);
    check(
      returns[seat] === returns[first],
      { ...where, seat },
      () => `seat ${seat} has return ${returns[seat]}, its teammate seat ${first} ${returns[first]}: team members share returns`,
    );
  }
}

/** A real-time env's default ("no input") action is legal for every acting seat. */
function checkDefaultActions(env: AnyEnv, state: unknown, dims: EnvDims, turn: Turn, where: Where): void {
  if (!dims.realtime) return;
  for (const seat of actingSeats(turn)) {
    const action = dims.realtime.defaultActions[seat];
    check(action !== undefined && env.isLegal(state, seat, action), { ...where, seat }, () => `the default action ${action} is not legal for the acting seat`);
  }
}

/** Only terminal states can be truncated. */
function checkTruncation(env: AnyEnv, state: unknown, turn: Turn, where: Where): void {
  if (!env.isTruncated) return;
  const truncated = env.isTruncated(state);
  check(typeof truncated === 'boolean', where, () => `isTruncated returned ${String(truncated)}, not a boolean`);
  if (turn.kind !== 'terminal') check(!truncated, where, 'isTruncated is true at a state that is not terminal');
}

function checkTurn(env: AnyEnv, dims: EnvDims, turn: Turn, where: Where): void {
  const { spec } = env;
  if (turn.kind === 'decision') {
    check(isIndex(turn.seat, dims.numPlayers), where, () => `decision seat ${turn.seat} is not in [0, ${dims.numPlayers})`);
  } else if (turn.kind === 'simultaneous') {
    check(spec.dynamics === 'simultaneous', where, 'a simultaneous node in an env whose spec.dynamics is "sequential"');
    const { seats } = turn;
    check(
      seats.length > 0 && seats.every((s, i) => isIndex(s, dims.numPlayers) && (i === 0 || s > seats[i - 1]!)),
      where,
      `simultaneous seats ${JSON.stringify(seats)} are not a non-empty ascending list of seats`,
    );
  } else if (turn.kind === 'chance') {
    check(spec.chance !== 'deterministic', where, 'a chance node in an env whose spec.chance is "deterministic"');
  } else {
    check(turn.kind === 'terminal', where, `unknown turn kind ${JSON.stringify(turn)}`);
  }
}

function probeIds(size: number): number[] {
  if (size <= FULL_PROBE_LIMIT) return Array.from({ length: size }, (_, i) => i);
  const step = Math.ceil(size / FULL_PROBE_LIMIT);
  return Array.from({ length: Math.ceil(size / step) }, (_, i) => i * step).concat(size - 1);
}

function checkLegal(env: AnyEnv, state: unknown, dims: EnvDims, turn: Turn, where: Where): void {
  const seat = where.seat as number;
  const legal = env.legalActions(state, seat);
  const nda = dims.numDistinctActions;
  const acting = actingSeats(turn).includes(seat);
  check(Array.isArray(legal), where, 'legalActions did not return an array');
  if (acting) {
    check(legal.length > 0 || (nda === 0 && dims.textActions !== undefined), where, 'an acting seat has no legal action');
    legal.forEach((a, i) =>
      check(
        isIndex(a, nda) && (i === 0 || a > legal[i - 1]!),
        where,
        () => `legal actions ${JSON.stringify(legal)} are not strictly ascending ids in [0, ${nda})`,
      ),
    );
  } else {
    check(legal.length === 0, where, () => `seat is not acting (${turn.kind}) but has legal actions ${JSON.stringify(legal)}`);
  }
  const mask = env.legalMask(state, seat);
  check(mask instanceof Uint8Array && mask.length === nda, where, () => `legalMask is not a Uint8Array of length numDistinctActions = ${nda}`);
  const legalSet = new Set(legal);
  for (const a of probeIds(nda)) {
    const expected = legalSet.has(a);
    check(mask[a] === (expected ? 1 : 0), where, () => `legalMask[${a}] = ${mask[a]} but the action is ${expected ? '' : 'not '}in legalActions`);
    check(env.isLegal(state, seat, a) === expected, where, () => `isLegal(${a}) = ${!expected} disagrees with legalActions`);
  }
  for (const bad of [-1, nda, 0.5, Number.NaN]) check(!env.isLegal(state, seat, bad), where, () => `isLegal(${bad}) is true`);
  if (acting && legal.length > 0) checkActionForms(env, state, seat, legal, where);
}

function checkChance(env: AnyEnv, state: unknown, dims: EnvDims, turn: Turn, where: Where): void {
  const outcomes = env.chanceOutcomes(state);
  const at = { ...where, seat: 'chance' as const };
  if (turn.kind !== 'chance') {
    check(outcomes.length === 0, at, () => `chanceOutcomes is not empty at a ${turn.kind} node`);
    return;
  }
  check(outcomes.length > 0, at, 'a chance node has no outcomes');
  const seen = new Set<number>();
  let total = 0;
  for (const { action, probability } of outcomes) {
    check(isIndex(action, dims.maxChanceOutcomes), at, () => `chance outcome ${action} is not in [0, maxChanceOutcomes = ${dims.maxChanceOutcomes})`);
    check(!seen.has(action), at, () => `chance outcome ${action} is listed twice`);
    check(Number.isFinite(probability) && probability > 0, at, () => `chance outcome ${action} has probability ${probability}`);
    seen.add(action);
    total += probability;
  }
  check(Math.abs(total - 1) <= EPSILON, at, () => `chance probabilities sum to ${total}, not 1`);
  checkChanceTexts(
    env,
    state,
    outcomes.map((o) => o.action),
    at,
  );
}

function checkReturns(env: AnyEnv, state: unknown, dims: EnvDims, turn: Turn, where: Where): void {
  const returns = env.returns(state);
  check(
    Array.isArray(returns) && returns.length === dims.numPlayers && returns.every(Number.isFinite),
    where,
    () => `returns ${JSON.stringify(returns)} are not ${dims.numPlayers} finite numbers`,
  );
  if (env.spec.rewardModel === 'terminal' && turn.kind !== 'terminal') {
    check(
      returns.every((r) => r === 0),
      where,
      () => `rewardModel is "terminal" but returns are ${returns.join(', ')} before the end`,
    );
  }
}
