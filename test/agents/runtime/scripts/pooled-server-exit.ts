// Run by inference-pool.test.ts in a child process: a server answers one batch through a
// worker and is closed; the process must then end by itself (no handle left behind).
import { selectBackend } from '../../../../agents/runtime/backend.ts';
import { InferenceServer } from '../../../../agents/runtime/inference-server.ts';
import { createPolicyModel } from '../../../../agents/runtime/policy-model.ts';
import { getEnv } from '../../../../envs/index.ts';

await selectBackend({ log: () => {} });
const model = createPolicyModel(getEnv('connect-four-v1'), {}, { arch: { kind: 'mlp', hidden: [8] }, seed: 1 });
const server = new InferenceServer({ workers: 1, minPooledBatch: 4 });
server.register('c4', model);
const workers = await server.startWorkers();
const answers = await Promise.all(Array.from({ length: 8 }, () => server.infer('c4', new Float32Array(126), new Uint8Array(7).fill(1))));
const { pooledFlushes } = server.stats();
await server.close();
model.dispose();
console.log(JSON.stringify({ workers, answers: answers.length, pooledFlushes }));
