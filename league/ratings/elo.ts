/**
 * Online Elo: E_A = 1 / (1 + 10^((R_B − R_A) / scale)), R'_A = R_A + K·(S_A − E_A), with
 * S = 1 win, 0.5 draw, 0 loss. Order-dependent by nature (league.md §5.1); the order-free
 * leaderboard is the Bradley–Terry fit. The caller keeps one table per env key.
 *
 * Defaults: K = 32 (DI-engine; "tournament-like" pools in league.md §10, where a few hundred
 * games per agent should move ratings visibly), initial 1000 (FastChat, DI-star), so online
 * Elo and the Bradley–Terry fit (mean anchored at 1000) read on the same scale.
 */
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { checkTeams } from './check-teams.ts';
import { RatingError } from './rating-error.ts';

export const EloSettingsSchema = z
  .object({
    /** Maximum rating change per two-player game. */
    k: z.number().positive().default(32),
    /** Rating of an agent the table has not seen yet. */
    initial: z.number().default(1000),
    /** Rating gap at which the stronger side is expected to score 10:1. */
    scale: z.number().positive().default(400),
  })
  .strict();

export type EloSettings = z.infer<typeof EloSettingsSchema>;
export type EloSettingsInput = z.input<typeof EloSettingsSchema>;

export const EloTableJsonSchema = z
  .object({
    settings: EloSettingsSchema,
    ratings: z.record(z.string(), z.number()),
    games: z.record(z.string(), z.number().int().min(0)),
  })
  .strict();

export type EloTableJson = z.infer<typeof EloTableJsonSchema>;

export interface EloChange {
  readonly before: number;
  readonly after: number;
}

export interface EloMemberChange extends EloChange {
  readonly agentId: string;
}

export class EloTable {
  readonly settings: EloSettings;
  private readonly ratings = new Map<string, number>();
  private readonly played = new Map<string, number>();

  constructor(settings: EloSettingsInput = {}) {
    const parsed = EloSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw new RatingError('bad-rating-settings', `Elo settings: ${formatZodError(parsed.error)}`, 'k and scale must be positive numbers');
    }
    this.settings = parsed.data;
  }

  rating(agentId: string): number {
    return this.ratings.get(agentId) ?? this.settings.initial;
  }

  /** Rated games this agent took part in (a multi-seat match counts once). */
  games(agentId: string): number {
    return this.played.get(agentId) ?? 0;
  }

  agentIds(): string[] {
    return [...this.ratings.keys()];
  }

  /** Expected score of A against B. */
  expected(agentIdA: string, agentIdB: string): number {
    return this.expectedFrom(this.rating(agentIdA), this.rating(agentIdB));
  }

  /** One two-player game; `scoreA` is 1 win, 0.5 draw, 0 loss (any value in [0, 1]). */
  update(agentIdA: string, agentIdB: string, scoreA: number): { a: EloChange; b: EloChange } {
    checkScore(scoreA);
    const ids = [agentIdA, agentIdB];
    const before = ids.map((id) => this.rating(id));
    this.applyPairwise(
      ids,
      before,
      [
        [0, scoreA],
        [1 - scoreA, 0],
      ],
      this.settings.k,
    );
    const after = ids.map((id) => this.rating(id));
    return { a: { before: before[0]!, after: after[0]! }, b: { before: before[1]!, after: after[1]! } };
  }

  /**
   * A match with n ≥ 2 seats, decomposed into its n(n−1)/2 seat pairs. `scores[i][j]` (i < j)
   * is seat i's score against seat j; the lower triangle is ignored. Every pair is an Elo game
   * computed from the pre-match ratings, with K / (n − 1), so one match moves an agent at most
   * K, as a two-player game does (n = 2 is exactly `update`). An agent in several seats
   * (self-play) sums its seats' changes. Returns each seat's rating after the match.
   */
  updateMatch(agentIds: readonly string[], scores: readonly (readonly number[])[]): number[] {
    const n = agentIds.length;
    if (n < 2) throw new RatingError('bad-match', `a rated match needs at least 2 seats, got ${n}`, 'pass one agentId per seat');
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) checkScore(scores[i]?.[j]);
    const before = agentIds.map((id) => this.rating(id));
    this.applyPairwise(agentIds, before, scores, this.settings.k / (n - 1));
    return agentIds.map((id) => this.rating(id));
  }

  /**
   * Teams ranked in a match (`ranks[t]`: lower is better, equal ranks draw). A team plays at
   * the mean rating of its members; team pairs are decomposed as in `updateMatch`, and every
   * member receives its team's change. With equal team sizes the changes sum to zero.
   */
  updateTeams(teams: readonly (readonly string[])[], ranks: readonly number[]): EloMemberChange[][] {
    checkTeams(teams, ranks);
    const t = teams.length;
    const before = teams.map((team) => team.map((id) => this.rating(id)));
    const teamRating = before.map((rs) => rs.reduce((s, r) => s + r, 0) / rs.length);
    const delta = new Array<number>(t).fill(0);
    const k = this.settings.k / (t - 1);
    for (let i = 0; i < t; i++) {
      for (let j = i + 1; j < t; j++) {
        const s = rankScore(ranks[i]!, ranks[j]!);
        const change = k * (s - this.expectedFrom(teamRating[i]!, teamRating[j]!));
        delta[i]! += change;
        delta[j]! -= change;
      }
    }
    const changes = teams.map((team, ti) =>
      team.map((agentId, m) => {
        const b = before[ti]![m]!;
        return { agentId, before: b, after: b + delta[ti]! };
      }),
    );
    for (const team of changes) for (const c of team) this.ratings.set(c.agentId, c.after);
    for (const id of new Set(teams.flat())) this.played.set(id, this.games(id) + 1);
    return changes;
  }

  toJSON(): EloTableJson {
    return {
      settings: { ...this.settings },
      ratings: Object.fromEntries(this.ratings),
      games: Object.fromEntries(this.played),
    };
  }

  static fromJSON(json: unknown): EloTable {
    const parsed = EloTableJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new RatingError('bad-rating-table', `Elo table: ${formatZodError(parsed.error)}`, 'pass the output of EloTable.toJSON()');
    }
    const table = new EloTable(parsed.data.settings);
    for (const [id, r] of Object.entries(parsed.data.ratings)) table.ratings.set(id, r);
    for (const [id, g] of Object.entries(parsed.data.games)) table.played.set(id, g);
    return table;
  }

  private expectedFrom(ra: number, rb: number): number {
    return 1 / (1 + 10 ** ((rb - ra) / this.settings.scale));
  }

  /** Sums every pair's change from `before`, then writes them, so the result is order-free. */
  private applyPairwise(ids: readonly string[], before: readonly number[], scores: readonly (readonly number[])[], k: number): void {
    const delta = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const change = k * (scores[i]![j]! - this.expectedFrom(before[i]!, before[j]!));
        delta.set(ids[i]!, (delta.get(ids[i]!) ?? 0) + change);
        delta.set(ids[j]!, (delta.get(ids[j]!) ?? 0) - change);
      }
    }
    for (const [id, d] of delta) {
      this.ratings.set(id, this.rating(id) + d);
      this.played.set(id, this.games(id) + 1);
    }
  }
}

function checkScore(score: number | undefined): asserts score is number {
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new RatingError('bad-score', `score ${String(score)} is not in [0, 1]`, 'use 1 for a win, 0.5 for a draw, 0 for a loss');
  }
}

function rankScore(rankA: number, rankB: number): number {
  return rankA < rankB ? 1 : rankA > rankB ? 0 : 0.5;
}
