/**
 * Traces recorded from overcooked_ai itself (HumanCompatibleAI/overcooked_ai@739950a, MIT):
 * `OvercookedGridworld.get_state_transition` under Python, driven by two of the reference's
 * GreedyHumanModel chefs with epsilon-random actions, on the five classic layouts with the
 * old and the new cooking rules. Test data only; see README (Overcooked) and NOTICE.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TraceItem {
  readonly name: string;
  readonly pos: [number, number];
  readonly ingredients?: string[];
  /** Soups: the reference's `_cooking_tick` (-1 idle). */
  readonly cookingTick?: number;
}
export interface TraceState {
  readonly timestep: number;
  readonly players: { pos: [number, number]; orientation: 'N' | 'S' | 'E' | 'W'; held: TraceItem | null }[];
  readonly objects: TraceItem[];
}
/** Non-zero cells of a lossless encoding: [x, y, channel, value]. */
export type SparseEncoding = [number, number, number, number][];

export interface OvercookedTraceStep {
  readonly actions: [number, number];
  readonly sparse: [number, number];
  readonly shaped: [number, number];
  readonly state: TraceState;
  /** Every 25th step: both players' lossless encodings and 96-value features. */
  readonly lossless?: [SparseEncoding, SparseEncoding];
  readonly features?: [number[], number[]];
}

export interface OvercookedTrace {
  readonly name: string;
  readonly layout: string;
  readonly oldDynamics: boolean;
  readonly shape: [number, number, number];
  readonly start: TraceState;
  readonly startLossless: [SparseEncoding, SparseEncoding];
  readonly startFeatures: [number[], number[]];
  readonly steps: OvercookedTraceStep[];
}

const FILE = new URL('./fixtures/overcooked-traces.json.gz', import.meta.url);

let cached: OvercookedTrace[] | undefined;

export function overcookedTraces(): OvercookedTrace[] {
  cached ??= (JSON.parse(gunzipSync(readFileSync(FILE)).toString('utf8')) as { traces: OvercookedTrace[] }).traces;
  return cached;
}
