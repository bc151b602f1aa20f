/**
 * Test tooling for env authors (like pettingzoo.test): the conformance suite and its parts.
 * Importing this pulls in mocha and chai; production code never imports envs/testing.
 */
export { describeConformance, type ConformanceOptions } from './conformance.ts';
export { checkDims, checkEnd, checkInit, checkSpec } from './checks.ts';
export { checkState } from './state-checks.ts';
export { checkIllegalInput } from './illegal-input.ts';
export { checkNoLeak, type LeakCheckOptions } from './leak-test.ts';
export { deepFreeze } from './deep-freeze.ts';
export { randomPlayout, type PlayoutOptions, type PlayoutResult, type PlayoutVisit } from './random-playout.ts';
export {
  checkGoldenPlaythrough,
  firstDifference,
  renderPlaythrough,
  tensorText,
  type GoldenPlaythrough,
  type PlaythroughOptions,
} from './playthrough.ts';
export { describeWhere, type Where } from './where.ts';
