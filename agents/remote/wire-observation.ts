/**
 * A wire decision as the Observation a local agent reads. A connection gets the tensor and the
 * text only when it asked for them at join (`decision` options, docs/agent-protocol.md); reading
 * a part the decision does not carry fails with a clear error instead of handing the agent an
 * empty tensor. Legal ids and the mask are always there.
 */
import type { Observation } from '../../envs/index.ts';
import type { DecisionMessage } from '../../protocol/index.ts';
import { RemoteAgentError } from './ludus-agent-client.ts';

const missing = (part: string, option: string): RemoteAgentError =>
  new RemoteAgentError('client-observation', `this decision carries no observation ${part}`, `join with decision: { ${option}: true }`);

export class WireObservation implements Observation {
  readonly seat: number;
  readonly legal: readonly number[];
  readonly #request: DecisionMessage;
  readonly #numActions: number;
  #tensor?: Float32Array;
  #mask?: Uint8Array;

  constructor(request: DecisionMessage, numActions: number) {
    this.#request = request;
    this.#numActions = numActions;
    this.seat = request.seat;
    this.legal = request.legalActions.map((a) => a.id);
  }

  get shape(): readonly number[] {
    const shape = this.#request.observation?.shape;
    if (shape === undefined) throw missing('shape', 'tensor');
    return shape;
  }

  get tensor(): Float32Array {
    if (this.#tensor === undefined) {
      const tensor = this.#request.observation?.tensor;
      if (tensor === undefined) throw missing('tensor', 'tensor');
      this.#tensor = Float32Array.from(tensor);
    }
    return this.#tensor;
  }

  get mask(): Uint8Array {
    if (this.#mask === undefined) {
      this.#mask = new Uint8Array(this.#numActions);
      for (const id of this.legal) if (id >= 0 && id < this.#numActions) this.#mask[id] = 1;
    }
    return this.#mask;
  }

  get text(): string {
    const text = this.#request.observation?.text;
    if (text === undefined) throw missing('text', 'text');
    return text;
  }
}
