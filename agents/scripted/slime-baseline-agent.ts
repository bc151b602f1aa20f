/**
 * slimevolleygym's built-in opponent (`BaselinePolicy`): a recurrent net of 7 tanh units
 * over the first 8 observation values (own x, y, vx, vy and the ball's, already scaled by
 * 1/10) and its own 7 previous outputs. Outputs 0..2 above 0.75 press forward, backward
 * and jump; 3..6 are memory. The weights are vendored data (data/slime-baseline-weights.json,
 * see NOTICE). The state is reset every episode, so the agent must see every step.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ActionId, Seat } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';
import { AgentUnsupportedEnvError } from '../errors.ts';

const GAME_INPUTS = 8;
const OUTPUTS = 7;
const PRESS = 0.75;

const WeightsSchema = z.object({
  weight: z.array(z.array(z.number()).length(GAME_INPUTS + OUTPUTS)).length(OUTPUTS),
  bias: z.array(z.number()).length(OUTPUTS),
});
type Weights = z.infer<typeof WeightsSchema>;

let weights: Weights | undefined;

function loadWeights(): Weights {
  weights ??= WeightsSchema.parse(JSON.parse(readFileSync(new URL('./data/slime-baseline-weights.json', import.meta.url), 'utf8')));
  return weights;
}

export class SlimeBaselineAgent implements Agent {
  readonly name: string;
  readonly #weights: Weights;
  #output = new Float64Array(OUTPUTS);
  readonly #input = new Float64Array(GAME_INPUTS + OUTPUTS);

  constructor(name = 'slime-baseline') {
    this.name = name;
    this.#weights = loadWeights();
  }

  reset(_seat: Seat, _seed: number): void {
    this.#output = new Float64Array(OUTPUTS);
  }

  act(request: DecisionRequest): ActionId {
    return this.press(request.observation.tensor);
  }

  /** One step of the net on a 12-value slime observation; returns the action id. */
  press(observation: ArrayLike<number>): ActionId {
    const input = this.#input;
    for (let i = 0; i < GAME_INPUTS; i++) input[i] = observation[i]!;
    input.set(this.#output, GAME_INPUTS);
    const { weight, bias } = this.#weights;
    const next = new Float64Array(OUTPUTS);
    for (let o = 0; o < OUTPUTS; o++) {
      const row = weight[o]!;
      let sum = 0;
      for (let i = 0; i < row.length; i++) sum += row[i]! * input[i]!;
      next[o] = Math.tanh(sum + bias[o]!);
    }
    this.#output = next;
    return (next[0]! > PRESS ? 1 : 0) + (next[1]! > PRESS ? 2 : 0) + (next[2]! > PRESS ? 4 : 0);
  }
}

export const slimeBaselineAgentKind = defineAgentKind({
  kind: 'slime-baseline',
  description: "slimevolleygym's built-in recurrent baseline policy (slime-volleyball only)",
  optionsSchema: z.object({}).strict(),
  create: (_options, { env, name }) => {
    if (env.spec.id !== 'slime-volleyball') {
      throw new AgentUnsupportedEnvError('slime-baseline', env.key, "it reads slime volleyball's 12-value observation", 'play it in slime-volleyball');
    }
    return new SlimeBaselineAgent(name);
  },
});
