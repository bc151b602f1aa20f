/**
 * Episode: the one mutable object around a pure env. It owns the seeded chance RNG,
 * derives per-step rewards from returns, and writes a replayable record
 * `{format, env, version, params, seed, history}`.
 */
import { z } from 'zod';
import { isTruncatedState, type ActionId, type AnyEnv, type Seat, type TextVerdict, type Turn } from './env.ts';
import { formatZodError } from './define-env.ts';
import { BadParamsError, LudusError } from './errors.ts';
import { observe, type Observation } from './observation.ts';
import { deriveSeed, Rng } from './rng.ts';
import { SEED_STREAMS } from './seed-streams.ts';
import { parseActionText } from './text.ts';

/** Longest reply a record may carry; envs set their own, smaller bounds. */
export const MAX_RECORD_TEXT = 65_536;
const ReplyTextSchema = z.string().max(MAX_RECORD_TEXT);

export const HistoryEntrySchema = z.union([
  z.object({ kind: z.literal('chance'), action: z.number().int().min(0) }),
  z.object({ kind: z.literal('decision'), seat: z.number().int().min(0), action: z.number().int().min(0), text: ReplyTextSchema.optional() }),
  z.object({ kind: z.literal('text'), seat: z.number().int().min(0), text: ReplyTextSchema }),
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
  /**
   * How a finished episode ended: `terminal` (the game's own end) or `truncated` (cut by
   * the step cap, see Env.isTruncated). Absent while the episode runs, and in older records.
   */
  end: z.enum(['terminal', 'truncated']).optional(),
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

  /** The episode ended only because it hit the env's step cap (Env.isTruncated). */
  get isTruncated(): boolean {
    return this.isTerminal && isTruncatedState(this.env, this.current);
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

  /**
   * Feeds a free-text reply. Envs that judge text themselves (`dims.textActions`) get it as
   * is: the verdict says whether it moved the game or counted as an invalid move (both change
   * the state). Other envs parse it into an action id (`parseActionText`, which throws
   * ActionParseError and leaves the episode unchanged) and step it. The record keeps the text.
   */
  stepText(seat: Seat, text: string): TextVerdict {
    if (this.env.dims(this.params).textActions && this.env.applyText) {
      const { state, verdict } = this.env.applyText(this.current, seat, text);
      this.advance(state as S, { kind: 'text', seat, text });
      return verdict;
    }
    const action = parseActionText(this.env, this.current, seat, text);
    this.advance(this.env.apply(this.current, seat, action), { kind: 'decision', seat, action, text });
    return { kind: 'move', action, summary: this.env.actionText(this.previous, seat, action) };
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
        if (x < acc) {
          action = o.action;
          break;
        }
      }
      action ??= outcomes[outcomes.length - 1]?.action ?? -1;
    }
    this.advance(this.env.apply(this.current, 'chance', action), { kind: 'chance', action });
    return action;
  }

  toRecord(): EpisodeRecord {
    const record: EpisodeRecord = {
      format: 1,
      env: this.env.spec.id,
      version: this.env.spec.version,
      params: this.params,
      seed: this.seed,
      history: this.history.map((h) => (h.kind === 'joint' ? { ...h, actions: h.actions.slice() } : { ...h })),
    };
    if (this.isTerminal) record.end = this.isTruncated ? 'truncated' : 'terminal';
    return record;
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
        else if (entry.kind === 'decision') episode.replayDecision(entry.seat, entry.action, entry.text);
        else if (entry.kind === 'text') episode.stepText(entry.seat, entry.text);
        else episode.stepJoint(entry.actions);
      } catch (error) {
        if (!(error instanceof LudusError)) throw error;
        throw new BadParamsError('bad-record', `record step ${i} cannot be replayed: ${error.message}`);
      }
    });
    const end = episode.isTerminal ? (episode.isTruncated ? 'truncated' : 'terminal') : undefined;
    if (record.end !== undefined && record.end !== end) {
      throw new BadParamsError(
        'bad-record',
        `record says the episode ended ${record.end}, its replay ${end === undefined ? 'is still running' : `ended ${end}`}`,
      );
    }
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

  /** A parsed text reply replays as its recorded action (parsers may change; ids do not). */
  private replayDecision(seat: Seat, action: ActionId, text: string | undefined): void {
    this.advance(
      this.env.apply(this.current, seat, action),
      text === undefined ? { kind: 'decision', seat, action } : { kind: 'decision', seat, action, text },
    );
  }

  private advance(next: S, entry: HistoryEntry): void {
    this.previous = this.current;
    this.current = next;
    this.cachedTurn = undefined;
    this.history.push(entry);
  }
}
