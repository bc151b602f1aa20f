/**
 * Repeated rock-paper-scissors with simultaneous moves.
 *
 * Every round both seats choose at once (action 0 rock, 1 paper, 2 scissors); the winner of
 * the round scores +1 and the loser -1, a tie scores 0. Returns are the running sums of those
 * round scores, so they move every round (stepwise rewards), always sum to zero and lie in
 * [-rounds, rounds]. Everything played is public once a round is over: perfect information.
 * Observation tensor [9] from the viewer's side (a spectator sees seat 0's side): own last move
 * one-hot (3), opponent's last move one-hot (3), rounds played / rounds, own wins / rounds,
 * opponent's wins / rounds.
 * Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, Viewer } from '../../core/env.ts';
import { IllegalActionError } from '../../core/errors.ts';
import { zeros } from '../../core/tensor.ts';
import { TERMINAL, simultaneous } from '../../core/turns.ts';

const MOVES = ['rock', 'paper', 'scissors'] as const;

const ParamsSchema = z.object({
  rounds: z.number().int().min(1).max(1000).default(5),
});
export type RockPaperScissorsParams = z.infer<typeof ParamsSchema>;

const ActionSchema = z.object({ move: z.enum(MOVES) });
export type RockPaperScissorsAction = z.infer<typeof ActionSchema>;

const MoveIdSchema = z.number().int().min(0).max(2);

/** `played[i]` = [seat 0's move, seat 1's move] in round i; `wins` = rounds won per seat. */
const StateSchema = z
  .object({
    params: ParamsSchema,
    played: z.array(z.tuple([MoveIdSchema, MoveIdSchema])),
    wins: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  })
  .refine((s) => s.played.length <= s.params.rounds, { message: 'more rounds played than the game has' });
export type RockPaperScissorsState = z.infer<typeof StateSchema>;

const BOTH = simultaneous([0, 1]);
const LEGAL: readonly ActionId[] = Object.freeze([0, 1, 2]);
/** Rounds of history written out in the text observation; older ones are summarised. */
const TEXT_HISTORY = 50;

/** +1 if move a beats move b, -1 if b beats a, 0 on a tie (paper > rock > scissors > paper). */
const ROUND_SCORE = [0, 1, -1] as const;
const roundScore = (a: number, b: number): number => ROUND_SCORE[(a - b + 3) % 3]!;

const isOver = (s: RockPaperScissorsState): boolean => s.played.length >= s.params.rounds;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function roundLine(round: readonly number[], index: number, viewer: Viewer): string {
  const me = viewer === 'spectator' ? 0 : viewer;
  const mine = MOVES[round[me]!]!;
  const theirs = MOVES[round[1 - me]!]!;
  const r = roundScore(round[me]!, round[1 - me]!);
  if (viewer === 'spectator') {
    const result = r === 0 ? 'a tie' : `seat ${r > 0 ? 0 : 1} won the round`;
    return `Round ${index + 1}: seat 0 played ${mine}, seat 1 played ${theirs}: ${result}.`;
  }
  const result = r === 0 ? 'a tie' : r > 0 ? 'you won the round' : 'your opponent won the round';
  return `Round ${index + 1}: you played ${mine}, your opponent played ${theirs}: ${result}.`;
}

function historyText(s: RockPaperScissorsState, viewer: Viewer): string {
  const n = s.played.length;
  if (n === 0) return 'No rounds played yet.';
  const first = Math.max(0, n - TEXT_HISTORY);
  const lines = s.played.slice(first).map((round, i) => roundLine(round, first + i, viewer));
  if (first > 0) lines.unshift(`(${plural(first, 'earlier round')} not shown.)`);
  const other = viewer === 'spectator' ? 1 : 1 - viewer;
  const counts = MOVES.map((move, id) => `${move} ${s.played.filter((round) => round[other] === id).length}`);
  lines.push(`${viewer === 'spectator' ? "Seat 1's" : "Your opponent's"} moves so far: ${counts.join(', ')}.`);
  return lines.join('\n');
}

function scoreText(s: RockPaperScissorsState, viewer: Viewer): string {
  const n = s.played.length;
  const ties = n - s.wins[0] - s.wins[1];
  if (viewer === 'spectator') {
    return `Rounds won after ${n} of ${s.params.rounds}: seat 0: ${s.wins[0]}, seat 1: ${s.wins[1]}, ties: ${ties}.`;
  }
  return `Rounds won after ${n} of ${s.params.rounds}: you: ${s.wins[viewer]}, your opponent: ${s.wins[1 - viewer]}, ties: ${ties}.`;
}

function statusText(s: RockPaperScissorsState, viewer: Viewer): string {
  const margin = s.wins[0] - s.wins[1];
  if (isOver(s)) {
    if (margin === 0) return 'Game over: the match is a draw (return 0 each).';
    const winner = margin > 0 ? 0 : 1;
    if (viewer === 'spectator') return `Game over: seat ${winner} wins the match by ${Math.abs(margin)}.`;
    const mine = viewer === 0 ? margin : -margin;
    return `Game over: you ${mine > 0 ? 'win' : 'lose'} the match; your return is ${mine > 0 ? '+' : ''}${mine}.`;
  }
  const round = `Round ${s.played.length + 1} of ${s.params.rounds}`;
  if (viewer === 'spectator') return `${round}: both seats are choosing their moves.`;
  return `${round}: choose your move; your opponent chooses at the same time. Answer with one of: [rock], [paper], [scissors].`;
}

export const rockPaperScissors = defineEnv<RockPaperScissorsState, RockPaperScissorsAction, RockPaperScissorsParams>({
  spec: {
    id: 'rock-paper-scissors',
    version: 1,
    title: 'Rock Paper Scissors (repeated)',
    dynamics: 'simultaneous',
    chance: 'deterministic',
    information: 'perfect',
    utility: 'zero-sum',
    rewardModel: 'stepwise',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText:
      'Repeated rock-paper-scissors between two players (default 5 rounds). In every round both players choose ' +
      "rock, paper or scissors at the same time, without seeing the other's choice. Paper beats rock, rock beats " +
      'scissors, scissors beats paper; equal choices tie. The round winner scores +1 and the loser -1; a tie scores ' +
      '0 for both. Your return is the sum of your round scores, so the two returns always add up to zero. After ' +
      'each round both choices are revealed, so you can try to predict your opponent from their past moves. ' +
      'To move, answer with exactly one of [rock], [paper] or [scissors].',
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: 3,
    maxChanceOutcomes: 0,
    observationShape: [9],
    maxGameLength: p.rounds,
    minUtility: -p.rounds,
    maxUtility: p.rounds,
    utilitySum: 0,
  }),
  init: (params) => ({ params, played: [], wins: [0, 0] }),
  turn: (s) => (isOver(s) ? TERMINAL : BOTH),
  legal: () => LEGAL,
  isLegal: (_s, _seat, move) => move < 3,
  apply() {
    // defineEnv rejects apply() at simultaneous and terminal nodes, the only nodes there are.
    throw new IllegalActionError('wrong-node', 'rock-paper-scissors has only simultaneous moves', 'use applyJoint');
  },
  applyJoint(s, actions) {
    const a = actions[0]!;
    const b = actions[1]!;
    const r = roundScore(a, b);
    const wins: [number, number] = r > 0 ? [s.wins[0] + 1, s.wins[1]] : r < 0 ? [s.wins[0], s.wins[1] + 1] : [s.wins[0], s.wins[1]];
    return { params: s.params, played: [...s.played, [a, b]], wins };
  },
  returns: (s) => [s.wins[0] - s.wins[1], s.wins[1] - s.wins[0]],
  observationTensor(s, viewer) {
    const t = zeros(9);
    const me = viewer === 'spectator' ? 0 : viewer;
    const last = s.played[s.played.length - 1];
    if (last) {
      t[last[me]!] = 1;
      t[3 + last[1 - me]!] = 1;
    }
    const rounds = s.params.rounds;
    t[6] = s.played.length / rounds;
    t[7] = s.wins[me]! / rounds;
    t[8] = s.wins[1 - me]! / rounds;
    return t;
  },
  observationText(s, viewer) {
    const who = viewer === 'spectator' ? 'You are watching seats 0 and 1.' : `You are seat ${viewer}.`;
    const title = `Rock Paper Scissors, ${plural(s.params.rounds, 'round')}. ${who}`;
    return [title, historyText(s, viewer), scoreText(s, viewer), statusText(s, viewer)].join('\n');
  },
  view: (s) => ({
    rounds: s.params.rounds,
    played: s.played.map((round) => [MOVES[round[0]]!, MOVES[round[1]]!]),
    wins: [s.wins[0], s.wins[1]],
    returns: [s.wins[0] - s.wins[1], s.wins[1] - s.wins[0]],
    toPlay: isOver(s) ? [] : [0, 1],
  }),
  actionText: (_s, _actor, move) => `[${MOVES[move] ?? `move ${move}`}]`,
  encodeAction: (_s, _seat, a) => MOVES.indexOf(a.move),
  decodeAction: (_s, _seat, move) => ({ move: MOVES[move]! }),
  clone: (s) => ({ params: s.params, played: s.played.map((round) => [round[0], round[1]]), wins: [s.wins[0], s.wins[1]] }),
});
