/**
 * Leak test (§8.13 item 8), the observation-side twin of OpenSpiel's ResampleFromInfostate
 * tests: a state resampled for a seat (`resampleHidden`) must look the same to that seat:
 * identical tensor, text, view and legal actions. A resample for any seat keeps all public
 * information, so before the end the spectator must see no difference on any seat's twin.
 */
import type { AnyEnv, Viewer } from '../core/env.ts';
import type { Rng } from '../core/rng.ts';
import { check, expectSame, fail, jsonRoundTrip, type Where } from './where.ts';

export interface LeakCheckOptions {
  /** Resamples drawn per seat at this state. */
  readonly twins: number;
  readonly rng: Rng;
}

function expectSameOutputs(env: AnyEnv, state: unknown, twin: unknown, viewer: Viewer, where: Where, twinOf: string): void {
  const tensor = Array.from(env.observationTensor(state, viewer));
  expectSame(
    Array.from(env.observationTensor(twin, viewer)),
    tensor,
    where,
    `the tensor differs on a state resampled for ${twinOf}: it leaks hidden information`,
  );
  const text = env.observationText(state, viewer);
  expectSame(env.observationText(twin, viewer), text, where, `the text differs on a state resampled for ${twinOf}: it leaks hidden information`);
  expectSame(env.view(twin, viewer), env.view(state, viewer), where, `the view differs on a state resampled for ${twinOf}: it leaks hidden information`);
}

export function checkNoLeak(env: AnyEnv, state: unknown, where: Where, options: LeakCheckOptions): void {
  const resample = env.resampleHidden;
  if (!resample) fail(where, 'checkNoLeak needs an env with resampleHidden');
  const numPlayers = env.dims((state as { params: unknown }).params).numPlayers;
  const isTerminal = env.turn(state).kind === 'terminal';
  for (let seat = 0; seat < numPlayers; seat++) {
    const at = { ...where, seat };
    for (let k = 0; k < options.twins; k++) {
      const twin = resample.call(env, state, seat, options.rng);
      check(typeof twin === 'object' && twin !== null, at, 'resampleHidden did not return a state');
      expectSame(env.deserialize(jsonRoundTrip(env.serialize(twin))), twin, at, 'the resampled state does not survive serialize/deserialize');
      expectSame(env.legalActions(twin, seat), env.legalActions(state, seat), at, 'legal actions differ on a state resampled for this seat');
      expectSameOutputs(env, state, twin, seat, at, 'this seat');
      if (env.rolePrompt)
        expectSame(
          env.rolePrompt(twin, seat),
          env.rolePrompt(state, seat),
          at,
          'rolePrompt differs on a state resampled for this seat: it leaks hidden information',
        );
      if (!isTerminal) expectSameOutputs(env, state, twin, 'spectator', { ...where, seat: 'spectator' }, `seat ${seat}`);
    }
  }
}
