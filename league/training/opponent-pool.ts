/**
 * Agents for the learner's opponents, one fresh agent per seat per episode (search agents
 * and seeded RNGs are per episode). Neural members (snapshots, saved-model anchors) share a
 * private InferenceServer, so every opponent decision of a lock-step is one forward pass
 * per snapshot; their models load once and stay loaded while they remain candidates.
 */
import { resolve } from 'node:path';
import type { Agent } from '../../agents/agent.ts';
import { createAgent } from '../../agents/index.ts';
import { InferenceServer } from '../../agents/runtime/inference-server.ts';
import { loadModel } from '../../agents/runtime/model-io.ts';
import { NeuralAgent, type PolicyBinding } from '../../agents/runtime/neural-agent.ts';
import type { PolicyModel } from '../../agents/runtime/policy-model.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';

export class OpponentPool {
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly server = new InferenceServer({ maxBatch: 4096 });
  readonly #models = new Map<string, Promise<PolicyModel>>();

  constructor(env: AnyEnv, params: unknown) {
    this.env = env;
    this.params = params;
  }

  /** A fresh agent playing `member` for one episode. */
  agentFor(member: Member): Agent {
    const { kind, options } = member.agent;
    if (kind === 'neural' && typeof options.model === 'string') {
      const dir = resolve(options.model);
      return new NeuralAgent({ name: member.agentId, greedy: options.greedy === true, policy: () => this.binding(dir) });
    }
    return createAgent(member.agent, this.env, this.params);
  }

  /** Keeps the models of `dirs` loaded and disposes the rest (call between updates, never mid-rollout). */
  retain(dirs: Iterable<string>): void {
    const keep = new Set([...dirs].map((d) => resolve(d)));
    for (const [dir, model] of this.#models) {
      if (keep.has(dir)) continue;
      this.#models.delete(dir);
      this.server.unregister(dir);
      void model.then(
        (m) => m.dispose(),
        () => undefined,
      );
    }
  }

  get loaded(): number {
    return this.#models.size;
  }

  async close(): Promise<void> {
    await this.server.close();
    const models = await Promise.allSettled(this.#models.values());
    this.#models.clear();
    for (const m of models) if (m.status === 'fulfilled') m.value.dispose();
  }

  private async binding(dir: string): Promise<PolicyBinding> {
    let model = this.#models.get(dir);
    if (!model) {
      model = loadModel(dir, { env: this.env.key, params: this.params });
      this.#models.set(dir, model);
      model.catch(() => this.#models.delete(dir));
    }
    const ready = await model;
    if (this.server.model(dir) !== ready) this.server.register(dir, ready);
    return { server: this.server, policyId: dir };
  }
}
