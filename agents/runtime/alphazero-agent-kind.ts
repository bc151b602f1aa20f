/**
 * Agent kind `alphazero`: plays a saved policy-value model with PUCT search, as the AlphaZero
 * learner does in evaluation (`alphazero:model=models/c4/final,sims=200`): no root noise, the
 * most visited move. Every search's leaf evaluations go through the process-wide inference
 * server (shared-runtime.ts), so concurrent matches batch together. Given no state (remote
 * play), it plays the network's most probable move.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { DecisionRequest, SearchAgent } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentUnsupportedEnvError, BadAgentOptionsError } from '../errors.ts';
import { checkSearchable, PuctSearch, visitPolicy } from '../learn/puct-search.ts';
import { agentKinds, registerAgentKind } from '../registry.ts';
import { greedyAction } from './masked-categorical.ts';
import { checkModelFits, readManifest, specFromManifest } from './model-manifest.ts';
import type { PolicyBinding } from './neural-agent.ts';
import { sharedPolicy } from './shared-runtime.ts';

export const AlphaZeroAgentOptionsSchema = z
  .object({
    model: z.string().min(1).optional().describe('model folder written by saveModel (required)'),
    sims: z.number().int().min(1).max(100_000).default(100).describe('PUCT simulations per move'),
    cPuct: z.number().positive().default(1.5).describe('exploration constant'),
  })
  .strict();

class AlphaZeroAgent implements SearchAgent {
  readonly usesState = true as const;
  readonly name: string;
  readonly #dir: string;
  readonly #sims: number;
  readonly #cPuct: number;
  #binding: PolicyBinding | undefined;
  #rng = new Rng(0);

  constructor(name: string, dir: string, sims: number, cPuct: number) {
    this.name = name;
    this.#dir = dir;
    this.#sims = sims;
    this.#cPuct = cPuct;
  }

  async reset(_seat: Seat, seed: number): Promise<void> {
    this.#rng = new Rng(seed);
    this.#binding ??= await sharedPolicy(this.#dir);
  }

  async act(request: DecisionRequest): Promise<ActionId> {
    const binding = (this.#binding ??= await sharedPolicy(this.#dir));
    const { probs } = await binding.server.infer(binding.policyId, request.observation.tensor, request.observation.mask);
    return greedyAction(probs);
  }

  async actFromState(request: DecisionRequest, state: unknown): Promise<ActionId> {
    const binding = (this.#binding ??= await sharedPolicy(this.#dir));
    const { env } = request;
    const search = new PuctSearch(env, request.params, async (s, seat) => {
      const r = await binding.server.infer(binding.policyId, env.observationTensor(s, seat), env.legalMask(s, seat));
      return { probs: r.probs, value: Math.max(-1, Math.min(1, r.value)) };
    });
    const result = await search.search(state, request.seat, { simulations: this.#sims, cPuct: this.#cPuct }, this.#rng);
    return visitPolicy(result, env.dims(request.params).numDistinctActions, 0).indexOf(1);
  }
}

export const alphazeroAgentKind = defineAgentKind({
  kind: 'alphazero',
  description: 'a saved policy-value network playing PUCT search (AlphaZero), leaves batched through the inference server',
  optionsSchema: AlphaZeroAgentOptionsSchema,
  create(options, { env, params, name }) {
    if (options.model === undefined) {
      throw new BadAgentOptionsError('agent alphazero needs a model folder', 'write alphazero:model=PATH, a folder written by ludus train');
    }
    try {
      checkSearchable(env, params);
    } catch (error) {
      throw new AgentUnsupportedEnvError(
        'alphazero',
        env.key,
        (error as Error).message,
        'use it on sequential two-player zero-sum games with perfect information',
      );
    }
    const dir = resolve(options.model);
    checkModelFits(specFromManifest(readManifest(dir)), env, params, `model ${options.model}`);
    return new AlphaZeroAgent(name, dir, options.sims, options.cPuct);
  },
});

if (!agentKinds().some((def) => def.kind === alphazeroAgentKind.kind)) registerAgentKind(alphazeroAgentKind);
