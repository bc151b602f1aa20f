/**
 * Traces recorded from slimevolleygym itself (hardmaru/slimevolleygym, Apache-2.0): its
 * `Game` driven step by step under Python, with the launch velocities it drew written into
 * the params so our port serves the same balls. Test data only; see README (Slime volleyball).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface SlimeTraceStep {
  /** Action ids [left, right]. */
  readonly a: readonly [number, number];
  /** After the step: ball x y vx vy, left x y vx vy, right x y vx vy (world frame). */
  readonly s: readonly number[];
  readonly lives: readonly [number, number];
  /** The reference's reward for this step (right slime's view). */
  readonly r: number;
  /** Both slimes' getObservation() after the step (scoring steps and every 25th step). */
  readonly o?: readonly [readonly number[], readonly number[]];
}

export interface SlimeTrace {
  readonly name: string;
  readonly left: 'baseline' | 'random';
  readonly right: 'baseline' | 'random';
  readonly params: { maxSteps: number; lives: number; launchVelocities: number[] };
  readonly initial: { state: readonly number[]; obs: readonly [readonly number[], readonly number[]]; lives: readonly [number, number] };
  readonly steps: readonly SlimeTraceStep[];
  readonly final: { t: number; rightReturn: number };
}

const FILE = new URL('./fixtures/slime-volleyball-traces.json.gz', import.meta.url);

let cached: SlimeTrace[] | undefined;

export function slimeTraces(): SlimeTrace[] {
  cached ??= (JSON.parse(gunzipSync(readFileSync(FILE)).toString('utf8')) as { traces: SlimeTrace[] }).traces;
  return cached;
}
