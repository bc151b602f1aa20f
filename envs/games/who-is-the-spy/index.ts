/**
 * who-is-the-spy: a text social-deduction game for 4-8 players, the classic elimination game
 * by default and Vision-Zero's scoring game through `mode: 'vision-zero'` (rules.ts). Chance
 * deals a word pair from 417 built-in pairs (words.ts), which side the spies get, the spies
 * and the first speaker. A text env: replies are free text, judged by `applyText`.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { Seat } from '../../core/env.ts';
import type { Rng } from '../../core/rng.ts';
import { zeros } from '../../core/tensor.ts';
import { CHANCE, TERMINAL, decision } from '../../core/turns.ts';
import { actorOf, chanceOutcomesOf, deal, initialState, pairOf, reply, secretOf } from './flow.ts';
import { returnsOf } from './rewards.ts';
import {
  ParamsSchema,
  StateSchema,
  checkClue,
  clueRoundsOf,
  containsWord,
  isSpy,
  maxRoundsOf,
  playersOf,
  revealsRoles,
  speakingOrder,
  type SpyParams,
  type SpyState,
} from './rules.ts';
import { observationText, rolePrompt, rulesLine } from './text.ts';
import { WORD_PAIRS } from './words.ts';

export type { SpyParams, SpyState } from './rules.ts';

const MAX_PLAYERS = 8;
const TENSOR = 3 * MAX_PLAYERS + 6;
const MAX_REPLY = 4096;

const RULES_TEXT =
  'Who is the spy, a social deduction game in words for 4 to 8 players. Most players share a secret word; the spy ' +
  'holds a similar but different one (or none). In turn, each living player gives a one-line clue inside \\boxed{} ' +
  'that fits their word without saying it and without repeating an earlier clue; then everyone votes for the ' +
  'player they think is the spy (\\boxed{k}, or \\boxed{N/A}). Classic game: the most-voted player is out, civilians ' +
  'win when no spy is left, spies win when they are as many as the civilians or survive the last round (+1 to each ' +
  'winner, -1 to each loser). Vision-Zero game: 4 players, 2 clue rounds, one vote each, scored by whether you name ' +
  'the spy and how many votes you draw. An invalid clue or vote may be retried once; then the clue is skipped (the ' +
  'classic game disqualifies the player) and the vote is lost.';

const CLUE_STARTS = ['You can find it', 'People often use it', 'It is usually', 'Think of something', 'It reminds me of', 'Most homes have'];
const CLUE_ENDS = ['in the morning', 'near the kitchen', 'on holidays', 'with friends', 'when it rains', 'in many colours', 'at school', 'outdoors'];

function sampleClue(s: SpyState, seat: Seat, rng: Rng, valid: boolean): string {
  const secret = secretOf(s, seat);
  if (!valid) {
    const bad = ['\\boxed{}', 'first line\nsecond line', `\\boxed{${'very long clue '.repeat(Math.ceil(s.params.maxClueChars / 14) + 1)}}`];
    if (secret !== null && containsWord(secret, secret)) bad.push(`\\boxed{It is a ${secret}, obviously}`);
    const earlier = s.clues.filter((c) => c.text !== null);
    if (earlier.length) bad.push(`\\boxed{${rng.pick(earlier).text}}`);
    return rng.pick(bad);
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const clue = `${rng.pick(CLUE_STARTS)} ${rng.pick(CLUE_ENDS)}, hint ${s.clues.length + 1}.${rng.int(1000)}`;
    if (checkClue(s, secret, clue).ok) return `My clue: \\boxed{${clue}}`;
  }
  return `\\boxed{hint ${s.clues.length + 1}.${rng.int(1_000_000)}}`;
}

function sampleVote(s: SpyState, seat: Seat, rng: Rng, valid: boolean): string {
  const living = s.alive.flatMap((a, i) => (a && (s.params.mode === 'vision-zero' || i !== seat) ? [i] : []));
  if (valid) return rng.float() < 0.15 ? '\\boxed{N/A}' : `I vote \\boxed{${rng.pick(living) + 1}}`;
  const bad = ['I am not sure who it is.', `\\boxed{${s.alive.length + 1 + rng.int(5)}}`];
  const dead = s.alive.flatMap((a, i) => (a ? [] : [i]));
  if (dead.length) bad.push(`\\boxed{${rng.pick(dead) + 1}}`);
  if (s.params.mode === 'classic') bad.push(`\\boxed{${seat + 1}}`);
  return rng.pick(bad);
}

/** A state `seat` cannot tell apart: other spies redrawn among the players whose role is hidden from it. */
function resampleHidden(s: SpyState, seat: Seat, rng: Rng): SpyState {
  if (s.phase === 'setup' || s.phase === 'over') return s;
  const known = (x: Seat): boolean => !s.alive[x] || x === seat;
  const seatRoleKnown = revealsRoles(s.params) || s.params.blankSpy || s.params.pair !== undefined || !s.alive[seat];
  const seatSpy = seatRoleKnown ? isSpy(s, seat) : rng.int(s.alive.length) < s.params.spies;
  const fixed = s.spySeats.filter((x) => known(x) && x !== seat);
  const pool = s.alive.flatMap((a, x) => (a && x !== seat ? [x] : []));
  const spies = [...fixed, ...(seatSpy ? [seat] : [])];
  while (spies.length < s.params.spies && pool.length) {
    const i = rng.int(pool.length);
    spies.push(pool.splice(i, 1)[0]!);
  }
  if (spies.length !== s.params.spies) return s;
  // The seat keeps its word: if its role flips, the pair's sides swap.
  const flipped = seatSpy !== isSpy(s, seat);
  return { ...s, spySeats: spies.sort((a, b) => a - b), swap: flipped ? !s.swap : s.swap };
}

export const whoIsTheSpy = defineEnv<SpyState, string, SpyParams>({
  spec: {
    id: 'who-is-the-spy',
    version: 1,
    title: 'Who is the spy',
    dynamics: 'sequential',
    chance: 'explicit',
    information: 'imperfect',
    utility: 'general-sum',
    rewardModel: 'terminal',
    players: { min: 4, max: MAX_PLAYERS },
    paramsSchema: ParamsSchema,
    actionSchema: z.string().max(MAX_REPLY),
    rulesText: RULES_TEXT,
  },
  stateSchema: StateSchema,
  dims: (p) => {
    const n = playersOf(p);
    const steps = p.mode === 'vision-zero' ? (clueRoundsOf(p) + 1) * n : maxRoundsOf(p) * 2 * n;
    return {
      numPlayers: n,
      numDistinctActions: 0,
      maxChanceOutcomes: Math.max(WORD_PAIRS.length, n, 2),
      observationShape: [TENSOR],
      maxGameLength: steps * (p.errorAllowance + 1),
      minUtility: -1,
      maxUtility: 1,
      textActions: { maxChars: MAX_REPLY },
    };
  },
  init: (params) => initialState(params),
  turn: (s) => (s.phase === 'over' ? TERMINAL : s.phase === 'setup' ? CHANCE : decision(actorOf(s)!)),
  legal: () => [],
  chanceOutcomes: chanceOutcomesOf,
  apply: (s, actor, action) => (actor === 'chance' ? deal(s, action) : s),
  applyText(s, seat, text) {
    const judged = reply(s, seat, text);
    if (judged.ok) return { state: judged.state, verdict: { kind: 'move', summary: judged.summary } };
    return { state: judged.state, verdict: { kind: 'invalid', code: judged.code, reason: judged.reason, final: judged.final } };
  },
  sampleText: (s, seat, rng, valid) => (s.phase === 'clue' ? sampleClue(s, seat, rng, valid) : sampleVote(s, seat, rng, valid)),
  rolePrompt,
  returns: returnsOf,
  observationTensor(s, viewer) {
    const t = zeros(TENSOR);
    const n = s.alive.length;
    for (let x = 0; x < n; x++) t[MAX_PLAYERS + x] = s.alive[x] ? 1 : 0;
    const last = s.results[s.results.length - 1];
    if (last) for (const v of last.votes) if (typeof v === 'number') t[2 * MAX_PLAYERS + v]! += 1 / (n - 1);
    const phase = ['setup', 'clue', 'vote', 'over'].indexOf(s.phase);
    t[3 * MAX_PLAYERS + phase] = 1;
    t[3 * MAX_PLAYERS + 4] = s.round / maxRoundsOf(s.params);
    if (viewer === 'spectator' || s.phase === 'setup') return t;
    t[viewer] = 1;
    const knowsRole = revealsRoles(s.params) || s.params.blankSpy || s.phase === 'over';
    t[3 * MAX_PLAYERS + 5] = knowsRole && isSpy(s, viewer) ? 1 : 0;
    return t;
  },
  observationText,
  view(s, viewer) {
    const over = s.phase === 'over';
    return {
      players: s.alive.length,
      mode: s.params.mode,
      phase: s.phase,
      round: s.round,
      clueRound: s.clueRound,
      toAct: actorOf(s) ?? null,
      order: speakingOrder(s),
      alive: s.alive,
      disqualified: s.disqualified,
      clues: s.clues.map((c) => ({ round: c.round, clueRound: c.clueRound, seat: c.seat, text: c.text })),
      results: s.results.map((r) => ({ votes: r.votes, eliminated: r.eliminated })),
      secret: viewer === 'spectator' || s.phase === 'setup' ? null : secretOf(s, viewer),
      spies: over ? s.spySeats : null,
      pair: over ? [...pairOf(s)] : null,
      winner: s.winner,
    };
  },
  actionText: (s, actor, action) => (actor === 'chance' ? chanceText(s, action) : `action ${action}`),
  encodeAction: () => undefined,
  decodeAction: () => '',
  clone: (s) => structuredClone(s),
  resampleHidden,
});

function chanceText(s: SpyState, outcome: number): string {
  if (s.pairIndex === null) return `word pair ${outcome}`;
  if (s.swap === null) return outcome === 1 ? 'spies get the first word' : 'spies get the second word';
  if (s.spySeats.length < s.params.spies) return `spy: Player ${outcome + 1}`;
  return `first speaker: Player ${outcome + 1}`;
}

export { rulesLine };
