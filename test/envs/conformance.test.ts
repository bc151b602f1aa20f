/**
 * Runs the shared conformance suite over every registered env, with the extra param sets
 * of conformance-params.ts and the golden playthroughs in test/envs/playthroughs/.
 */
import { listEnvs } from '../../envs/registry.ts';
import { describeConformance } from '../../envs/testing/conformance.ts';
import { CONFORMANCE_EPISODES, CONFORMANCE_PARAMS } from './conformance-params.ts';
import { playthroughSource, playthroughSteps, readPlaythrough } from './playthrough-files.ts';

for (const env of listEnvs()) {
  describeConformance(env, {
    params: CONFORMANCE_PARAMS[env.spec.id] ?? [],
    ...(CONFORMANCE_EPISODES[env.spec.id] ? { episodes: CONFORMANCE_EPISODES[env.spec.id] } : {}),
    playthrough: { expected: readPlaythrough(env.key), source: playthroughSource(env.key), maxSteps: playthroughSteps(env.spec.id) },
  });
}
