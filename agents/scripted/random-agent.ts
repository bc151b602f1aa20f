/**
 * Uniform over the legal actions, seeded per episode by `reset`: deterministic given the seed.
 * In text-only envs (free text, no action ids) it answers with the env's own random valid
 * reply (`sampleText`), which only an in-process driver can offer.
 */
import { z } from 'zod';
import { isTextOnly, Rng } from '../../envs/index.ts';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentError } from '../errors.ts';

export class RandomAgent implements Agent {
  readonly name: string;
  private rng = new Rng(0);

  protected get random(): Rng {
    return this.rng;
  }

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

/** Random in a text-only env: a valid reply drawn by the env's sampler at the true state. */
export class RandomTextAgent extends RandomAgent {
  readonly needsSampler = true;

  actText(request: DecisionRequest): string {
    const text = request.sampleReply?.(this.random, true);
    if (text === undefined) {
      throw new AgentError(
        'agent-needs-state',
        `${this.name} draws its replies from the env's sampler at the true state, which this driver does not offer`,
        'play random in text-only envs on the server (in-process) or in local play, not as a remote seat',
      );
    }
    return text;
  }

  override act(): ActionId {
    throw new AgentError('agent-unsupported-env', `${this.name} plays a text-only env: it answers in text`, 'drivers of text envs call actText');
  }
}

export const randomAgentKind = defineAgentKind({
  kind: 'random',
  description: "uniformly random legal action (seeded); in text-only envs the env's random valid reply",
  optionsSchema: z.object({}).strict(),
  create: (_options, { name, env, params }) => (isTextOnly(env, params) ? new RandomTextAgent(name) : new RandomAgent(name)),
});
