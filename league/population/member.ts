/**
 * A member of a league population: who it is (agentId), what it is (learner, frozen
 * snapshot, scripted baseline, external connection) and which agent config plays it.
 * Members are plain JSON; the Population deep-freezes the ones it holds, and a snapshot
 * never shares an object with the learner it was taken from.
 */
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { PopulationError } from './population-error.ts';

/**
 * Same shape as league config slugs: lower-case letters, digits, ".", "_" and "-"; people who
 * play in the web viewer are `human:<slug>` (rated like every other player).
 */
export const AgentIdSchema = z
  .string()
  .max(128, 'agentId is at most 128 characters')
  .regex(/^(?:human:)?[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit (people: "human:<name>")');

/** Env keys are `<kebab-id>-v<version>`, e.g. tic-tac-toe-v1. */
export const EnvKeySchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*-v\d+$/, 'an env key looks like "tic-tac-toe-v1" (see `ludus envs`)');

export const MemberKindSchema = z.enum(['learner', 'snapshot', 'scripted', 'external']);
export type MemberKind = z.infer<typeof MemberKindSchema>;

export const MemberRoleSchema = z.enum(['main', 'main-exploiter', 'league-exploiter']);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

/** The agent that plays a member, as an agent registry spec: e.g. {kind: 'mcts', options: {sims: 64}}. */
export const MemberAgentSchema = z.object({
  kind: z.string().min(1, 'agent.kind names an agent, e.g. "mcts"'),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type MemberAgent = z.infer<typeof MemberAgentSchema>;

export const MemberSchema = z
  .object({
    agentId: AgentIdSchema,
    kind: MemberKindSchema,
    env: EnvKeySchema,
    agent: MemberAgentSchema,
    /** The learner a snapshot was taken from; null for everything else. */
    parentId: AgentIdSchema.nullable().default(null),
    /**
     * When the member joined, as the league's match counter (matches scheduled so far), not
     * wall-clock time: a re-run league then creates byte-identical members.
     */
    createdAt: z.number().int().min(0),
    /** Frozen members never change their agent config (snapshots, usually scripted baselines). */
    frozen: z.boolean().default(false),
    /** A pinned baseline: always in the population, its rating is a reference point. */
    anchor: z.boolean().default(false),
    role: MemberRoleSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.kind === 'snapshot' && !m.frozen) ctx.addIssue({ code: 'custom', path: ['frozen'], message: 'a snapshot is always frozen' });
    if (m.kind === 'snapshot' && m.parentId === null)
      ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'a snapshot names the learner it was taken from' });
    if (m.parentId === m.agentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'a member cannot be its own parent' });
  });

export type Member = z.infer<typeof MemberSchema>;
export type MemberInput = z.input<typeof MemberSchema>;

/** Validates a member record (applying defaults) or throws a PopulationError naming the field. */
export function parseMember(input: unknown): Member {
  const parsed = MemberSchema.safeParse(input);
  if (!parsed.success) {
    const id = (input as { agentId?: unknown } | null)?.agentId;
    throw new PopulationError('bad-member', `bad member${typeof id === 'string' ? ` "${id}"` : ''}: ${formatZodError(parsed.error)}`, 'fix the named fields');
  }
  return parsed.data;
}

/** Deep-freezes plain JSON data in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A deep, unfrozen copy of an agent config (members are JSON, so structuredClone is exact). */
export function copyAgent(agent: MemberAgent): MemberAgent {
  return structuredClone(agent) as MemberAgent;
}

export interface SnapshotOptions {
  readonly agentId: string;
  /** The league's match counter at the time of the snapshot. */
  readonly createdAt: number;
}

/**
 * A frozen copy of `learner`: same env, agent config and role, parent = the learner. The
 * agent options are deep-copied and deep-frozen, so later changes to the learner (training
 * steps, resets) can never reach the snapshot.
 */
export function snapshotOf(learner: Member, options: SnapshotOptions): Member {
  if (learner.kind !== 'learner') {
    throw new PopulationError('not-a-learner', `cannot snapshot "${learner.agentId}": it is a ${learner.kind}, not a learner`, 'only learners are snapshotted');
  }
  const snapshot = parseMember({
    agentId: options.agentId,
    kind: 'snapshot',
    env: learner.env,
    agent: copyAgent(learner.agent),
    parentId: learner.agentId,
    createdAt: options.createdAt,
    frozen: true,
    anchor: false,
    ...(learner.role ? { role: learner.role } : {}),
  });
  return deepFreeze(snapshot);
}

/** Conventional snapshot id: `<learnerId>-at-<createdAt>`. */
export function snapshotId(learnerId: string, createdAt: number): string {
  return `${learnerId}-at-${createdAt}`;
}
