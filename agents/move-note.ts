/**
 * Per-move agent metadata, kept beside the replay record (one entry per history entry).
 * Text agents set `reply`, the raw text that became the action; `llm` adds its model, token
 * counts, latency and how many calls, re-prompts and HTTP retries the move took.
 */
import { z } from 'zod';

const count = z.number().int().min(0);

export const MoveNoteSchema = z.object({
  reply: z.string().optional(),
  model: z.string().optional(),
  promptTokens: count.optional(),
  completionTokens: count.optional(),
  latencyMs: z.number().min(0).optional(),
  /** Chat-completion calls made for this move (re-prompts included, HTTP retries not). */
  calls: count.optional(),
  reprompts: count.optional(),
  retries: count.optional(),
});
export type MoveNote = z.infer<typeof MoveNoteSchema>;

/** Notes of one match in history order; null where the move has none (chance, scripted agents). */
export const MoveNotesSchema = z.array(z.union([MoveNoteSchema, z.array(MoveNoteSchema.nullable()), z.null()]));
export type MoveNotes = z.infer<typeof MoveNotesSchema>;
