/**
 * Agent kind `cfr`: plays the average policy of CFR+ (or vanilla CFR) solved over the full
 * game tree, so leagues on small poker games have a near-Nash anchor (e.g. `cfr:iterations=1000`).
 * Solutions are cached per (env key, params, iterations, variant) for the process: every
 * match creates a fresh agent, only the first one pays for solving.
 */
import { z } from 'zod';
import type { AnyEnv } from '../../envs/index.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentUnsupportedEnvError } from '../errors.ts';
import { registerAgentKind, agentKinds } from '../registry.ts';
import { PolicyError } from '../policy/policy-error.ts';
import { TabularAgent } from '../policy/tabular-agent.ts';
import type { TabularPolicy } from '../policy/tabular-policy.ts';
import { CfrVariantSchema, solveCfr } from './cfr-plus.ts';

export const CfrAgentOptionsSchema = z
  .object({
    iterations: z.number().int().min(1).max(1_000_000).default(1000).describe('CFR iterations solved before play'),
    variant: CfrVariantSchema.default('cfr+').describe('"cfr+" or "cfr"'),
  })
  .strict();
export type CfrAgentOptions = z.infer<typeof CfrAgentOptionsSchema>;

/** Trees this large take seconds to walk; bigger games are refused before solving. */
const MAX_TREE_NODES = 1_000_000;
const CACHE_SIZE = 16;
const solutions = new Map<string, TabularPolicy>();

/** The cached average policy for this env, params and options (solving it on first use). */
export function cfrPolicy(env: AnyEnv, params: unknown, options: CfrAgentOptions): TabularPolicy {
  const key = `${env.key}|${JSON.stringify(env.parseParams(params))}|${options.iterations}|${options.variant}`;
  const hit = solutions.get(key);
  if (hit) return hit;
  const { averagePolicy } = solveCfr(env, params, options, { maxNodes: MAX_TREE_NODES });
  solutions.set(key, averagePolicy);
  if (solutions.size > CACHE_SIZE) solutions.delete(solutions.keys().next().value!);
  return averagePolicy;
}

export const cfrAgentKind = defineAgentKind({
  kind: 'cfr',
  description: 'CFR+ (or CFR) average policy solved over the full game tree (small imperfect-information games: Kuhn, Leduc)',
  optionsSchema: CfrAgentOptionsSchema,
  create(options, { env, params, name }) {
    if (env.spec.chance === 'sampled') {
      throw new AgentUnsupportedEnvError(
        'cfr',
        env.key,
        'its chance outcomes are sampled, not listed',
        'use a small game with explicit chance, such as leduc-poker',
      );
    }
    try {
      return new TabularAgent(cfrPolicy(env, params, options), { name });
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      throw new AgentUnsupportedEnvError('cfr', env.key, error.message, 'cfr solves the whole game tree: use a small game with a perfect-recall tensor');
    }
  },
});

// Registered on import; registry.ts lists only the built-in scripted kinds.
if (!agentKinds().some((def) => def.kind === cfrAgentKind.kind)) registerAgentKind(cfrAgentKind);
