/**
 * who-is-the-spy transitions: the deal (chance), clues, votes, eliminations and the end.
 */
import type { ChanceOutcome, Seat } from '../../core/env.ts';
import {
  actorOf,
  checkClue,
  checkVote,
  clueRoundsOf,
  isSpy,
  maxRoundsOf,
  playersOf,
  speakingOrder,
  type SpyParams,
  type SpyState,
  type Vote,
} from './rules.ts';
import { WORD_PAIRS } from './words.ts';

export function initialState(params: SpyParams): SpyState {
  const n = playersOf(params);
  return {
    params,
    pairIndex: params.pair ? 0 : null,
    swap: params.pair ? false : null,
    spySeats: [],
    firstSpeaker: params.mode === 'vision-zero' ? 0 : null,
    phase: 'setup',
    round: 0,
    clueRound: 0,
    cursor: 0,
    alive: new Array<boolean>(n).fill(true),
    disqualified: new Array<boolean>(n).fill(false),
    clues: [],
    votes: [],
    results: [],
    errors: 0,
    rejected: null,
    winner: null,
  };
}

const uniform = (ids: readonly number[]): ChanceOutcome[] => ids.map((action) => ({ action, probability: 1 / ids.length }));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** What chance decides next: the pair, which side the spies get, each spy, the first speaker. */
export function chanceOutcomesOf(s: SpyState): readonly ChanceOutcome[] {
  if (s.pairIndex === null) return uniform(range(WORD_PAIRS.length));
  if (s.swap === null) return uniform([0, 1]);
  if (s.spySeats.length < s.params.spies) return uniform(range(s.alive.length).filter((seat) => !s.spySeats.includes(seat)));
  return uniform(range(s.alive.length));
}

export function deal(s: SpyState, outcome: number): SpyState {
  let next: SpyState;
  if (s.pairIndex === null) next = { ...s, pairIndex: outcome };
  else if (s.swap === null) next = { ...s, swap: outcome === 1 };
  else if (s.spySeats.length < s.params.spies) next = { ...s, spySeats: [...s.spySeats, outcome].sort((a, b) => a - b) };
  else next = { ...s, firstSpeaker: outcome };
  const ready = next.pairIndex !== null && next.swap !== null && next.spySeats.length === s.params.spies && next.firstSpeaker !== null;
  return ready ? { ...next, phase: 'clue' } : next;
}

export const pairOf = (s: SpyState): readonly [string, string] => s.params.pair ?? WORD_PAIRS[s.pairIndex ?? 0]!;

/** The seat's secret: the civilians' word, the spies' word, or null for a blank spy. */
export function secretOf(s: SpyState, seat: Seat): string | null {
  const pair = pairOf(s);
  const civ = s.swap ? 1 : 0;
  if (!isSpy(s, seat)) return pair[civ]!;
  return s.params.blankSpy ? null : pair[1 - civ]!;
}

function checkEnd(s: SpyState): SpyState {
  if (s.params.mode !== 'classic') return s;
  const spies = s.spySeats.filter((seat) => s.alive[seat]).length;
  const civilians = s.alive.filter(Boolean).length - spies;
  if (spies === 0) return { ...s, phase: 'over', winner: 'civilians' };
  if (spies >= civilians) return { ...s, phase: 'over', winner: 'spies' };
  return s;
}

/** After the seat at `cursor` acted (or left): the next speaker, the vote, or the next round. */
function advance(s: SpyState, cursor: number): SpyState {
  const order = speakingOrder(s);
  if (cursor < order.length) return { ...s, cursor, errors: 0, rejected: null };
  const base = { ...s, cursor: 0, errors: 0, rejected: null };
  if (s.phase === 'clue') {
    const clueRound = s.clueRound + 1;
    return clueRound < clueRoundsOf(s.params) ? { ...base, clueRound } : { ...base, phase: 'vote', clueRound: 0, votes: [] };
  }
  return resolveVotes(base);
}

function tally(votes: readonly (Vote | null)[], n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (const v of votes) if (typeof v === 'number') counts[v]!++;
  return counts;
}

function resolveVotes(s: SpyState): SpyState {
  const n = s.alive.length;
  const counts = tally(s.votes, n);
  if (s.params.mode === 'vision-zero') {
    const top = Math.max(...counts);
    const caught = s.spySeats.some((spy) => counts[spy] === top && top > 0 && counts.filter((c) => c === top).length === 1);
    return { ...s, phase: 'over', results: [...s.results, { votes: s.votes, eliminated: null }], votes: [], winner: caught ? 'civilians' : 'spies' };
  }
  const top = Math.max(...counts);
  const leaders = range(n).filter((seat) => counts[seat] === top);
  const eliminated = top > 0 && leaders.length === 1 ? leaders[0]! : null;
  const alive = s.alive.slice();
  if (eliminated !== null) alive[eliminated] = false;
  const next = checkEnd({ ...s, alive, results: [...s.results, { votes: s.votes, eliminated }], votes: [] });
  if (next.phase === 'over') return next;
  const round = s.round + 1;
  if (round >= maxRoundsOf(s.params)) return { ...next, phase: 'over', winner: 'spies' };
  return { ...next, phase: 'clue', round, clueRound: 0 };
}

export type Judged = { state: SpyState; ok: true; summary: string } | { state: SpyState; ok: false; code: string; reason: string; final: boolean };

/** One free-text reply of the acting seat. */
export function reply(s: SpyState, seat: Seat, text: string): Judged {
  const cursor = s.cursor;
  if (s.phase === 'clue') {
    const check = checkClue(s, secretOf(s, seat), text);
    if (check.ok) {
      const clues = [...s.clues, { round: s.round, clueRound: s.clueRound, seat, text: check.clue }];
      return { state: advance({ ...s, clues }, cursor + 1), ok: true, summary: `clue: ${check.clue}` };
    }
    if (s.errors < s.params.errorAllowance) {
      return {
        state: { ...s, errors: s.errors + 1, rejected: { seat, reason: check.reason } },
        ok: false,
        code: check.code,
        reason: check.reason,
        final: false,
      };
    }
    const clues = [...s.clues, { round: s.round, clueRound: s.clueRound, seat, text: null }];
    if (s.params.mode === 'vision-zero') return { state: advance({ ...s, clues }, cursor + 1), ok: false, code: check.code, reason: check.reason, final: true };
    const alive = s.alive.slice();
    const disqualified = s.disqualified.slice();
    alive[seat] = false;
    disqualified[seat] = true;
    const out = checkEnd({ ...s, clues, alive, disqualified });
    const state = out.phase === 'over' ? { ...out, errors: 0, rejected: null } : advance(out, cursor);
    return { state, ok: false, code: check.code, reason: `${check.reason}; disqualified`, final: true };
  }
  const check = checkVote(s, seat, text);
  if (!check.ok && s.errors < s.params.errorAllowance) {
    return { state: { ...s, errors: s.errors + 1, rejected: { seat, reason: check.reason } }, ok: false, code: check.code, reason: check.reason, final: false };
  }
  const votes = s.votes.slice();
  while (votes.length < s.alive.length) votes.push(null);
  votes[seat] = check.ok ? check.vote : 'invalid';
  const state = advance({ ...s, votes }, cursor + 1);
  if (check.ok) return { state, ok: true, summary: check.vote === 'na' ? 'vote: N/A' : `vote: Player ${check.vote + 1}` };
  return { state, ok: false, code: check.code, reason: `${check.reason}; the vote counts as invalid`, final: true };
}

export { actorOf };
