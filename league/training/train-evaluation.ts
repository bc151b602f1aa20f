/**
 * One evaluation of a training run: games against the anchors (stored as rated league
 * matches under the snapshot's or the learner's id), and in small zero-sum games the exact
 * exploitability of the learner's policy and of its snapshots' Nash mixture.
 */
import type { TabularPolicy } from '../../agents/policy/tabular-policy.ts';
import { loadModel } from '../../agents/runtime/model-io.ts';
import type { PolicyModel } from '../../agents/runtime/policy-model.ts';
import type { AnyEnv } from '../../envs/index.ts';
import type { Member } from '../population/member.ts';
import { evaluateAgainstAnchors, type AnchorEvaluation, type EvaluateOptions } from './evaluation.ts';
import { ExactEvaluator } from './exact-evaluator.ts';
import type { EvalLine } from './metrics-log.ts';
import type { OpponentPool } from './opponent-pool.ts';
import type { TrainConfig, TrainTarget } from './train-config.ts';
import type { TrainingLeague } from './training-league.ts';

/** The exact evaluator of the run and the tabular policies of its snapshots (computed once each). */
export class ExactTracker {
  readonly evaluator: ExactEvaluator;
  readonly #policies = new Map<string, TabularPolicy>();

  constructor(evaluator: ExactEvaluator) {
    this.evaluator = evaluator;
  }

  static create(env: AnyEnv, params: unknown, config: TrainConfig): ExactTracker | undefined {
    if (config.evaluation.exploitability === 'off') return undefined;
    const evaluator = ExactEvaluator.create(env, params);
    return evaluator && new ExactTracker(evaluator);
  }

  remember(agentId: string, model: PolicyModel): void {
    this.#policies.set(agentId, this.evaluator.policyOf(model));
  }

  async policyOf(snapshot: Member): Promise<TabularPolicy> {
    const known = this.#policies.get(snapshot.agentId);
    if (known) return known;
    const model = await loadModel(String(snapshot.agent.options.model));
    try {
      const policy = this.evaluator.policyOf(model);
      this.#policies.set(snapshot.agentId, policy);
      return policy;
    } finally {
      model.dispose();
    }
  }
}

export interface EvaluationStepOptions {
  readonly config: TrainConfig;
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly model: PolicyModel;
  readonly pool: OpponentPool;
  readonly league: TrainingLeague;
  readonly exact: ExactTracker | undefined;
  /** Whom the games are stored under: the snapshot taken at this update, else the learner. */
  readonly agentId: string;
  readonly snapshots: readonly Member[];
  readonly update: number;
  readonly seconds: number;
  /** How the learner plays the anchors; default the network alone (evaluateAgainstAnchors). */
  readonly play?: (options: EvaluateOptions) => Promise<AnchorEvaluation>;
}

export async function evaluationStep(o: EvaluationStepOptions): Promise<EvalLine> {
  const { evaluation } = o.config;
  const wanted = evaluation.against;
  const anchors = o.league.anchors.filter((a) => wanted === undefined || wanted.includes(a.agentId));
  let vs: EvalLine['vs'] = {};
  let elo: number | undefined;
  if (anchors.length > 0 && evaluation.games > 0) {
    const result = await (o.play ?? evaluateAgainstAnchors)({
      env: o.env,
      params: o.params,
      model: o.model,
      learnerId: o.agentId,
      anchors,
      games: evaluation.games,
      greedy: evaluation.greedy,
      pool: o.pool,
      seed: o.config.seed,
      update: o.update,
    });
    vs = result.vs;
    elo = await o.league.recordMatches(result.matches, o.agentId);
  }
  const line: EvalLine = { type: 'eval', update: o.update, seconds: o.seconds, agentId: o.agentId, vs, ...(elo === undefined ? {} : { elo }) };
  if (!o.exact) return line;
  const { evaluator } = o.exact;
  const exploitability = evaluator.exploitability(evaluator.policyOf(o.model));
  const members = o.snapshots.slice(-evaluation.mixtureWindow);
  if (members.length === 0) return { ...line, exploitability };
  const policies = await Promise.all(members.map((m) => o.exact!.policyOf(m)));
  const mixture = evaluator.mixture(policies);
  return { ...line, exploitability, mixtureExploitability: mixture.exploitability, mixtureSize: members.length };
}

/** Whether `line` meets the run's target. */
export function targetReached(target: TrainTarget, line: EvalLine): boolean {
  const value = metricValue(target, line);
  if (value === undefined) return false;
  return target.metric.endsWith('exploitability') ? value <= target.value : value >= target.value;
}

export function metricValue(target: TrainTarget, line: EvalLine): number | undefined {
  switch (target.metric) {
    case 'exploitability':
      return line.exploitability;
    case 'mixture-exploitability':
      return line.mixtureExploitability;
    case 'win-rate':
      return line.vs[target.against!]?.winRate;
    case 'no-loss-rate':
      return line.vs[target.against!]?.noLossRate;
  }
}
