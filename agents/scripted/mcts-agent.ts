/**
 * UCT Monte Carlo tree search from the true state with random playouts. Any number of
 * seats (per-seat returns), chance nodes (sampled) and simultaneous nodes (decoupled UCT).
 * Perfect information only: searching the true state of a hidden-information game would
 * cheat, so those envs are refused in favour of `ismcts`.
 */
import { z } from 'zod';
import type { ActionId, AnyEnv } from '../../envs/index.ts';
import type { DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { requirePerfectInformation } from './env-requirements.ts';
import { StateSearchAgent } from './state-search-agent.ts';
import { chooseRootAction, uctSearch } from './uct-search.ts';

export const MctsOptionsSchema = z
  .object({
    sims: z.number().int().min(1).max(10_000_000).default(200).describe('simulations per move'),
    c: z.number().min(0).max(100).default(1.4).describe('UCT exploration constant, returns scaled to [0, 1]'),
    rollouts: z.enum(['random']).default('random').describe('playout policy'),
  })
  .strict();
export type MctsOptions = z.infer<typeof MctsOptionsSchema>;

export class MctsAgent extends StateSearchAgent {
  readonly options: MctsOptions;
  private readonly env: AnyEnv;

  constructor(env: AnyEnv, options: Partial<MctsOptions> = {}, name = 'mcts') {
    super(name);
    requirePerfectInformation('mcts', env);
    this.env = env;
    this.options = MctsOptionsSchema.parse(options);
  }

  protected search(request: DecisionRequest, state: unknown): ActionId {
    const root = state as { params: unknown };
    const edges = uctSearch(
      {
        env: this.env,
        params: request.params,
        sims: this.options.sims,
        c: this.options.c,
        rng: this.rng,
        rootState: () => root,
      },
      request.seat,
    );
    const simultaneous = this.env.turn(root).kind === 'simultaneous';
    return chooseRootAction(edges, request.observation.legal, this.rng, simultaneous);
  }
}

export const mctsAgentKind = defineAgentKind({
  kind: 'mcts',
  description: 'UCT Monte Carlo tree search with random playouts (perfect information; chance, simultaneous, n-player)',
  optionsSchema: MctsOptionsSchema,
  create: (options, { env, name }) => new MctsAgent(env, options, name),
});
