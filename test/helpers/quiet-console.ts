/**
 * Mocha root hooks (loaded by .mocharc): console output during a test is buffered and
 * shown only if the test fails. Libraries under test write on their own (the Colyseus SDK
 * warns about dropped rooms and unknown messages, Colyseus logs the malformed frames the
 * fuzz tests send), and none of that belongs between passing tests. Tests that care about
 * what is printed capture it themselves (helpers/capture-output.ts) and assert on it.
 * LUDUS_TEST_OUTPUT=1 prints everything as it comes.
 */
import { format } from 'node:util';
import type { Context } from 'mocha';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const original = Object.fromEntries(METHODS.map((m) => [m, console[m]])) as Record<(typeof METHODS)[number], (...args: unknown[]) => void>;
let buffered: string[] = [];

if (process.env.LUDUS_TEST_OUTPUT !== '1') {
  for (const method of METHODS)
    console[method] = (...args: unknown[]) => {
      buffered.push(format(...args));
    };
}

export const mochaHooks = {
  beforeEach(): void {
    buffered = []; // output of the hooks before this test belongs to no failure
  },
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (test?.state === 'failed' && buffered.length > 0) {
      original.error(`\n--- console output of "${test.fullTitle()}" ---\n${buffered.join('\n')}\n--- end ---`);
    }
    buffered = [];
  },
};
