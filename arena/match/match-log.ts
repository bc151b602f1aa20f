/**
 * The match log (what the episode record does not hold: timeouts, disconnects, agent
 * failures, why the match ended) and `FinishedMatch`, what a runner hands to storage.
 */
import { z } from 'zod';
import { MoveNotesSchema } from '../../agents/move-note.ts';
import { EpisodeRecordSchema } from '../../envs/index.ts';
import { EndReasonSchema, PlayerInfoSchema, RatingChangeSchema } from '../../protocol/messages.ts';
import type { Clock } from './clocks.ts';
import { TimeoutPolicySchema } from './timeout-policy.ts';

const SeatSchema = z.number().int().min(0);

export const MatchLogEntrySchema = z.discriminatedUnion('kind', [
  z.object({ at: z.number(), kind: z.literal('start') }),
  z.object({
    at: z.number(),
    kind: z.literal('timeout'),
    seat: SeatSchema,
    stepIndex: z.number().int().min(0),
    /** Why the policy played: a missed deadline, a closed reconnect window, a failed agent. */
    cause: z.enum(['deadline', 'abandoned', 'agent-error']),
    policy: TimeoutPolicySchema,
    /** The move played for the seat; null when it forfeited, or when a text was played (`text`). */
    action: z.number().int().min(0).nullable(),
    /** Text-only envs: the reply played for the seat (the env's random valid reply, or the empty one). */
    text: z.string().optional(),
  }),
  z.object({ at: z.number(), kind: z.enum(['disconnect', 'reconnect', 'abandon', 'seat-taken']), seat: SeatSchema }),
  z.object({ at: z.number(), kind: z.literal('agent-error'), seat: SeatSchema, stepIndex: z.number().int().min(0), message: z.string() }),
  z.object({ at: z.number(), kind: z.literal('internal'), message: z.string() }),
  z.object({ at: z.number(), kind: z.literal('end'), reason: EndReasonSchema, forfeitedBy: SeatSchema.optional() }),
]);
export type MatchLogEntry = z.infer<typeof MatchLogEntrySchema>;

export const FinishedMatchSchema = z.object({
  matchId: z.string(),
  /** The env key, `<id>-v<version>`. */
  env: z.string(),
  returns: z.array(z.number()),
  reason: EndReasonSchema,
  forfeitedBy: SeatSchema.optional(),
  players: z.array(PlayerInfoSchema),
  /** The replay: `Episode.replay(env, record)` rebuilds the final state (a forfeit is in the log). */
  record: EpisodeRecordSchema,
  log: z.array(MatchLogEntrySchema),
  startedAt: z.number().nullable(),
  endedAt: z.number(),
  /** Each seat's Elo change, when the match was rated (what its match:end carried). */
  ratingChange: z.array(RatingChangeSchema).optional(),
  /** In-process agents' move notes (a language model's reply, tokens, latency) aligned with `record.history`; absent when none noted. */
  notes: MoveNotesSchema.optional(),
});
export type FinishedMatch = z.infer<typeof FinishedMatchSchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type MatchLogNote = DistributiveOmit<MatchLogEntry, 'at'>;

/** The log of one match, stamped with the match clock. */
export class MatchLog {
  private readonly clock: Clock;
  private readonly list: MatchLogEntry[] = [];

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get entries(): readonly MatchLogEntry[] {
    return this.list;
  }

  note(entry: MatchLogNote): void {
    this.list.push({ at: this.clock.now(), ...entry } as MatchLogEntry);
  }
}

/** An error as one short log line. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);
