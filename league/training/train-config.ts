/**
 * The `ludus train` config file (YAML or JSON), validated with zod: the env, the network,
 * PPO hyperparameters, who the learner plays (itself, its own snapshots, anchors), when it is
 * snapshotted, evaluated and checkpointed, and when it stops. Unknown fields are errors.
 */
import { z } from 'zod';
import { ArchSchema } from '../../agents/runtime/arch-schema.ts';
import { PpoConfigSchema } from '../../agents/learn/ppo-config.ts';
import { AlphaZeroConfigSchema } from '../../agents/learn/alphazero-config.ts';
import { checkSearchable } from '../../agents/learn/puct-search.ts';
import { AgentSpecSchema, createAgent, parseAgentSpecs, type AgentSpec } from '../../agents/index.ts';
import { formatZodError, getEnv, knownKeysErrorMap, LudusError } from '../../envs/index.ts';
import { LatestVsSnapshotsConfigSchema, PfspConfigSchema } from '../matchmaking/index.ts';
import { decisiveHash, LeagueConfigError, readConfigFile } from '../config/config-file.ts';
import { AgentIdSchema } from '../population/member.ts';

const AnchorSchema = z
  .object({
    agentId: AgentIdSchema,
    /** A spec string ("mcts:sims=200") or {kind, options}. */
    agent: z.union([z.string().min(1), AgentSpecSchema]),
  })
  .strict();

export const TrainMetricSchema = z.enum(['exploitability', 'mixture-exploitability', 'win-rate', 'no-loss-rate']);
export type TrainMetric = z.infer<typeof TrainMetricSchema>;

export const TrainTargetSchema = z
  .object({
    metric: TrainMetricSchema,
    /** The anchor of a win-rate / no-loss-rate target. */
    against: AgentIdSchema.optional(),
    /** Exploitabilities must fall to this value or below, rates rise to it or above. */
    value: z.number(),
    /** Stop the run once the target is reached at an evaluation. */
    stopWhenReached: z.boolean().default(true),
  })
  .strict()
  .refine((t) => !t.metric.endsWith('rate') || t.against !== undefined, {
    message: 'a rate target names the anchor it is measured against',
    path: ['against'],
  });
export type TrainTarget = z.infer<typeof TrainTargetSchema>;

/**
 * A training stage (HCSP-style curricula): from its start until `updates` later, the learner
 * plays with these opponent settings instead of the run's `opponents`. Stages follow each
 * other in list order; the last one may omit `updates` and lasts until the run stops. A run
 * past the last stage's end uses `opponents` again.
 */
export const TrainStageSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"'),
    /** Length of the stage in PPO updates. */
    updates: z.number().int().positive().optional(),
    /** Share of pure self-play episodes in this stage (default: opponents.selfPlay). */
    selfPlay: z.number().min(0).max(1).optional(),
    /** Anchors (agentIds) the matchmaker may draw in this stage; default all. */
    anchors: z.array(AgentIdSchema).optional(),
    /** Whether the learner's snapshots are matchmaking candidates in this stage. */
    snapshots: z.boolean().default(true),
  })
  .strict();
export type TrainStage = z.infer<typeof TrainStageSchema>;

export const TrainConfigSchema = z
  .object({
    /** The run's name: its folder under <store>/models/ and its league in the store. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"'),
    env: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
    model: z
      .object({ arch: ArchSchema.default({ kind: 'mlp', hidden: [64, 64] }) })
      .strict()
      .prefault({}),
    ppo: PpoConfigSchema.prefault({}),
    rollout: z
      .object({
        episodesPerUpdate: z.number().int().min(1).max(1_000_000).default(256),
        /** Episodes in flight at once; default all of an update's. */
        concurrency: z.number().int().min(1).optional(),
      })
      .strict()
      .prefault({}),
    opponents: z
      .object({
        /** Share of episodes in which the learner plays every seat; the rest are matched below. */
        selfPlay: z.number().min(0).max(1).default(1),
        matchmaking: z.discriminatedUnion('strategy', [PfspConfigSchema, LatestVsSnapshotsConfigSchema]).prefault({ strategy: 'pfsp' }),
        /** Fixed baselines: opponents in matchmaking, references in evaluation, members of the league. */
        anchors: z.array(AnchorSchema).default([]),
        /** Only the newest snapshots are matchmaking candidates. */
        snapshotWindow: z.number().int().min(1).default(20),
      })
      .strict()
      .prefault({}),
    /**
     * Shaped-reward annealing for envs with Env.shapedReturns (Overcooked): the learner's reward
     * is Δreturn + factor·Δshaped, the factor going linearly from `start` to `end` over the first
     * `updates` updates, then staying at `end` (human_aware_rl anneals 1 -> 0 over its horizon).
     */
    rewardShaping: z
      .object({
        start: z.number().min(0).max(100).default(1),
        end: z.number().min(0).max(100).default(0),
        updates: z.number().int().min(1),
      })
      .strict()
      .optional(),
    /** Optional curriculum: opponent settings that change after a number of updates. */
    stages: z
      .array(TrainStageSchema)
      .default([])
      .refine((stages) => stages.slice(0, -1).every((st) => st.updates !== undefined), { message: 'every stage but the last needs `updates`' })
      .refine((stages) => new Set(stages.map((st) => st.name)).size === stages.length, { message: 'stage names must differ' }),
    snapshots: z
      .object({ every: z.number().int().min(1).default(50) })
      .strict()
      .prefault({}),
    evaluation: z
      .object({
        every: z.number().int().min(1).default(50),
        /** Games against each anchor, the learner's seat alternating. */
        games: z.number().int().min(0).default(100),
        /** Anchors to measure against; default all. */
        against: z.array(AgentIdSchema).optional(),
        /** The learner plays its argmax action (poker wants false: its optimum is mixed). */
        greedy: z.boolean().default(false),
        /** Exact exploitability of small two-player zero-sum games: auto = when the game tree can be built. */
        exploitability: z.enum(['auto', 'off']).default('auto'),
        /** Snapshots (newest first) in the Nash mixture whose exploitability is measured. */
        mixtureWindow: z.number().int().min(1).default(50),
      })
      .strict()
      .prefault({}),
    checkpoints: z
      .object({ every: z.number().int().min(1).default(10) })
      .strict()
      .prefault({}),
    stop: z
      .object({
        minutes: z.number().positive().optional(),
        updates: z.number().int().positive().optional(),
        target: TrainTargetSchema.optional(),
      })
      .strict()
      .refine((s) => s.minutes !== undefined || s.updates !== undefined, { message: 'give stop.minutes, stop.updates or both' }),
    /** The learner: PPO (default) or AlphaZero (PUCT self-play; `rollout` and `opponents` matchmaking do not apply). */
    algorithm: z.enum(['ppo', 'alphazero']).optional(),
    /** AlphaZero's hyperparameters (algorithm: alphazero); optional so older runs keep their config hash. */
    alphazero: AlphaZeroConfigSchema.optional(),
  })
  .strict();

export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type AnchorConfig = z.infer<typeof AnchorSchema>;

export function anchorSpec(anchor: AnchorConfig): AgentSpec {
  if (typeof anchor.agent !== 'string') return anchor.agent;
  const specs = parseAgentSpecs(anchor.agent);
  if (specs.length !== 1) {
    throw new LeagueConfigError(
      `opponents.anchors.${anchor.agentId}.agent: "${anchor.agent}" names ${specs.length} agents`,
      'give one agent spec per anchor, e.g. "mcts:sims=200"',
    );
  }
  return specs[0]!;
}

/** Parses and checks a config object: schema, env and params, anchors, names. */
export function parseTrainConfig(input: unknown, source = 'train config'): TrainConfig {
  const parsed = TrainConfigSchema.safeParse(input, { error: knownKeysErrorMap });
  if (!parsed.success) throw new LeagueConfigError(`${source}: ${formatZodError(parsed.error)}`, 'see examples/train/*.yaml');
  const config = parsed.data;
  const env = getEnv(config.env);
  const params = env.parseParams(config.params);
  if (config.alphazero !== undefined && config.algorithm !== 'alphazero') {
    throw new LeagueConfigError(
      `${source}: alphazero settings are given but algorithm is ${config.algorithm ?? 'ppo (the default)'}`,
      'add algorithm: alphazero',
    );
  }
  if (config.algorithm === 'alphazero') {
    try {
      checkSearchable(env, params);
    } catch (error) {
      if (error instanceof LudusError) throw new LeagueConfigError(`${source}: ${error.message}`, error.hint);
      throw error;
    }
  }
  const ids = new Set<string>([config.name]);
  for (const anchor of config.opponents.anchors) {
    if (ids.has(anchor.agentId))
      throw new LeagueConfigError(
        `${source}: opponents.anchors: agentId "${anchor.agentId}" is used twice (the learner is "${config.name}")`,
        'give every anchor its own agentId',
      );
    ids.add(anchor.agentId);
    try {
      createAgent(anchorSpec(anchor), env, params);
    } catch (error) {
      if (error instanceof LudusError) throw new LeagueConfigError(`${source}: opponents.anchors.${anchor.agentId}.agent: ${error.message}`);
      throw error;
    }
  }
  const named = [
    ...config.stages.flatMap((st) => st.anchors ?? []),
    ...(config.evaluation.against ?? []),
    ...(config.stop.target?.against ? [config.stop.target.against] : []),
  ];
  for (const id of named) {
    if (!config.opponents.anchors.some((a) => a.agentId === id)) {
      throw new LeagueConfigError(`${source}: "${id}" is not an anchor`, `anchors: ${config.opponents.anchors.map((a) => a.agentId).join(', ') || '(none)'}`);
    }
  }
  return config;
}

/** The stage in force at `update` (0-based count of updates done), or undefined after the last one. */
export function stageAt(config: Pick<TrainConfig, 'stages'>, update: number): TrainStage | undefined {
  let start = 0;
  for (const stage of config.stages) {
    if (stage.updates === undefined || update < start + stage.updates) return stage;
    start += stage.updates;
  }
  return undefined;
}

/** Reads a YAML or JSON train config file. */
export function loadTrainConfig(file: string): TrainConfig {
  return parseTrainConfig(readConfigFile(file, 'train config'), file);
}

/** Hash of everything that decides the training but the stopping rule: a resumed run must match it. */
export const trainConfigHash = (config: TrainConfig): string => decisiveHash(config);

/** The shaped-reward weight of update `update` (0 without rewardShaping). */
export function shapingFactor(config: Pick<TrainConfig, 'rewardShaping'>, update: number): number {
  const r = config.rewardShaping;
  if (!r) return 0;
  const progress = Math.min(1, update / r.updates);
  return r.start + (r.end - r.start) * progress;
}
