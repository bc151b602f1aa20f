/** Shared helpers for the runtime tests: seeded random observations and masks. */
import { Rng } from '../../../envs/index.ts';
import { selectBackend } from '../../../agents/runtime/backend.ts';

/** Selects the best available backend (wasm here, never a GPU) without logging. */
export const useBackend = () => selectBackend({ log: () => {} });

/** `batch` observations of 0/1 planes and masks with at least one legal action per row. */
export function randomBatch(seed: number, batch: number, observationSize: number, numActions: number) {
  const rng = new Rng(seed);
  const observations = new Float32Array(batch * observationSize);
  for (let i = 0; i < observations.length; i++) observations[i] = rng.int(2);
  const masks = new Uint8Array(batch * numActions);
  for (let row = 0; row < batch; row++) {
    for (let a = 0; a < numActions; a++) masks[row * numActions + a] = rng.int(3) === 0 ? 0 : 1;
    masks[row * numActions + rng.int(numActions)] = 1;
  }
  return { observations, masks };
}

export function thrownSync(body: () => unknown): { code?: string; message: string } {
  try {
    body();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}

export async function thrown(body: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await body();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}
