/**
 * Random legal games through the public Env API, as OpenSpiel's `benchmark_game` plays them:
 * at every decision, legal actions + checked apply + the observation tensor of the acting
 * seat, written into one buffer per game (`observationTensorInto`, as benchmark_game passes
 * a span to `ObservationTensor`); chance nodes sampled from `chanceOutcomes` and counted.
 */
import { Rng, sizeOf } from '../envs/index.ts';
import type { ActionId, AnyEnv } from '../envs/index.ts';

export interface RunResult {
  games: number;
  steps: number;
  decisionSteps: number;
  seconds: number;
}

function playRandom(env: AnyEnv, params: unknown, rng: Rng, counts: { steps: number; decisionSteps: number }): void {
  let state = env.init(params, rng.next());
  const dims = env.dims(params);
  const numPlayers = dims.numPlayers;
  const obs = new Float32Array(sizeOf(dims.observationShape));
  let sink = 0;
  for (;;) {
    const turn = env.turn(state);
    if (turn.kind === 'terminal') break;
    if (turn.kind === 'chance') {
      const outcomes = env.chanceOutcomes(state);
      let x = rng.float();
      let action = outcomes[outcomes.length - 1]!.action;
      for (const o of outcomes) {
        x -= o.probability;
        if (x < 0) {
          action = o.action;
          break;
        }
      }
      state = env.apply(state, 'chance', action);
      counts.steps++;
      continue;
    }
    if (turn.kind === 'decision') {
      const legal = env.legalActions(state, turn.seat);
      env.observationTensorInto(state, turn.seat, obs);
      sink += obs[0]!;
      state = env.apply(state, turn.seat, legal[rng.int(legal.length)]!);
    } else {
      const actions: (ActionId | null)[] = new Array(numPlayers).fill(null);
      for (const seat of turn.seats) {
        const legal = env.legalActions(state, seat);
        env.observationTensorInto(state, seat, obs);
        sink += obs[0]!;
        actions[seat] = legal[rng.int(legal.length)]!;
      }
      state = env.applyJoint(state, actions);
    }
    counts.steps++;
    counts.decisionSteps++;
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the tensor work observable
}

export function run(env: AnyEnv, seconds: number, seed: number): RunResult {
  const params = env.parseParams({});
  const rng = new Rng(seed);
  const counts = { steps: 0, decisionSteps: 0 };
  let games = 0;
  const started = performance.now();
  const budget = seconds * 1000;
  while (performance.now() - started < budget) {
    for (let i = 0; i < 256; i++) playRandom(env, params, rng, counts);
    games += 256;
  }
  return { games, ...counts, seconds: (performance.now() - started) / 1000 };
}
