/** Uniform over the legal actions, seeded per episode by `reset`: deterministic given the seed. */
import { z } from 'zod';
import { Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';

export class RandomAgent implements Agent {
  readonly name: string;
  private rng = new Rng(0);

  constructor(name = 'random') {
    this.name = name;
  }

  reset(_seat: Seat, seed: number): void {
    this.rng = new Rng(seed);
  }

  act(request: DecisionRequest): ActionId {
    return this.rng.pick(request.observation.legal);
  }
}

export const randomAgentKind = defineAgentKind({
  kind: 'random',
  description: 'uniformly random legal action (seeded)',
  optionsSchema: z.object({}).strict(),
  create: (_options, { name }) => new RandomAgent(name),
});
