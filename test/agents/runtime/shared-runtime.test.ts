import { expect } from 'chai';
import { closeSharedRuntime, sharedInferenceServer } from '../../../agents/runtime/shared-runtime.ts';
import { thrownSync } from './fixtures.ts';

describe('agents/runtime/shared-runtime', () => {
  afterEach(async () => {
    await closeSharedRuntime();
  });

  it("creates the shared server with the first call's options and returns it to later calls", () => {
    const server = sharedInferenceServer({ flushWhenIdle: false, maxWaitMs: 5 });
    expect(server).to.include({ flushWhenIdle: false, maxWaitMs: 5, maxBatch: 256 });
    expect(sharedInferenceServer()).to.equal(server);
    expect(sharedInferenceServer({ maxWaitMs: 5, flushWhenIdle: false, maxBatch: 256 })).to.equal(server); // same after defaults
  });

  it("refuses options that differ from the running server's instead of ignoring them", () => {
    const server = sharedInferenceServer();
    const error = thrownSync(() => sharedInferenceServer({ flushWhenIdle: false, maxWaitMs: 3 }));
    expect(error.code).to.equal('inference-options-conflict');
    expect(error.message).to.include('flushWhenIdle=true').and.to.include('maxWaitMs=2').and.to.include('maxWaitMs=3');
    expect(sharedInferenceServer()).to.equal(server); // still the one server
  });

  it('takes new options once the shared runtime is closed', async () => {
    sharedInferenceServer({ maxBatch: 64 });
    await closeSharedRuntime();
    expect(sharedInferenceServer({ maxBatch: 32 }).maxBatch).to.equal(32);
  });
});
