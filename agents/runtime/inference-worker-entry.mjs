// Entry of an inference worker thread. Worker threads do not inherit the parent's module
// loaders, so tsx is registered here before the TypeScript worker module is imported.
import { register } from 'tsx/esm/api';

register();
await import('./inference-worker.ts');
