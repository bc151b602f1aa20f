/**
 * Snapshot self-play: when a learner is copied into a frozen snapshot, and what happens to
 * the learner afterwards. A learner here is any member whose agent config changes between
 * snapshots; how it changes (training) is not this module's business.
 *
 * Triggers (either suffices): every `everyMatches` matches of the learner (AlphaStar's
 * timeout, ML-Agents' save_steps), and/or once its decayed win rate against a reference set
 * reaches `threshold` with at least `minGames` games against each reference member
 * (AlphaStar: beats all of them more than 70% of the time).
 *
 * Resets, after the snapshot (the paper's order; the pseudocode resets first, a known quirk):
 * main exploiters always go back to their initial config, league exploiters with probability
 * 0.25, main agents never.
 */
import { z } from 'zod';
import { formatZodError, type Rng } from '../../envs/index.ts';
import type { PayoffTable } from '../matchmaking/payoff-table.ts';
import { AgentIdSchema, copyAgent, snapshotId, snapshotOf, type Member, type MemberAgent } from './member.ts';
import { PopulationError } from './population-error.ts';
import type { Population } from './population.ts';

const Share = z.number().min(0).max(1);

/**
 * Whom the learner must beat. `frozen`: every frozen member (AlphaStar's historical players);
 * `others`: every other member; `main-agents`: the other non-frozen main learners (a main
 * exploiter's targets); `own-snapshots`: its own past; or an explicit list of agentIds.
 */
export const SnapshotReferenceSchema = z.union([z.enum(['frozen', 'others', 'main-agents', 'own-snapshots']), z.array(AgentIdSchema).min(1)]);
export type SnapshotReference = z.infer<typeof SnapshotReferenceSchema>;

/** Probability of resetting a learner to its initial config after each of its snapshots, per role. */
export const ResetRuleSchema = z
  .object({
    main: Share.default(0),
    mainExploiter: Share.default(1),
    leagueExploiter: Share.default(0.25),
  })
  .strict();
export type ResetRule = z.infer<typeof ResetRuleSchema>;

export const SnapshotRuleSchema = z
  .object({
    everyMatches: z.number().int().positive().optional(),
    winRate: z
      .object({
        threshold: Share.default(0.7),
        minGames: z.number().min(0).default(8),
        reference: SnapshotReferenceSchema.default('frozen'),
        /** `min`: beat every reference member (AlphaStar); `mean`: beat them on average. */
        aggregate: z.enum(['min', 'mean']).default('min'),
        /** No win-rate snapshot before this many matches since the last one (AlphaStar's 2e9 steps). */
        minMatches: z.number().int().min(0).default(0),
      })
      .strict()
      .optional(),
    reset: ResetRuleSchema.prefault({}),
  })
  .strict()
  .refine((r) => r.everyMatches !== undefined || r.winRate !== undefined, {
    message: 'give everyMatches, winRate or both',
  });
export type SnapshotRule = z.infer<typeof SnapshotRuleSchema>;

export function parseSnapshotRule(input: unknown): SnapshotRule {
  const parsed = SnapshotRuleSchema.safeParse(input);
  if (!parsed.success) throw new PopulationError('bad-snapshot-rule', `bad snapshot rule: ${formatZodError(parsed.error)}`, 'fix the named fields');
  return parsed.data;
}

export interface SnapshotCheck {
  readonly learnerId: string;
  readonly population: Population;
  readonly payoff: PayoffTable;
  /** Matches the learner played since its last snapshot (or since it joined). */
  readonly matchesSinceSnapshot: number;
}

export type SnapshotReason = 'every-matches' | 'win-rate';

/** Why the learner should be snapshotted now, or null. The periodic trigger is checked first. */
export function snapshotReason(rule: SnapshotRule, check: SnapshotCheck): SnapshotReason | null {
  const learner = check.population.get(check.learnerId);
  if (learner.kind !== 'learner' || learner.frozen) return null;
  if (rule.everyMatches !== undefined && check.matchesSinceSnapshot >= rule.everyMatches) return 'every-matches';
  const w = rule.winRate;
  if (!w || check.matchesSinceSnapshot < w.minMatches) return null;
  const refs = referenceSet(w.reference, check.population, check.learnerId);
  if (refs.length === 0) return null;
  if (refs.some((id) => check.payoff.games(check.learnerId, id) < w.minGames)) return null;
  const rates = check.payoff.winRates(check.learnerId, refs);
  const score = w.aggregate === 'min' ? Math.min(...rates) : rates.reduce((s, x) => s + x, 0) / rates.length;
  return score >= w.threshold ? 'win-rate' : null;
}

export function shouldSnapshot(rule: SnapshotRule, check: SnapshotCheck): boolean {
  return snapshotReason(rule, check) !== null;
}

/** The agentIds a learner is measured against; never includes the learner itself. */
export function referenceSet(reference: SnapshotReference, population: Population, learnerId: string): string[] {
  const others = population.activeOpponents(learnerId);
  let picked: Member[];
  if (Array.isArray(reference)) picked = others.filter((m) => reference.includes(m.agentId));
  else if (reference === 'frozen') picked = others.filter((m) => m.frozen);
  else if (reference === 'others') picked = others;
  else if (reference === 'main-agents') picked = population.learners().filter((m) => m.agentId !== learnerId && (m.role ?? 'main') === 'main');
  else picked = population.snapshotsOf(learnerId);
  return picked.map((m) => m.agentId);
}

/** Reset probability for the learner's role (no role: a main agent). */
export function resetProbability(learner: Member, rule: ResetRule): number {
  const role = learner.role ?? 'main';
  return role === 'main' ? rule.main : role === 'main-exploiter' ? rule.mainExploiter : rule.leagueExploiter;
}

/**
 * The learner's config after a snapshot: a fresh copy of `initialAgent` when the reset
 * fires, else its current config (copied). Always draws exactly one float from `rng`, so
 * the rng stream does not depend on the role.
 */
export function resetAfterSnapshot(learner: Member, initialAgent: MemberAgent, rule: ResetRule, rng: Rng): { agent: MemberAgent; reset: boolean } {
  const reset = rng.float() < resetProbability(learner, rule);
  return { agent: copyAgent(reset ? initialAgent : learner.agent), reset };
}

export interface TakeSnapshotOptions {
  /** The league's match counter now. */
  readonly createdAt: number;
  /** Default `<learnerId>-at-<createdAt>`. */
  readonly agentId?: string;
  /** The config the learner started from (what a reset returns to). */
  readonly initialAgent: MemberAgent;
  readonly reset: ResetRule;
  readonly rng: Rng;
}

/** Snapshot first, then reset: adds the snapshot to `population` and updates the learner. */
export function takeSnapshot(population: Population, learnerId: string, options: TakeSnapshotOptions): { snapshot: Member; learner: Member; reset: boolean } {
  const learner = population.get(learnerId);
  const snapshot = population.add(
    snapshotOf(learner, {
      agentId: options.agentId ?? snapshotId(learnerId, options.createdAt),
      createdAt: options.createdAt,
    }),
  );
  const { agent, reset } = resetAfterSnapshot(learner, options.initialAgent, options.reset, options.rng);
  const updated = reset ? population.updateAgent(learnerId, agent) : learner;
  return { snapshot, learner: updated, reset };
}
