/**
 * Team and multi-player online ratings (Weng–Lin, via the `openskill` package, v5): each
 * agent has μ and σ; a team plays as μ = Σμ, σ² = Σσ² (league.md §5.4). Ties are equal ranks
 * or equal scores. τ is passed explicitly because v5 inflates σ by τ before every update
 * (σ never settles much below τ); we store μ and σ, never the ordinal (μ − 3σ).
 */
import { ordinal, predictWin, rate, rating as newRating } from 'openskill';
import type { Model, Options, Rating } from 'openskill';
import { bradleyTerryFull, bradleyTerryPart, plackettLuce, thurstoneMostellerFull, thurstoneMostellerPart } from 'openskill/models';
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { checkTeams } from './check-teams.ts';
import { RatingError } from './rating-error.ts';

const MODELS: Record<OpenSkillModel, Model> = {
  'plackett-luce': plackettLuce,
  'bradley-terry-full': bradleyTerryFull,
  'bradley-terry-part': bradleyTerryPart,
  'thurstone-mosteller-full': thurstoneMostellerFull,
  'thurstone-mosteller-part': thurstoneMostellerPart,
};

export const OpenSkillModelSchema = z.enum([
  'plackett-luce',
  'bradley-terry-full',
  'bradley-terry-part',
  'thurstone-mosteller-full',
  'thurstone-mosteller-part',
]);
export type OpenSkillModel = z.infer<typeof OpenSkillModelSchema>;

/** Defaults are openskill v5's own (μ 25, σ 25/3, β 25/6, τ 25/300). */
export const OpenSkillSettingsSchema = z
  .object({
    model: OpenSkillModelSchema.default('plackett-luce'),
    mu: z.number().default(25),
    sigma: z
      .number()
      .positive()
      .default(25 / 3),
    beta: z
      .number()
      .positive()
      .default(25 / 6),
    tau: z
      .number()
      .min(0)
      .default(25 / 300),
  })
  .strict();

export type OpenSkillSettings = z.infer<typeof OpenSkillSettingsSchema>;
export type OpenSkillSettingsInput = z.input<typeof OpenSkillSettingsSchema>;

const StoredRatingSchema = z.object({ mu: z.number(), sigma: z.number().positive(), games: z.number().int().min(0) }).strict();

export const OpenSkillTableJsonSchema = z
  .object({
    settings: OpenSkillSettingsSchema,
    ratings: z.record(z.string(), StoredRatingSchema),
  })
  .strict();

export type OpenSkillTableJson = z.infer<typeof OpenSkillTableJsonSchema>;

export interface SkillRating {
  readonly mu: number;
  readonly sigma: number;
  /** Conservative leaderboard value μ − 3σ (0 for a new agent). */
  readonly ordinal: number;
}

export interface SkillChange {
  readonly agentId: string;
  readonly before: SkillRating;
  readonly after: SkillRating;
}

/** `ranks`: lower is better; `scores`: higher is better. Equal values tie. One per team. */
export type TeamResult = { readonly ranks: readonly number[] } | { readonly scores: readonly number[] };

export class OpenSkillTable {
  readonly settings: OpenSkillSettings;
  private readonly ratings = new Map<string, { mu: number; sigma: number; games: number }>();

  constructor(settings: OpenSkillSettingsInput = {}) {
    const parsed = OpenSkillSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw new RatingError('bad-rating-settings', `OpenSkill settings: ${formatZodError(parsed.error)}`, 'see OpenSkillSettingsSchema');
    }
    this.settings = parsed.data;
  }

  rating(agentId: string): SkillRating {
    const stored = this.ratings.get(agentId);
    const r = stored ? { mu: stored.mu, sigma: stored.sigma } : newRating({}, this.options());
    return { mu: r.mu, sigma: r.sigma, ordinal: ordinal(r, this.options()) };
  }

  games(agentId: string): number {
    return this.ratings.get(agentId)?.games ?? 0;
  }

  agentIds(): string[] {
    return [...this.ratings.keys()];
  }

  /** Team aggregate: μ = Σμ, σ = √Σσ², as the Weng–Lin models combine members. */
  team(agentIds: readonly string[]): { mu: number; sigma: number } {
    let mu = 0;
    let variance = 0;
    for (const id of agentIds) {
      const r = this.rating(id);
      mu += r.mu;
      variance += r.sigma ** 2;
    }
    return { mu, sigma: Math.sqrt(variance) };
  }

  /** Probability that each team wins (sums to 1). */
  predictWin(teams: readonly (readonly string[])[]): number[] {
    checkTeams(
      teams,
      teams.map(() => 0),
    );
    return predictWin(
      teams.map((team) => team.map((id) => this.plain(id))),
      this.options(),
    );
  }

  /** Rates one match; returns every member's change, team by team. */
  rateMatch(teams: readonly (readonly string[])[], result: TeamResult): SkillChange[][] {
    const values = 'ranks' in result ? result.ranks : result.scores;
    checkTeams(teams, values);
    const before = teams.map((team) => team.map((id) => this.rating(id)));
    const order = 'ranks' in result ? { rank: [...result.ranks] } : { score: [...result.scores] };
    const after = rate(
      teams.map((team) => team.map((id) => this.plain(id))),
      { ...this.options(), ...order },
    );
    return teams.map((team, t) =>
      team.map((agentId, m) => {
        const r = after[t]![m]!;
        this.ratings.set(agentId, { mu: r.mu, sigma: r.sigma, games: this.games(agentId) + 1 });
        return { agentId, before: before[t]![m]!, after: this.rating(agentId) };
      }),
    );
  }

  toJSON(): OpenSkillTableJson {
    return { settings: { ...this.settings }, ratings: Object.fromEntries([...this.ratings].map(([id, r]) => [id, { ...r }])) };
  }

  static fromJSON(json: unknown): OpenSkillTable {
    const parsed = OpenSkillTableJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new RatingError('bad-rating-table', `OpenSkill table: ${formatZodError(parsed.error)}`, 'pass the output of OpenSkillTable.toJSON()');
    }
    const table = new OpenSkillTable(parsed.data.settings);
    for (const [id, r] of Object.entries(parsed.data.ratings)) table.ratings.set(id, { ...r });
    return table;
  }

  private plain(agentId: string): Rating {
    const { mu, sigma } = this.rating(agentId);
    return { mu, sigma };
  }

  private options(): Options {
    const { model, mu, sigma, beta, tau } = this.settings;
    return { model: MODELS[model], mu, sigma, beta, tau };
  }
}
