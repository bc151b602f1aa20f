/** Always the lowest legal action id: a deterministic, trivially exploitable baseline. */
import { z } from 'zod';
import type { ActionId } from '../../envs/index.ts';
import type { Agent, DecisionRequest } from '../agent.ts';
import { defineAgentKind } from '../agent-kind.ts';

export class FirstLegalAgent implements Agent {
  readonly name: string;

  constructor(name = 'first-legal') {
    this.name = name;
  }

  act(request: DecisionRequest): ActionId {
    const action = request.observation.legal[0];
    if (action === undefined) throw new RangeError(`seat ${request.seat} has no legal action`);
    return action;
  }
}

export const firstLegalAgentKind = defineAgentKind({
  kind: 'first-legal',
  description: 'always the lowest legal action id (deterministic baseline)',
  optionsSchema: z.object({}).strict(),
  create: (_options, { name }) => new FirstLegalAgent(name),
});
