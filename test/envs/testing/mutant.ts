/** Broken copies of working envs, to show that each conformance check can fail. */
import type { AnyEnv } from '../../../envs/core/env.ts';

/** The env with some functions replaced (Env functions never use `this`). */
export const mutant = (env: AnyEnv, overrides: Partial<AnyEnv>): AnyEnv => ({ ...env, ...overrides });
