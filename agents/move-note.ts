/**
 * Per-move agent metadata, kept beside the replay record (one entry per history entry).
 * Text agents set `reply`, the raw text that became the action; `llm` adds its model, token
 * counts, latency and how many calls, re-prompts and HTTP retries the move took.
 */
import { z } from 'zod';
import type { Seat } from '../envs/index.ts';

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

/** Totals of the notes of some moves: what match stats and agent-process lines show. */
export interface NoteTotals {
  moves: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  calls: number;
  reprompts: number;
  retries: number;
}

export const emptyNoteTotals = (): NoteTotals => ({ moves: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0, calls: 0, reprompts: 0, retries: 0 });

export function addNote(totals: NoteTotals, note: MoveNote): void {
  totals.moves++;
  totals.promptTokens += note.promptTokens ?? 0;
  totals.completionTokens += note.completionTokens ?? 0;
  totals.latencyMs += note.latencyMs ?? 0;
  totals.calls += note.calls ?? 0;
  totals.reprompts += note.reprompts ?? 0;
  totals.retries += note.retries ?? 0;
}

/** "412 moves, 93.1k prompt + 20.4k completion tokens, 812 ms/move, 3 re-prompts, 1 retry". */
export function formatNoteTotals(t: NoteTotals): string {
  const k = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));
  return `${t.moves} moves, ${k(t.promptTokens)} prompt + ${k(t.completionTokens)} completion tokens, ${Math.round(t.latencyMs / Math.max(t.moves, 1))} ms/move, ${t.reprompts} re-prompts, ${t.retries} retries`;
}

/** Each note of a match with its history index and the seat that made the move. */
export function notesOfMoves(
  history: readonly { readonly kind: string; readonly seat?: number }[],
  notes: MoveNotes | null | undefined,
): { step: number; seat: number; note: MoveNote }[] {
  const out: { step: number; seat: number; note: MoveNote }[] = [];
  notes?.forEach((entry, step) => {
    if (entry === null) return;
    if (Array.isArray(entry))
      entry.forEach((note, seat) => {
        if (note) out.push({ step, seat, note });
      });
    else if (history[step]?.seat !== undefined) out.push({ step, seat: history[step]!.seat!, note: entry });
  });
  return out;
}

/**
 * Collects agents' move notes into an array aligned with the history: a note for a decision,
 * an array by seat for a simultaneous step, null for chance and for moves without notes.
 * Allocates nothing until the first note, so scripted matches pay nothing.
 */
export class MoveNoteLog {
  private log: (MoveNote | (MoveNote | null)[] | null)[] | undefined;
  private pending: Map<Seat, MoveNote> | undefined;

  note(seat: Seat, note: MoveNote): void {
    (this.pending ??= new Map()).set(seat, note);
  }

  /** The step at `stepIndex` is about to be applied: a decision of `seat`, or a joint step (null). */
  endStep(stepIndex: number, seat: Seat | null): void {
    if (this.pending === undefined || this.pending.size === 0) return;
    const log = (this.log ??= []);
    while (log.length < stepIndex) log.push(null);
    if (seat !== null) {
      log[stepIndex] = this.pending.get(seat) ?? null;
    } else {
      const bySeat: (MoveNote | null)[] = [];
      for (const [s, note] of this.pending) {
        while (bySeat.length < s) bySeat.push(null);
        bySeat[s] = note;
      }
      log[stepIndex] = bySeat;
    }
    this.pending.clear();
  }

  result(): { notes?: MoveNotes } {
    return this.log === undefined ? {} : { notes: this.log };
  }
}
