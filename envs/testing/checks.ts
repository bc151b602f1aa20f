/**
 * Conformance checks on the static parts of an env (spec, dims, init) and on a finished
 * playout (returns, utility type, rewards, length). Per-state checks are in state-checks.ts.
 */
import type { AnyEnv, EnvDims } from '../core/env.ts';
import { BadParamsError } from '../core/errors.ts';
import { deepFreeze } from './deep-freeze.ts';
import type { PlayoutResult } from './random-playout.ts';
import { check, expectSame, fail, type Where } from './where.ts';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DYNAMICS = ['sequential', 'simultaneous'];
const CHANCE_KINDS = ['deterministic', 'explicit', 'sampled'];
const INFORMATION = ['perfect', 'imperfect'];
const UTILITIES = ['zero-sum', 'constant-sum', 'general-sum', 'identical'];
const REWARD_MODELS = ['terminal', 'stepwise'];
/** Tolerance for sums of utilities and probabilities. */
export const EPSILON = 1e-9;

const isPositiveInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x > 0;
const isNonNegativeInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export function checkSpec(env: AnyEnv): void {
  const { spec } = env;
  const where: Where = { key: env.key, params: {} };
  check(KEBAB.test(spec.id), where, `spec.id "${spec.id}" is not kebab-case`);
  check(isPositiveInt(spec.version), where, `spec.version ${spec.version} is not a positive integer`);
  check(env.key === `${spec.id}-v${spec.version}`, where, `key "${env.key}" is not "<id>-v<version>"`);
  check(typeof spec.title === 'string' && spec.title.trim() !== '', where, 'spec.title is empty');
  check(typeof spec.rulesText === 'string' && spec.rulesText.trim() !== '', where, 'spec.rulesText is empty');
  check(DYNAMICS.includes(spec.dynamics), where, `spec.dynamics "${spec.dynamics}" is not one of ${DYNAMICS.join(', ')}`);
  check(CHANCE_KINDS.includes(spec.chance), where, `spec.chance "${spec.chance}" is not one of ${CHANCE_KINDS.join(', ')}`);
  check(INFORMATION.includes(spec.information), where, `spec.information "${spec.information}" is not one of ${INFORMATION.join(', ')}`);
  check(UTILITIES.includes(spec.utility), where, `spec.utility "${spec.utility}" is not one of ${UTILITIES.join(', ')}`);
  check(REWARD_MODELS.includes(spec.rewardModel), where, `spec.rewardModel "${spec.rewardModel}" is not one of ${REWARD_MODELS.join(', ')}`);
  const { min, max } = spec.players;
  check(isPositiveInt(min) && isPositiveInt(max) && min <= max, where, `spec.players {min: ${min}, max: ${max}} is not 1 <= min <= max`);
  const parsed = spec.paramsSchema.safeParse({});
  check(parsed.success, where, 'spec.paramsSchema does not parse {}: every param needs a default');
  expectSame(env.parseParams(), parsed.data, where, 'parseParams() differs from paramsSchema.parse({})');
  checkStrictParams(env, where);
  try {
    env.parseParams(42);
  } catch (error) {
    check(error instanceof BadParamsError && error.code === 'bad-params', where, `parseParams(42) threw ${String(error)}, not BadParamsError('bad-params')`);
    return;
  }
  fail(where, 'parseParams(42) was accepted: bad params must throw BadParamsError');
}

/** A misspelled param is an error naming it and the known params, never silently dropped. */
function checkStrictParams(env: AnyEnv, where: Where): void {
  const known = Object.keys(env.parseParams() as object);
  try {
    env.parseParams({ notAParam: 1 });
  } catch (error) {
    check(
      error instanceof BadParamsError && error.code === 'bad-params',
      where,
      `parseParams({notAParam: 1}) threw ${String(error)}, not BadParamsError('bad-params')`,
    );
    const message = (error as Error).message;
    check(message.includes('"notAParam"'), where, `the unknown-param error does not name the key: ${message}`);
    for (const name of known) check(message.includes(name), where, `the unknown-param error does not list the known param "${name}": ${message}`);
    return;
  }
  fail(where, 'parseParams({notAParam: 1}) was accepted: unknown params must throw BadParamsError');
}

export function checkDims(env: AnyEnv, params: unknown, where: Where): EnvDims {
  const dims = env.dims(params);
  const { spec } = env;
  const { numPlayers, numDistinctActions, maxChanceOutcomes, observationShape, maxGameLength } = dims;
  check(
    isPositiveInt(numPlayers) && numPlayers >= spec.players.min && numPlayers <= spec.players.max,
    where,
    `numPlayers ${numPlayers} is outside spec.players [${spec.players.min}, ${spec.players.max}]`,
  );
  const text = dims.textActions;
  if (text !== undefined) {
    check(isPositiveInt(text.maxChars), where, `textActions.maxChars ${text.maxChars} is not a positive integer`);
    check(typeof env.applyText === 'function', where, 'dims.textActions is set but the env has no applyText');
  }
  check(
    isPositiveInt(numDistinctActions) || (text !== undefined && numDistinctActions === 0),
    where,
    `numDistinctActions ${numDistinctActions} is not a positive integer (0 is allowed only for text envs)`,
  );
  if (dims.utility !== undefined) check(UTILITIES.includes(dims.utility), where, `dims.utility "${dims.utility}" is not one of ${UTILITIES.join(', ')}`);
  const utility = dims.utility ?? spec.utility;
  check(isNonNegativeInt(maxChanceOutcomes), where, `maxChanceOutcomes ${maxChanceOutcomes} is not a non-negative integer`);
  check(spec.chance !== 'explicit' || maxChanceOutcomes > 0, where, 'an explicit-chance env needs maxChanceOutcomes > 0');
  check(spec.chance !== 'deterministic' || maxChanceOutcomes === 0, where, 'a deterministic env must have maxChanceOutcomes = 0');
  check(
    Array.isArray(observationShape) && observationShape.length > 0 && observationShape.every(isPositiveInt),
    where,
    `observationShape ${JSON.stringify(observationShape)} is not a non-empty list of positive integers`,
  );
  check(isPositiveInt(maxGameLength), where, `maxGameLength ${maxGameLength} is not a positive integer`);
  check(
    Number.isFinite(dims.minUtility) && Number.isFinite(dims.maxUtility) && dims.minUtility < dims.maxUtility,
    where,
    `utility range [${dims.minUtility}, ${dims.maxUtility}] is not finite with min < max`,
  );
  if (utility === 'zero-sum') check(dims.utilitySum === 0, where, `a zero-sum env needs utilitySum = 0, got ${dims.utilitySum}`);
  if (utility === 'constant-sum') {
    check(typeof dims.utilitySum === 'number' && Number.isFinite(dims.utilitySum), where, 'a constant-sum env needs a finite utilitySum');
  }
  checkTeams(dims, where);
  checkRealtime(env, dims, where);
  expectSame(env.dims(env.parseParams(params)), dims, where, 'dims() of equal params differ');
  return dims;
}

/** `dims.teams`: one team id per seat, ids 0..k-1 with none skipped. */
function checkTeams(dims: EnvDims, where: Where): void {
  const { teams } = dims;
  if (teams === undefined) return;
  check(
    Array.isArray(teams) && teams.length === dims.numPlayers && teams.every(isNonNegativeInt),
    where,
    `teams ${JSON.stringify(teams)} is not one non-negative integer team id per seat (${dims.numPlayers} seats)`,
  );
  const ids = new Set(teams);
  check(ids.size >= 1 && [...ids].every((id) => id < ids.size), where, `team ids ${JSON.stringify(teams)} skip a number: use 0..k-1`);
}

/** `dims.realtime`: a positive tick rate, an input mode and one default action id per seat. */
function checkRealtime(env: AnyEnv, dims: EnvDims, where: Where): void {
  const { realtime } = dims;
  if (realtime === undefined) return;
  check(env.spec.dynamics === 'simultaneous', where, 'a real-time env must have spec.dynamics "simultaneous"');
  check(Number.isFinite(realtime.tickHz) && realtime.tickHz > 0, where, `realtime.tickHz ${realtime.tickHz} is not a positive number`);
  check(realtime.input === 'held' || realtime.input === 'consumed', where, `realtime.input "${String(realtime.input)}" is not "held" or "consumed"`);
  const defaults = realtime.defaultActions;
  check(
    Array.isArray(defaults) && defaults.length === dims.numPlayers && defaults.every((a) => isNonNegativeInt(a) && a < dims.numDistinctActions),
    where,
    `realtime.defaultActions ${JSON.stringify(defaults)} is not one action id in [0, numDistinctActions) per seat`,
  );
}

export function checkInit(env: AnyEnv, params: unknown, where: Where): void {
  const frozenParams = deepFreeze(structuredClone(params));
  const a = env.init(frozenParams, 7);
  expectSame(env.init(frozenParams, 7), a, where, 'init(params, 7) differs between two calls');
  expectSame(a.params, params, where, 'the initial state does not carry its params');
  if (env.spec.chance !== 'sampled') {
    expectSame(
      env.init(frozenParams, 1),
      env.init(frozenParams, 2),
      where,
      `init depends on the seed, but spec.chance is "${env.spec.chance}" (only sampled envs may use it)`,
    );
  }
}

/** Returns, utility type, rewards and length of a finished playout. */
export function checkEnd(env: AnyEnv, result: PlayoutResult, dims: EnvDims, where: Where): void {
  const returns = result.episode.returns;
  returns.forEach((r, seat) =>
    check(
      r >= dims.minUtility - EPSILON && r <= dims.maxUtility + EPSILON,
      { ...where, seat },
      `final return ${r} is outside [minUtility, maxUtility] = [${dims.minUtility}, ${dims.maxUtility}]`,
    ),
  );
  const sum = returns.reduce((a, b) => a + b, 0);
  const utility = dims.utility ?? env.spec.utility;
  if (utility === 'zero-sum') check(Math.abs(sum) <= EPSILON, where, `zero-sum returns ${returns.join(', ')} sum to ${sum}`);
  if (utility === 'constant-sum') {
    check(Math.abs(sum - (dims.utilitySum ?? NaN)) <= EPSILON, where, `constant-sum returns ${returns.join(', ')} sum to ${sum}, not ${dims.utilitySum}`);
  }
  if (utility === 'identical')
    check(
      returns.every((r) => r === returns[0]),
      where,
      `identical-utility returns differ: ${returns.join(', ')}`,
    );
  result.rewardSums.forEach((total, seat) =>
    check(Math.abs(total - (returns[seat] ?? NaN)) <= EPSILON, { ...where, seat }, `summed rewards ${total} differ from the return ${returns[seat]}`),
  );
  check(result.length <= dims.maxGameLength, where, `length ${result.length} exceeds maxGameLength ${dims.maxGameLength}`);
  if (result.episode.isTruncated) {
    check(result.length === dims.maxGameLength, where, `the episode is truncated after ${result.length} steps, not at maxGameLength ${dims.maxGameLength}`);
  }
}
