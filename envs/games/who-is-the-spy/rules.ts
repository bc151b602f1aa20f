/**
 * Who is the spy: params, state and the moves. Civilians share a secret word, the spies hold a
 * near neighbour (or nothing, `blankSpy`). Each round every living player gives a one-line clue
 * in speaking order, then everyone votes. Clues are checked: one non-empty line within
 * `maxClueChars`, not containing the speaker's own word, not repeating an earlier clue.
 * 'classic': the most-voted player is out (a tie eliminates nobody) and their role is shown;
 * civilians win when no spy is left, spies when they are at least as many as the civilians or
 * after `maxRounds`. 'vision-zero' (Vision-Zero's setting): 4 players, 1 spy, everyone told
 * their role, `clueRounds` clue rounds, one vote each, rewards by its formulas (rewards.ts).
 * Invalid replies may be retried `errorAllowance` times; then a clue is skipped (classic:
 * the player is disqualified) and a vote counts as invalid.
 */
import { z } from 'zod';
import type { Seat } from '../../core/env.ts';

export const ParamsSchema = z
  .strictObject({
    mode: z.enum(['classic', 'vision-zero']).default('classic'),
    players: z.number().int().min(4).max(8).optional(),
    spies: z.number().int().min(1).max(3).default(1),
    /** vision-zero: clue rounds before the single vote. */
    clueRounds: z.number().int().min(1).max(5).default(2),
    /** classic: rounds before the spies win by surviving. */
    maxRounds: z.number().int().min(1).max(20).optional(),
    /** [civilian secret, spy secret]; default: a pair drawn from the built-in list (either way round). */
    pair: z.tuple([z.string().min(1).max(500), z.string().min(1).max(500)]).optional(),
    /** The spies get no secret at all (Vision-Zero v2's blank image). */
    blankSpy: z.boolean().default(false),
    /** Whether each player is told their own role; default: true in vision-zero, false in classic. */
    revealRoles: z.boolean().optional(),
    alpha: z.number().min(0).max(2).default(0.6),
    beta: z.number().min(0).max(2).default(0.5),
    maxClueChars: z.number().int().min(20).max(2000).default(400),
    errorAllowance: z.number().int().min(0).max(5).default(1),
  })
  .refine((p) => p.mode === 'classic' || ((p.players ?? 4) === 4 && p.spies === 1), {
    message: 'vision-zero is played by 4 players with 1 spy',
    path: ['players'],
  })
  .refine((p) => p.spies * 2 < (p.players ?? (p.mode === 'classic' ? 6 : 4)), { message: 'spies must be fewer than half the players', path: ['spies'] });
export type SpyParams = z.infer<typeof ParamsSchema>;

export const playersOf = (p: SpyParams): number => p.players ?? (p.mode === 'classic' ? 6 : 4);
export const revealsRoles = (p: SpyParams): boolean => p.revealRoles ?? p.mode === 'vision-zero';
export const maxRoundsOf = (p: SpyParams): number => (p.mode === 'vision-zero' ? 1 : (p.maxRounds ?? playersOf(p)));
export const clueRoundsOf = (p: SpyParams): number => (p.mode === 'vision-zero' ? p.clueRounds : 1);

/** A vote: a seat, 'na' (N/A, abstain), or 'invalid' (unusable after the allowance). */
const VoteSchema = z.union([z.number().int().min(0), z.literal('na'), z.literal('invalid')]);
export type Vote = z.infer<typeof VoteSchema>;

export const StateSchema = z.object({
  params: ParamsSchema,
  /** Set by chance: built-in pair index (or 0 with an explicit pair), which side the spies get, the spies, the first speaker. */
  pairIndex: z.number().int().min(0).nullable(),
  swap: z.boolean().nullable(),
  spySeats: z.array(z.number().int().min(0)),
  firstSpeaker: z.number().int().min(0).nullable(),
  phase: z.enum(['setup', 'clue', 'vote', 'over']),
  /** Game round (classic: clue + vote + elimination), and the clue round inside it. */
  round: z.number().int().min(0),
  clueRound: z.number().int().min(0),
  /** Index into the living speaking order of the seat to act. */
  cursor: z.number().int().min(0),
  alive: z.array(z.boolean()),
  disqualified: z.array(z.boolean()),
  clues: z.array(z.object({ round: z.number().int(), clueRound: z.number().int(), seat: z.number().int().min(0), text: z.string().nullable() })),
  /** Votes of the round in progress, by seat (null: not voted, yet or at all). */
  votes: z.array(VoteSchema.nullable()),
  /** Finished vote rounds: the votes and who went out. */
  results: z.array(z.object({ votes: z.array(VoteSchema.nullable()), eliminated: z.number().int().min(0).nullable() })),
  /** Invalid replies of the seat to act (reset when the turn passes). */
  errors: z.number().int().min(0),
  /** Why the acting seat's last reply was rejected (shown to that seat only). */
  rejected: z.object({ seat: z.number().int().min(0), reason: z.string() }).nullable(),
  winner: z.enum(['civilians', 'spies']).nullable(),
});
export type SpyState = z.infer<typeof StateSchema>;

export const isSpy = (s: SpyState, seat: Seat): boolean => s.spySeats.includes(seat);

/** Living seats in speaking order, starting from the first speaker. */
export function speakingOrder(s: SpyState): Seat[] {
  const n = s.alive.length;
  const first = s.firstSpeaker ?? 0;
  return Array.from({ length: n }, (_, i) => (first + i) % n).filter((seat) => s.alive[seat]);
}

export function actorOf(s: SpyState): Seat | undefined {
  if (s.phase !== 'clue' && s.phase !== 'vote') return undefined;
  return speakingOrder(s)[s.cursor];
}

/** Normalized clue for the no-repeat rule: lower case, letters and digits only, single spaces. */
export const normalizeClue = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function containsWord(clue: string, word: string): boolean {
  const w = normalizeClue(word);
  if (!w || w.split(' ').length > 3) return false; // long scene descriptions are not checked word by word
  return ` ${normalizeClue(clue)} `.includes(` ${w} `);
}

/** The answer inside the last \boxed{...} if there is one, else the whole reply; trimmed. */
export function answerOf(reply: string): string {
  const all = [...reply.matchAll(/\\boxed\{([^{}]*)\}/g)];
  return (all.length ? all[all.length - 1]![1]! : reply).trim();
}

export type ClueCheck = { ok: true; clue: string } | { ok: false; code: string; reason: string };

export function checkClue(s: SpyState, secret: string | null, reply: string): ClueCheck {
  const clue = answerOf(reply);
  if (!clue) return { ok: false, code: 'spy-clue-empty', reason: 'the clue is empty' };
  if (/[\r\n]/.test(clue)) return { ok: false, code: 'spy-clue-multiline', reason: 'a clue is one line' };
  if (clue.length > s.params.maxClueChars) return { ok: false, code: 'spy-clue-too-long', reason: `a clue has at most ${s.params.maxClueChars} characters` };
  if (secret !== null && containsWord(clue, secret)) return { ok: false, code: 'spy-clue-says-word', reason: 'the clue says your own word' };
  const key = normalizeClue(clue);
  if (s.clues.some((c) => c.text !== null && normalizeClue(c.text) === key))
    return { ok: false, code: 'spy-clue-repeated', reason: 'that clue was already given' };
  return { ok: true, clue };
}

export type VoteCheck = { ok: true; vote: Seat | 'na' } | { ok: false; code: string; reason: string };

/** "3", "Player 3", "\boxed{3}" name Player 3 (seat 2); "N/A" abstains. Players are numbered from 1 in text. */
export function checkVote(s: SpyState, seat: Seat, reply: string): VoteCheck {
  const answer = answerOf(reply);
  if (/^n\/?a\.?$/i.test(answer)) return { ok: true, vote: 'na' };
  const m = /^(?:player\s*)?(\d{1,2})\.?$/i.exec(answer);
  if (!m) return { ok: false, code: 'spy-vote-unparseable', reason: 'answer with a player number, or N/A' };
  const target = Number(m[1]) - 1;
  if (target < 0 || target >= s.alive.length || !s.alive[target])
    return { ok: false, code: 'spy-vote-invalid-target', reason: `Player ${m[1]} is not a living player` };
  if (target === seat && s.params.mode === 'classic') return { ok: false, code: 'spy-vote-invalid-target', reason: 'you cannot vote for yourself' };
  return { ok: true, vote: target };
}
