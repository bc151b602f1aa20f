/**
 * The match jobs on the queue and what workers return for them. A job carries everything a
 * match needs except the league's env and params, which the worker reads from the store:
 * the league (id, name and creation time, so a worker on another database refuses it), the
 * seed, the seats and each seat's agent spec as the population held it when the match was
 * planned (a learner's spec changes between waves). Job ids are deterministic: the same
 * match enqueued twice (a restarted coordinator) is one job.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AgentIdSchema, MemberAgentSchema } from '../population/member.ts';
import type { LeagueRow } from '../storage/league-store.ts';

const MAX_SEATS = 64;

export const LeagueRefSchema = z.object({
  id: z.number().int().min(0),
  name: z.string().min(1).max(256),
  createdAt: z.string().min(1).max(64),
});
export type LeagueRef = z.infer<typeof LeagueRefSchema>;

const SeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

const matchFields = {
  league: LeagueRefSchema,
  seed: SeedSchema,
  seats: z.array(AgentIdSchema).min(1).max(MAX_SEATS),
  agents: z.array(MemberAgentSchema).min(1).max(MAX_SEATS),
};

export const LeagueMatchJobSchema = z.object({ kind: z.literal('league-match'), index: z.number().int().min(0), ...matchFields });
export const EvaluationMatchJobSchema = z.object({ kind: z.literal('evaluation-match'), ...matchFields });

export const MatchJobSchema = z
  .discriminatedUnion('kind', [LeagueMatchJobSchema, EvaluationMatchJobSchema])
  .refine((job) => job.seats.length === job.agents.length, { message: 'a job gives one agent spec per seat', path: ['agents'] });

export type LeagueMatchJob = z.infer<typeof LeagueMatchJobSchema>;
export type EvaluationMatchJob = z.infer<typeof EvaluationMatchJobSchema>;
export type MatchJob = z.infer<typeof MatchJobSchema>;

/** A league match job's return value: whether this attempt played it or found it stored by an earlier one. */
export const LeagueMatchDoneSchema = z.object({ index: z.number().int().min(0), played: z.boolean() });
export type LeagueMatchDone = z.infer<typeof LeagueMatchDoneSchema>;

/** An evaluation match job's return value (evaluations are not stored). */
export const EvaluationDoneSchema = z.object({
  seats: z.array(z.string()),
  returns: z.array(z.number()),
  length: z.number().int().min(0),
  status: z.enum(['finished', 'faulted', 'aborted']),
  fault: z.object({ seat: z.number().int().min(0), code: z.string(), message: z.string() }).nullable(),
});
export type EvaluationDone = z.infer<typeof EvaluationDoneSchema>;

export const leagueRef = (league: LeagueRow): LeagueRef => ({ id: league.id, name: league.name, createdAt: league.createdAt });

const digest = (text: string, chars: number): string => createHash('sha256').update(text).digest('hex').slice(0, chars);

/** Names one league in one store: its id alone could repeat in another (or a recreated) database. */
function leagueTag(league: LeagueRef): string {
  return `l${league.id}-${digest(`${league.name}\u0000${league.createdAt}`, 12)}`;
}

/** Match `index` of the league's schedule. */
export const leagueMatchJobId = (league: LeagueRef, index: number): string => `${leagueTag(league)}-m${index}`;

/** An evaluation match, by content: the same match (seats, agents, seed) is one job, whoever asks. */
export const evaluationJobId = (job: Omit<EvaluationMatchJob, 'kind'>): string =>
  `${leagueTag(job.league)}-e${digest(JSON.stringify([job.seed, job.seats, job.agents]), 24)}`;
