/**
 * Per-viewer outputs (tensor, text, view) and the state's JSON forms (serialize,
 * deserialize, clone) at one state.
 */
import type { AnyEnv, EnvDims, Viewer } from '../core/env.ts';
import { sizeOf } from '../core/tensor.ts';
import { check, expectSame, jsonRoundTrip, type Where } from './where.ts';

/** Every seat, then the spectator. */
export function viewersOf(dims: EnvDims): Viewer[] {
  return [...Array.from({ length: dims.numPlayers }, (_, seat) => seat), 'spectator'];
}

export function checkObservations(env: AnyEnv, state: unknown, dims: EnvDims, where: Where): void {
  const size = sizeOf(dims.observationShape);
  for (const viewer of viewersOf(dims)) {
    const at = { ...where, seat: viewer };
    const tensor = env.observationTensor(state, viewer);
    check(tensor instanceof Float32Array, at, 'observationTensor did not return a Float32Array');
    check(tensor.length === size, at, () => `tensor length ${tensor.length} is not prod(${JSON.stringify(dims.observationShape)}) = ${size}`);
    const bad = tensor.findIndex((x) => !Number.isFinite(x));
    check(bad < 0, at, () => `tensor[${bad}] = ${tensor[bad]} is not finite`);
    // The fast path writes the same values, over whatever the buffer held before.
    const into = new Float32Array(size).fill(7);
    env.observationTensorInto(state, viewer, into);
    check(
      into.every((x, i) => Object.is(x, tensor[i])),
      at,
      'observationTensorInto differs from observationTensor',
    );
    const text = env.observationText(state, viewer);
    check(typeof text === 'string' && text.trim() !== '', at, 'observationText is empty');
    const view = env.view(state, viewer);
    expectSame(jsonRoundTrip(view), view, at, 'view is not plain JSON (JSON round trip differs)');
    if (viewer !== 'spectator') checkRolePrompt(env, state, dims, viewer, at);
  }
}

/** Text-only envs brief every seat's role in a system-prompt-ready text. */
function checkRolePrompt(env: AnyEnv, state: unknown, dims: EnvDims, seat: number, at: Where): void {
  const textOnly = dims.textActions !== undefined && dims.numDistinctActions === 0;
  if (!env.rolePrompt) {
    check(!textOnly, at, 'a text-only env needs rolePrompt(state, seat)');
    return;
  }
  const prompt = env.rolePrompt(state, seat);
  check(typeof prompt === 'string' && prompt.trim() !== '', at, 'rolePrompt is empty');
}

export function checkSerialization(env: AnyEnv, state: unknown, where: Where): void {
  expectSame(jsonRoundTrip(state), state, where, 'the state is not plain JSON (JSON round trip differs)');
  const data = env.serialize(state);
  const wire = jsonRoundTrip(data);
  expectSame(wire, data, where, 'serialize() is not plain JSON');
  expectSame(env.deserialize(wire), state, where, 'deserialize(JSON of serialize(state)) differs from the state');
  expectSame(env.clone(state), state, where, 'clone(state) differs from the state');
}
