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

const PairEntrySchema = z
  .object({
    a: z.string().min(1),
    b: z.string().min(1),
    games: z.number().min(0),
    score: z.number().min(0),
    wins: z.number().min(0).default(0),
    draws: z.number().min(0).default(0),
    losses: z.number().min(0).default(0),
  })
  .refine((e) => e.score <= e.games + 1e-9, { message: 'score cannot exceed games', path: ['score'] });

export const PayoffJsonSchema = z.object({
  decay: z.number().gt(0).max(1),
  minGames: z.number().min(0),
  pairs: z.array(PairEntrySchema),
});
export type PayoffJson = z.infer<typeof PayoffJsonSchema>;
export type PayoffJsonInput = z.input<typeof PayoffJsonSchema>;

/** One member's win rates against a fixed list of opponents, kept current by `record`. */
interface WinRateRow {
  readonly opponents: readonly string[];
  /** By table index: the opponent's first slot in `rates`, or -1. */
  readonly slotOf: Int32Array;
  /** Further slots of opponents listed twice: [slot, table index]. */
  readonly repeats: readonly (readonly [number, number])[];
  readonly rates: Float64Array;
}

/** Counters per ordered pair, stored in one Float64Array per first member: games, score, wins, draws, losses. */
const STRIDE = 5;
const [GAMES, SCORE, WINS, DRAWS, LOSSES] = [0, 1, 2, 3, 4] as const;

export class PayoffTable {
  readonly decay: number;
  readonly minGames: number;
  /**
   * Members get a table index on first sight; counters live in typed arrays by index, so a
   * result touches one or two cache lines however large the league (objects per pair made
   * 128-member leagues memory-bound: bench:league scaling).
   */
  readonly #index = new Map<string, number>();
  readonly #ids: string[] = [];
  readonly #cells: Float64Array[] = [];
  readonly #met: Uint8Array[] = [];
  /** Cached win-rate rows by table index: a result updates one cell, so matchmaking reads rates in O(1) each. */
  readonly #rows: (WinRateRow | undefined)[] = [];

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
    const ia = this.#indexOf(a);
    const ib = this.#indexOf(b);
    const cells = this.#row(ia, ib);
    const at = ib * STRIDE;
    const d = this.decay;
    cells[at + GAMES] = cells[at + GAMES]! * d + 1;
    cells[at + SCORE] = cells[at + SCORE]! * d + s;
    cells[at + WINS] = cells[at + WINS]! * d + (s > 0.5 ? 1 : 0);
    cells[at + DRAWS] = cells[at + DRAWS]! * d + (s === 0.5 ? 1 : 0);
    cells[at + LOSSES] = cells[at + LOSSES]! * d + (s < 0.5 ? 1 : 0);
    this.#met[ia]![ib] = 1;
    const cached = this.#rows[ia];
    if (!cached) return;
    const rate = this.#rate(ia, ib);
    const slot = ib < cached.slotOf.length ? cached.slotOf[ib]! : -1;
    if (slot >= 0) cached.rates[slot] = rate;
    for (const [extra, index] of cached.repeats) if (index === ib) cached.rates[extra] = rate;
  }

  /** Decayed games of `a` against `b`. */
  games(a: string, b: string): number {
    return this.#cell(a, b, GAMES);
  }

  /** A copy of the decayed counters of (a, b), zeros when they never met. */
  stats(a: string, b: string): PairStats {
    return {
      games: this.#cell(a, b, GAMES),
      score: this.#cell(a, b, SCORE),
      wins: this.#cell(a, b, WINS),
      draws: this.#cell(a, b, DRAWS),
      losses: this.#cell(a, b, LOSSES),
    };
  }

  /** Decayed probability that `a` beats `b` (draws count half); 0.5 below minGames or for a === b. */
  winRate(a: string, b: string): number {
    if (a === b) return 0.5;
    const ia = this.#index.get(a);
    const ib = this.#index.get(b);
    return ia === undefined || ib === undefined ? 0.5 : this.#rate(ia, ib);
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
    const ia = this.#indexOf(a);
    let row = this.#rows[ia];
    if (row?.opponents !== opponents) {
      const indices = opponents.map((b) => this.#indexOf(b));
      const slotOf = new Int32Array(this.#ids.length).fill(-1);
      const repeats: [number, number][] = [];
      indices.forEach((ib, slot) => {
        if (slotOf[ib] === -1) slotOf[ib] = slot;
        else repeats.push([slot, ib]);
      });
      const rates = Float64Array.from(opponents, (b) => this.winRate(a, b));
      row = { opponents, slotOf, repeats, rates };
      this.#rows[ia] = row;
    }
    return row.rates;
  }

  toJSON(): PayoffJson {
    const pairs: PayoffJson['pairs'] = [];
    this.#met.forEach((met, ia) =>
      met.forEach((flag, ib) => {
        if (flag) pairs.push({ a: this.#ids[ia]!, b: this.#ids[ib]!, ...this.stats(this.#ids[ia]!, this.#ids[ib]!) });
      }),
    );
    return { decay: this.decay, minGames: this.minGames, pairs };
  }

  static fromJSON(json: unknown): PayoffTable {
    const parsed = PayoffJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new MatchmakingError('bad-payoff', `bad payoff table: ${formatZodError(parsed.error)}`, 'the JSON must be as written by PayoffTable.toJSON');
    }
    const table = new PayoffTable({ decay: parsed.data.decay, minGames: parsed.data.minGames });
    for (const { a, b, games, score, wins, draws, losses } of parsed.data.pairs) {
      const ia = table.#indexOf(a);
      const ib = table.#indexOf(b);
      table.#row(ia, ib).set([games, score, wins, draws, losses], ib * STRIDE);
      table.#met[ia]![ib] = 1;
    }
    return table;
  }

  #indexOf(id: string): number {
    let index = this.#index.get(id);
    if (index === undefined) {
      index = this.#ids.length;
      this.#index.set(id, index);
      this.#ids.push(id);
      this.#cells.push(new Float64Array(0));
      this.#met.push(new Uint8Array(0));
    }
    return index;
  }

  /** The counters row of `ia`, grown (doubling) to hold column `ib`. */
  #row(ia: number, ib: number): Float64Array {
    let cells = this.#cells[ia]!;
    if ((ib + 1) * STRIDE > cells.length) {
      const capacity = Math.max(8, 2 ** Math.ceil(Math.log2(ib + 1)), this.#ids.length);
      const grown = new Float64Array(capacity * STRIDE);
      grown.set(cells);
      this.#cells[ia] = cells = grown;
      const met = new Uint8Array(capacity);
      met.set(this.#met[ia]!);
      this.#met[ia] = met;
    }
    return cells;
  }

  #cell(a: string, b: string, field: number): number {
    const ia = this.#index.get(a);
    const ib = this.#index.get(b);
    if (ia === undefined || ib === undefined) return 0;
    return this.#cells[ia]![ib * STRIDE + field] ?? 0;
  }

  #rate(ia: number, ib: number): number {
    if (ia === ib) return 0.5;
    const cells = this.#cells[ia]!;
    const games = cells[ib * STRIDE + GAMES] ?? 0;
    if (games < this.minGames || games === 0) return 0.5;
    return cells[ib * STRIDE + SCORE]! / games;
  }
}
