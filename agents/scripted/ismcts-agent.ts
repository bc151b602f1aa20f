/**
 * Single-observer information-set MCTS (Cowling, Powley and Whitehouse 2012): one tree
 * over the acting seat's view; every simulation starts from a fresh determinisation
 * (`env.resampleHidden`), so the search never uses what the seat cannot know. Chance
 * children are keyed by what the seat observes of the outcome, so a card dealt to an
 * opponent does not split the seat's own decisions. Perfect-information envs (no
 * resampler) search the true state, which makes this plain MCTS.
 */
import { z } from 'zod';
import { mix32 } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Seat } from '../../envs/index.ts';
import type { DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { requireResampler } from './env-requirements.ts';
import { StateSearchAgent } from './state-search-agent.ts';
import { chooseRootAction, uctSearch } from './uct-search.ts';

export const IsmctsOptionsSchema = z
  .object({
    sims: z.number().int().min(1).max(10_000_000).default(200).describe('simulations (determinisations) per move'),
    c: z.number().min(0).max(100).default(1.4).describe('UCT exploration constant, returns scaled to [0, 1]'),
  })
  .strict();
export type IsmctsOptions = z.infer<typeof IsmctsOptionsSchema>;

export class IsmctsAgent extends StateSearchAgent {
  readonly options: IsmctsOptions;
  private readonly env: AnyEnv;

  constructor(env: AnyEnv, options: Partial<IsmctsOptions> = {}, name = 'ismcts') {
    super(name);
    requireResampler('ismcts', env);
    this.env = env;
    this.options = IsmctsOptionsSchema.parse(options);
  }

  protected search(request: DecisionRequest, state: unknown): ActionId {
    const { env, rng } = this;
    const seat = request.seat;
    const root = state as { params: unknown };
    const rootState = env.resampleHidden ? () => env.resampleHidden!(root, seat, rng) as { params: unknown } : () => root;
    const edges = uctSearch(
      {
        env,
        params: request.params,
        sims: this.options.sims,
        c: this.options.c,
        rng,
        rootState,
        chanceKey: (next) => observationKey(env, next, seat),
      },
      seat,
    );
    return chooseRootAction(edges, request.observation.legal, rng, env.turn(root).kind === 'simultaneous');
  }
}

/** A 64-bit hash of the seat's observation tensor: equal views share a child. */
function observationKey(env: AnyEnv, state: unknown, seat: Seat): string {
  const tensor = env.observationTensor(state, seat);
  const words = new Uint32Array(tensor.buffer, tensor.byteOffset, tensor.length);
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    h1 = mix32(h1 ^ words[i]!);
    h2 = mix32(h2 + words[i]! + i);
  }
  return `v${h1.toString(36)}.${h2.toString(36)}`;
}

export const ismctsAgentKind = defineAgentKind({
  kind: 'ismcts',
  description: 'information-set MCTS over determinisations of what the seat knows (imperfect information)',
  optionsSchema: IsmctsOptionsSchema,
  create: (options, { env, name }) => new IsmctsAgent(env, options, name),
});
