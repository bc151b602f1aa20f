/**
 * Decayed win rates per ordered pair (AlphaStar pseudocode `Payoff`, DI-engine
 * `BattleSharedPayoff`). Each `record(a, b, s)` first multiplies the (a, b) counters by
 * `decay`, then adds the new result, so old games fade (with decay 0.99 the effective
 * window is about 100 games). The win rate is score / games, where a draw scores 0.5; with
 * fewer than `minGames` (decayed) games it is 0.5: no evidence yet, as good as a coin.
 *
 * `record` updates only the ordering it is given: callers record both (a, b, s) and
 * (b, a, 1 - s), as LeagueState does. A member against itself always has win rate 0.5.
 */
import { z } from 'zod';
import { formatZodError } from '../../envs/index.ts';
import { MatchmakingError } from './matchmaking-error.ts';

export const PayoffSettingsSchema = z.object({
  decay: z.number().gt(0).max(1).default(0.99),
  minGames: z.number().min(0).default(8),
});
export type PayoffSettings = z.infer<typeof PayoffSettingsSchema>;

/** Decayed counters of one ordered pair, from the first member's side. */
export interface PairStats {
  games: number;
  /** Decayed sum of scores (win 1, draw 0.5, loss 0). */
  score: number;
  wins: number;
  draws: number;
  losses: number;
}

const PairEntrySchema = z.object({
  a: z.string().min(1),
  b: z.string().min(1),
  games: z.number().min(0),
  score: z.number().min(0),
  wins: z.number().min(0).default(0),
  draws: z.number().min(0).default(0),
  losses: z.number().min(0).default(0),
}).refine((e) => e.score <= e.games + 1e-9, { message: 'score cannot exceed games', path: ['score'] });

export const PayoffJsonSchema = z.object({
  decay: z.number().gt(0).max(1),
  minGames: z.number().min(0),
  pairs: z.array(PairEntrySchema),
});
export type PayoffJson = z.infer<typeof PayoffJsonSchema>;
export type PayoffJsonInput = z.input<typeof PayoffJsonSchema>;

const SEP = '\u0000';

/** One member's win rates against a fixed list of opponents, kept current by `record`. */
interface WinRateRow {
  readonly opponents: readonly string[];
  readonly slots: ReadonlyMap<string, readonly number[]>;
  readonly rates: Float64Array;
}

export class PayoffTable {
  readonly decay: number;
  readonly minGames: number;
  private readonly pairs = new Map<string, PairStats>();
  /** Cached rows by member: a result updates one cell, so matchmaking reads rates in O(1) each. */
  readonly #rows = new Map<string, WinRateRow>();

  constructor(settings: z.input<typeof PayoffSettingsSchema> = {}) {
    const parsed = PayoffSettingsSchema.safeParse(settings);
    if (!parsed.success) throw new MatchmakingError('bad-payoff', `bad payoff settings: ${formatZodError(parsed.error)}`, 'decay is in (0, 1], minGames >= 0');
    this.decay = parsed.data.decay;
    this.minGames = parsed.data.minGames;
  }

  /** One result of `a` against `b`: scoreA is 1 (win), 0.5 (draw), 0 (loss) or any share in between. */
  record(a: string, b: string, scoreA: number): void {
    if (!(scoreA >= 0 && scoreA <= 1)) {
      throw new MatchmakingError('bad-payoff', `score ${scoreA} of "${a}" against "${b}" is outside [0, 1]`, 'give 1 for a win, 0.5 for a draw, 0 for a loss');
    }
    const s = a === b ? 0.5 : scoreA; // self-play carries no information: recorded as a draw
    const key = a + SEP + b;
    const e = this.pairs.get(key) ?? { games: 0, score: 0, wins: 0, draws: 0, losses: 0 };
    const d = this.decay;
    e.games = e.games * d + 1;
    e.score = e.score * d + s;
    e.wins = e.wins * d + (s > 0.5 ? 1 : 0);
    e.draws = e.draws * d + (s === 0.5 ? 1 : 0);
    e.losses = e.losses * d + (s < 0.5 ? 1 : 0);
    this.pairs.set(key, e);
    const row = this.#rows.get(a);
    const slots = row?.slots.get(b);
    if (slots) for (const i of slots) row!.rates[i] = this.winRate(a, b);
  }

  /** Decayed games of `a` against `b`. */
  games(a: string, b: string): number {
    return this.pairs.get(a + SEP + b)?.games ?? 0;
  }

  /** A copy of the decayed counters of (a, b), zeros when they never met. */
  stats(a: string, b: string): PairStats {
    const e = this.pairs.get(a + SEP + b);
    return e ? { ...e } : { games: 0, score: 0, wins: 0, draws: 0, losses: 0 };
  }

  /** Decayed probability that `a` beats `b` (draws count half); 0.5 below minGames or for a === b. */
  winRate(a: string, b: string): number {
    if (a === b) return 0.5;
    const e = this.pairs.get(a + SEP + b);
    if (!e || e.games < this.minGames || e.games === 0) return 0.5;
    return e.score / e.games;
  }

  winRates(a: string, opponents: readonly string[]): number[] {
    return opponents.map((b) => this.winRate(a, b));
  }

  /**
   * `winRates(a, opponents)` as a cached row that `record` keeps current cell by cell, so a
   * matchmaker reading it every match pays O(1) per result instead of a lookup per opponent.
   * The cache is keyed on the `opponents` array object itself (Population.opponentIds hands
   * out one array until the population changes); another array rebuilds the row. Read-only
   * for the caller, and valid until the next `record` or `winRateRow` call.
   */
  winRateRow(a: string, opponents: readonly string[]): ArrayLike<number> {
    let row = this.#rows.get(a);
    if (row?.opponents !== opponents) {
      const rates = new Float64Array(opponents.length);
      const slots = new Map<string, number[]>();
      opponents.forEach((b, i) => {
        rates[i] = this.winRate(a, b);
        slots.set(b, [...(slots.get(b) ?? []), i]);
      });
      row = { opponents, slots, rates };
      this.#rows.set(a, row);
    }
    return row.rates;
  }

  toJSON(): PayoffJson {
    const pairs = [...this.pairs].map(([key, e]) => {
      const [a, b] = key.split(SEP) as [string, string];
      return { a, b, ...e };
    });
    return { decay: this.decay, minGames: this.minGames, pairs };
  }

  static fromJSON(json: unknown): PayoffTable {
    const parsed = PayoffJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new MatchmakingError('bad-payoff', `bad payoff table: ${formatZodError(parsed.error)}`, 'the JSON must be as written by PayoffTable.toJSON');
    }
    const table = new PayoffTable({ decay: parsed.data.decay, minGames: parsed.data.minGames });
    for (const { a, b, ...stats } of parsed.data.pairs) table.pairs.set(a + SEP + b, stats);
    return table;
  }
}
