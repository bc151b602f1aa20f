/**
 * The Lewis signalling game: a cooperative two-seat game of emergent communication.
 *
 * Chance draws a hidden state from `prior` (uniform by default) over `states` values; the
 * speaker (seat 0) sees it and sends one of `signals` signals; the listener (seat 1) sees only
 * the signal and picks an act (0..states-1). Both score 1 if act = state, else 0 (identical
 * utility). Action ids: speaker 0..signals-1, listener 0..states-1.
 * Observation tensor [2 + states + signals + states]: role one-hot (speaker, listener), the
 * hidden state one-hot (the speaker only, everyone once the game is over), the signal one-hot
 * (public once sent), the act one-hot (once made). The listener and spectators never see the
 * state before the end. Version history: v1 initial.
 */
import { z } from 'zod';
import { defineEnv } from '../../core/define-env.ts';
import type { ActionId, ChanceOutcome, Seat, Viewer } from '../../core/env.ts';
import { zeros } from '../../core/tensor.ts';
import { CHANCE, TERMINAL, decision } from '../../core/turns.ts';

const ParamsSchema = z
  .object({
    states: z.number().int().min(2).max(32).default(3),
    signals: z.number().int().min(1).max(32).default(3),
    /** Unnormalised weights of the states; omitted = uniform. */
    prior: z.array(z.number().min(0).max(1e9)).optional(),
  })
  .refine((p) => p.prior === undefined || p.prior.length === p.states, { message: 'prior needs one weight per state', path: ['prior'] })
  .refine((p) => p.prior === undefined || p.prior.some((w) => w > 0), { message: 'prior needs a positive weight', path: ['prior'] });
export type SignallingParams = z.infer<typeof ParamsSchema>;

const ActionSchema = z.union([z.object({ signal: z.number().int().min(0) }), z.object({ act: z.number().int().min(0) })]);
export type SignallingAction = z.infer<typeof ActionSchema>;

/** `world` is the hidden state drawn by chance (named so to avoid clashing with the env state). */
const StateSchema = z
  .object({
    params: ParamsSchema,
    world: z.number().int().min(0).nullable(),
    signal: z.number().int().min(0).nullable(),
    act: z.number().int().min(0).nullable(),
  })
  .refine(
    (s) =>
      (s.world === null || s.world < s.params.states) &&
      (s.signal === null || (s.world !== null && s.signal < s.params.signals)) &&
      (s.act === null || (s.signal !== null && s.act < s.params.states)),
    { message: 'world, signal and act must be in range and set in that order' },
  );
export type SignallingState = z.infer<typeof StateSchema>;

const SPEAKER = 0;
const LISTENER = 1;

/** [0, 1, ..., n-1] for every n up to 32, shared and frozen. */
const RANGES: readonly (readonly ActionId[])[] = Array.from({ length: 33 }, (_, n) => Object.freeze(Array.from({ length: n }, (_, i) => i)));

const priorCache = new WeakMap<SignallingParams, readonly number[]>();

/** The normalised prior (cached per params object). */
function priorOf(p: SignallingParams): readonly number[] {
  let prior = priorCache.get(p);
  if (!prior) {
    const weights = p.prior ?? new Array<number>(p.states).fill(1);
    const total = weights.reduce((a, b) => a + b, 0);
    prior = Object.freeze(weights.map((w) => w / total));
    priorCache.set(p, prior);
  }
  return prior;
}

const outcomeCache = new WeakMap<SignallingParams, readonly ChanceOutcome[]>();

function outcomesOf(p: SignallingParams): readonly ChanceOutcome[] {
  let outcomes = outcomeCache.get(p);
  if (!outcomes) {
    outcomes = Object.freeze(priorOf(p).flatMap((probability, action) => (probability > 0 ? [{ action, probability }] : [])));
    outcomeCache.set(p, outcomes);
  }
  return outcomes;
}

const isOver = (s: SignallingState): boolean => s.act !== null;

const SUCCESS: readonly number[] = Object.freeze([1, 1]);
const FAILURE: readonly number[] = Object.freeze([0, 0]);

/** Whether this viewer may see the hidden state now. */
const seesWorld = (s: SignallingState, viewer: Viewer): boolean => viewer === SPEAKER || isOver(s);

const roleOf = (viewer: Viewer): string => (viewer === SPEAKER ? 'speaker' : viewer === LISTENER ? 'listener' : 'spectator');

function priorText(p: SignallingParams): string {
  if (p.prior === undefined) return `The hidden state is drawn uniformly from 0..${p.states - 1}.`;
  const probs = priorOf(p).map((x, i) => `state ${i}: ${Number(x.toFixed(4))}`);
  return `The hidden state is drawn with probabilities ${probs.join(', ')}.`;
}

function optionsText(s: SignallingState, seat: Seat): string {
  const ids = seat === SPEAKER ? RANGES[s.params.signals]! : RANGES[s.params.states]!;
  return ids.map((id) => actionTextOf(seat, id)).join(', ');
}

const actionTextOf = (seat: Seat, id: ActionId): string => (seat === SPEAKER ? `[signal ${id}]` : `[act ${id}]`);

function statusText(s: SignallingState, viewer: Viewer): string {
  if (s.world === null) return 'Chance is about to draw the hidden state.';
  if (s.act !== null) {
    const result = s.act === s.world ? 'success, both score 1' : 'failure, both score 0';
    return `Game over: the hidden state was ${s.world}, the speaker sent signal ${s.signal}, the listener chose act ${s.act}: ${result}.`;
  }
  const world = viewer === SPEAKER ? `The hidden state is ${s.world}. Only you can see it.` : 'You cannot see the hidden state.';
  if (s.signal === null) {
    if (viewer === SPEAKER) return `${world}\nYour turn: send one signal. Answer with one of: ${optionsText(s, SPEAKER)}.`;
    return `${world}\nThe speaker (seat 0) is choosing a signal.`;
  }
  const sent = `The speaker sent signal ${s.signal}.`;
  if (viewer === LISTENER) {
    const ask = `Your turn: choose the act equal to the state you think it is. Answer with one of: ${optionsText(s, LISTENER)}.`;
    return `${world} ${sent}\n${ask}`;
  }
  return `${world} ${sent}\nThe listener (seat 1) is choosing an act.`;
}

export const signalling = defineEnv<SignallingState, SignallingAction, SignallingParams>({
  spec: {
    id: 'signalling',
    version: 1,
    title: 'Lewis signalling game',
    dynamics: 'sequential',
    chance: 'explicit',
    information: 'imperfect',
    utility: 'identical',
    rewardModel: 'terminal',
    players: { min: 2, max: 2 },
    paramsSchema: ParamsSchema,
    actionSchema: ActionSchema,
    rulesText:
      'Lewis signalling game, a cooperative game for two players who share one score. Chance draws a hidden state, ' +
      'a number from 0 to N-1 (N = 3 by default, uniformly unless a prior is given). The speaker (seat 0) sees the ' +
      'state and sends one signal, a number from 0 to M-1 (M = 3 by default), written like [signal 1]. The ' +
      'listener (seat 1) does not see the state, only the signal, and then chooses an act, a number from 0 to N-1, ' +
      'written like [act 2]. If the act equals the hidden state both players score 1, otherwise both score 0. ' +
      'Signals have no meaning given in advance: the speaker should use a different signal for each state and the ' +
      'listener should decode it, as consistently as possible across games. The state is revealed to both at the end.',
  },
  stateSchema: StateSchema,
  dims: (p) => ({
    numPlayers: 2,
    numDistinctActions: Math.max(p.signals, p.states),
    maxChanceOutcomes: p.states,
    observationShape: [2 + p.states + p.signals + p.states],
    maxGameLength: 2,
    minUtility: 0,
    maxUtility: 1,
  }),
  init: (params) => ({ params, world: null, signal: null, act: null }),
  turn: (s) => (s.world === null ? CHANCE : s.signal === null ? decision(SPEAKER) : s.act === null ? decision(LISTENER) : TERMINAL),
  legal: (s, seat) => RANGES[seat === SPEAKER ? s.params.signals : s.params.states]!,
  isLegal: (s, seat, id) => id < (seat === SPEAKER ? s.params.signals : s.params.states),
  chanceOutcomes: (s) => outcomesOf(s.params),
  apply(s, actor, id) {
    if (actor === 'chance') return { ...s, world: id };
    return actor === SPEAKER ? { ...s, signal: id } : { ...s, act: id };
  },
  returns: (s) => (s.act !== null && s.act === s.world ? SUCCESS : FAILURE),
  observationTensor(s, viewer) {
    const { states, signals } = s.params;
    const t = zeros(2 + states + signals + states);
    if (viewer === SPEAKER || viewer === LISTENER) t[viewer] = 1;
    if (s.world !== null && seesWorld(s, viewer)) t[2 + s.world] = 1;
    if (s.signal !== null) t[2 + states + s.signal] = 1;
    if (s.act !== null) t[2 + states + signals + s.act] = 1;
    return t;
  },
  observationText(s, viewer) {
    const { states, signals } = s.params;
    const who = viewer === 'spectator' ? 'You are watching.' : `You are the ${roleOf(viewer)} (seat ${viewer}).`;
    return `Lewis signalling game (${states} states, ${signals} signals). ${who}\n${priorText(s.params)}\n${statusText(s, viewer)}`;
  },
  view: (s, viewer) => ({
    states: s.params.states,
    signals: s.params.signals,
    prior: priorOf(s.params).slice(),
    role: roleOf(viewer),
    world: seesWorld(s, viewer) ? s.world : null,
    signal: s.signal,
    act: s.act,
    success: isOver(s) ? s.act === s.world : null,
    toPlay: s.world === null || isOver(s) ? null : s.signal === null ? SPEAKER : LISTENER,
  }),
  actionText: (_s, actor, id) => (actor === 'chance' ? `state ${id}` : actionTextOf(actor, id)),
  // A bare number, or the listener naming the state it guesses.
  actionAliases: (_s, seat, id) => (seat === SPEAKER ? [String(id)] : [String(id), `state ${id}`]),
  encodeAction: (_s, seat, a) => ('signal' in a ? (seat === SPEAKER ? a.signal : undefined) : seat === LISTENER ? a.act : undefined),
  decodeAction: (_s, seat, id) => (seat === SPEAKER ? { signal: id } : { act: id }),
  clone: (s) => ({ ...s }),
  resampleHidden(s, seat, rng) {
    // The listener knows the prior and the signal; with the speaker's strategy unknown, any
    // state the prior allows is consistent with what it saw. The speaker knows everything.
    if (seat !== LISTENER || s.world === null || isOver(s)) return s;
    return { ...s, world: rng.weighted(priorOf(s.params)) };
  },
});
