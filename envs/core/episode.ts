/**
 * Episode: the one mutable object around a pure env. It owns the seeded chance RNG,
 * derives per-step rewards from returns, and writes a replayable record
 * `{format, env, version, params, seed, history}`.
 */
import { z } from 'zod';
import type { ActionId, AnyEnv, Seat, Turn } from './env.ts';
import { formatZodError } from './define-env.ts';
import { BadParamsError, LudusError } from './errors.ts';
import { observe, type Observation } from './observation.ts';
import { deriveSeed, Rng } from './rng.ts';
import { SEED_STREAMS } from './seed-streams.ts';

export const HistoryEntrySchema = z.union([
  z.object({ kind: z.literal('chance'), action: z.number().int().min(0) }),
  z.object({ kind: z.literal('decision'), seat: z.number().int().min(0), action: z.number().int().min(0) }),
  z.object({ kind: z.literal('joint'), actions: z.array(z.number().int().min(0).nullable()) }),
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const EpisodeRecordSchema = z.object({
  format: z.literal(1),
  env: z.string(),
  version: z.number().int().positive(),
  params: z.unknown(),
  seed: z.number().int(),
  history: z.array(HistoryEntrySchema),
});
export type EpisodeRecord = z.infer<typeof EpisodeRecordSchema>;

/** Chance RNG stream label, so agent seeds derived from the same episode seed differ. */

export class Episode<S extends { params: unknown } = any> {
  readonly env: AnyEnv;
  readonly params: unknown;
  readonly seed: number;
  readonly history: HistoryEntry[] = [];
  private readonly rng: Rng;
  private current: S;
  private previous: S;
  private cachedTurn: Turn | undefined;

  constructor(env: AnyEnv, params: unknown = {}, seed = 0) {
    this.env = env;
    this.params = env.parseParams(params);
    this.seed = seed;
    this.rng = new Rng(deriveSeed(seed, SEED_STREAMS.chance));
    this.current = env.init(this.params, seed) as S;
    this.previous = this.current;
  }

  get state(): S {
    return this.current;
  }

  get turn(): Turn {
    return (this.cachedTurn ??= this.env.turn(this.current));
  }

  get isTerminal(): boolean {
    return this.turn.kind === 'terminal';
  }

  /** Number of transitions applied so far (chance included): the arena's step index. */
  get stepIndex(): number {
    return this.history.length;
  }

  get returns(): readonly number[] {
    return this.env.returns(this.current);
  }

  /** Rewards of the last transition: returns(after) − returns(before). */
  get rewards(): number[] {
    const after = this.env.returns(this.current);
    const before = this.env.returns(this.previous);
    return after.map((r, i) => r - (before[i] ?? 0));
  }

  legalActions(seat: Seat): readonly ActionId[] {
    return this.env.legalActions(this.current, seat);
  }

  observe(seat: Seat): Observation {
    return observe(this.env, this.current, seat);
  }

  step(seat: Seat, action: ActionId): this {
    this.advance(this.env.apply(this.current, seat, action), { kind: 'decision', seat, action });
    return this;
  }

  stepJoint(actions: readonly (ActionId | null)[]): this {
    this.advance(this.env.applyJoint(this.current, actions), { kind: 'joint', actions: actions.slice() });
    return this;
  }

  /**
   * Resolves one chance node: samples from `chanceOutcomes` with the episode RNG, or applies
   * the given outcome. One draw is consumed either way, so replays keep the RNG in step.
   */
  resolveChance(outcome?: ActionId): ActionId {
    const outcomes = this.env.chanceOutcomes(this.current);
    const x = this.rng.float();
    let action = outcome;
    if (action === undefined) {
      let acc = 0;
      for (const o of outcomes) {
        acc += o.probability;
        if (x < acc) { action = o.action; break; }
      }
      action ??= outcomes[outcomes.length - 1]?.action ?? -1;
    }
    this.advance(this.env.apply(this.current, 'chance', action), { kind: 'chance', action });
    return action;
  }

  toRecord(): EpisodeRecord {
    return {
      format: 1,
      env: this.env.spec.id,
      version: this.env.spec.version,
      params: this.params,
      seed: this.seed,
      history: this.history.map((h) => (h.kind === 'joint' ? { ...h, actions: h.actions.slice() } : { ...h })),
    };
  }

  /** Rebuilds an episode from a record (e.g. parsed JSON); the RNG continues in step. */
  static replay(env: AnyEnv, input: unknown): Episode {
    const parsed = EpisodeRecordSchema.safeParse(input);
    if (!parsed.success) throw new BadParamsError('bad-record', `bad episode record: ${formatZodError(parsed.error)}`);
    const record = parsed.data;
    if (record.env !== env.spec.id || record.version !== env.spec.version) {
      throw new BadParamsError('bad-record', `record is for ${record.env}-v${record.version}, not ${env.key}`, 'replay it with the env it was recorded with');
    }
    const episode = Episode.fromRecordStart(env, record);
    record.history.forEach((entry, i) => {
      try {
        if (entry.kind === 'chance') episode.resolveChance(entry.action);
        else if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
        else episode.stepJoint(entry.actions);
      } catch (error) {
        if (!(error instanceof LudusError)) throw error;
        throw new BadParamsError('bad-record', `record step ${i} cannot be replayed: ${error.message}`);
      }
    });
    return episode;
  }

  /** The episode before its first transition; bad params are a bad record here, not bad input. */
  private static fromRecordStart(env: AnyEnv, record: EpisodeRecord): Episode {
    try {
      return new Episode(env, record.params, record.seed);
    } catch (error) {
      if (!(error instanceof LudusError)) throw error;
      throw new BadParamsError('bad-record', `record params do not fit ${env.key}: ${error.message}`);
    }
  }

  private advance(next: S, entry: HistoryEntry): void {
    this.previous = this.current;
    this.current = next;
    this.cachedTurn = undefined;
    this.history.push(entry);
  }
}
