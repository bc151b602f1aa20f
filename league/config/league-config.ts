/**
 * The league config file (YAML or JSON), validated with zod. Every error names the field
 * and says how to fix it; an unknown field is an error, so typos do not pass silently.
 */
import { z } from 'zod';
import { AgentSpecSchema, createAgent, paramsOfModels, parseAgentSpecs, type AgentSpec } from '../../agents/index.ts';
import { formatZodError, getEnv, knownKeysErrorMap, LudusError } from '../../envs/index.ts';
import { decisiveHash, LeagueConfigError, readConfigFile } from './config-file.ts';
import { MatchmakingConfigSchema } from '../matchmaking/index.ts';
import { EloSettingsSchema } from '../ratings/elo.ts';
import { OpenSkillSettingsSchema } from '../ratings/openskill.ts';
import { ResultPolicySchema } from '../ratings/outcome.ts';
import { SnapshotRuleSchema } from '../population/snapshot-schedule.ts';

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;
const SlugSchema = z.string().regex(SLUG, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');

/** An agent as a spec string ("mcts:sims=64") or as {kind, options}. */
const AgentFieldSchema = z.union([z.string().min(1), AgentSpecSchema]);

export const LeagueMemberConfigSchema = z
  .object({
    agentId: SlugSchema,
    agent: AgentFieldSchema,
    kind: z.enum(['scripted', 'learner', 'external']).default('scripted'),
    /** Anchors are pinned baselines: always in the population, never reset. */
    anchor: z.boolean().default(false),
    role: z.enum(['main', 'main-exploiter', 'league-exploiter']).optional(),
  })
  .strict();

export const StopRuleSchema = z
  .object({
    matches: z.number().int().positive().optional(),
    minutes: z.number().positive().optional(),
    /** Stop when no Bradley–Terry rating moved more than `tolerance` Elo points between checks. */
    convergence: z
      .object({
        checkEvery: z.number().int().positive().default(1000),
        tolerance: z.number().positive().default(5),
        minMatches: z.number().int().nonnegative().default(1000),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => s.matches !== undefined || s.minutes !== undefined || s.convergence !== undefined, {
    message: 'give at least one stopping rule: matches, minutes or convergence',
  });

export const LeagueConfigSchema = z
  .object({
    name: SlugSchema,
    env: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
    members: z.array(LeagueMemberConfigSchema).min(2, 'a league needs at least 2 members'),
    matchmaking: MatchmakingConfigSchema.prefault({ strategy: 'uniform' }),
    ratings: z
      .object({
        elo: EloSettingsSchema.prefault({}),
        /** Bootstrap rounds for the Bradley–Terry confidence intervals. */
        bootstrapRounds: z.number().int().min(10).max(10_000).default(100),
        /** How a faulted match (illegal move, crash, timeout) counts. */
        faults: ResultPolicySchema.default('forfeit'),
        /** Also rate with OpenSkill (Weng–Lin; every seat its own team): for n-player games. */
        openskill: OpenSkillSettingsSchema.optional(),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        /** Matches played at once; part of the schedule, so it is fixed per league for determinism. */
        concurrency: z.number().int().min(1).max(65_536).default(64),
        /** Keep each match's replay record in the store. */
        recordReplays: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    snapshots: SnapshotRuleSchema.optional(),
    stop: StopRuleSchema,
  })
  .strict();

export type LeagueConfig = z.infer<typeof LeagueConfigSchema>;
export type LeagueMemberConfig = z.infer<typeof LeagueMemberConfigSchema>;

export { LeagueConfigError };

export function memberAgentSpec(member: LeagueMemberConfig): AgentSpec {
  if (typeof member.agent !== 'string') return member.agent;
  const specs = parseAgentSpecs(member.agent);
  if (specs.length !== 1) {
    throw new LeagueConfigError(
      `members.${member.agentId}.agent: "${member.agent}" names ${specs.length} agents`,
      'give one agent spec per member, e.g. "mcts:sims=64"',
    );
  }
  return specs[0]!;
}

/** Parses and checks a config object: schema, env, params, agents, unique ids. */
export function parseLeagueConfig(input: unknown, source = 'league config'): LeagueConfig {
  const parsed = LeagueConfigSchema.safeParse(input, { error: knownKeysErrorMap });
  if (!parsed.success) throw new LeagueConfigError(`${source}: ${formatZodError(parsed.error)}`);
  const env = getEnv(parsed.data.env);
  const config = withModelParams(parsed.data, env, input);
  const params = env.parseParams(config.params);
  const seen = new Set<string>();
  for (const member of config.members) {
    if (seen.has(member.agentId))
      throw new LeagueConfigError(`${source}: members: agentId "${member.agentId}" appears twice`, 'give every member its own agentId');
    seen.add(member.agentId);
    if (member.kind === 'external') continue; // played by a remote agent through the arena
    try {
      createAgent(memberAgentSpec(member), env, params);
    } catch (error) {
      if (error instanceof LudusError) throw new LeagueConfigError(`${source}: members.${member.agentId}.agent: ${error.message}`);
      throw error;
    }
  }
  return config;
}

/**
 * A config without `params` plays its in-process saved models (`neural:model=DIR` members) with
 * the params they were trained with; given params must match them (createAgent checks).
 */
function withModelParams(config: LeagueConfig, env: ReturnType<typeof getEnv>, input: unknown): LeagueConfig {
  if (typeof input === 'object' && input !== null && 'params' in input) return config;
  // External members' models live with their agent processes, not necessarily here.
  const params = paramsOfModels(config.members.filter((m) => m.kind !== 'external').map(memberAgentSpec), env);
  return params === undefined ? config : { ...config, params: params as Record<string, unknown> };
}

/** Reads a YAML or JSON league config file. */
export function loadLeagueConfig(file: string): LeagueConfig {
  return parseLeagueConfig(readConfigFile(file, 'league config'), file);
}

/**
 * Hash of everything that decides a league's results. The stopping rule is left out, so a
 * finished league can be extended by running it again with a larger limit.
 */
export const leagueConfigHash = (config: LeagueConfig): string => decisiveHash(config);
