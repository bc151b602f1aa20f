/**
 * What the public may see of an ended match. A perfect-information game hides nothing: its
 * replay is the full record. In an imperfect-information game the record holds what no
 * spectator saw (a folded hand, the seed that dealt it), so the public replay drops the seed
 * and blanks every entry the spectator's view never gave away, and carries the spectator's
 * view after each step (`views`) so a viewer can still step through it. The full record is
 * for the operator (admin token, or the server's `fullReplays` option).
 *
 * An entry counts as hidden when some other outcome (or legal action) at that point, with the
 * rest of the game unchanged, still plays out to the same final spectator view: a spectator
 * could not tell them apart. Chance outcomes that no alternative can replace are hidden too.
 */
import type { AnyEnv, EpisodeRecord, HistoryEntry, JsonValue } from '../../envs/index.ts';
import { Episode } from '../../envs/index.ts';
import type { PublicHistoryEntry, PublicReplay } from '../../protocol/http-api.ts';

/** The replay record as the public sees it. */
export function publicReplay(env: AnyEnv, record: EpisodeRecord): EpisodeRecord | PublicReplay {
  if (env.spec.information === 'perfect') return record;
  const states = statesOf(env, record);
  const views = states.map((state) => env.view(state, 'spectator') as JsonValue);
  const finalView = JSON.stringify(views[views.length - 1]);
  // A 'sampled' env draws inside its steps from the seed: no entry can be checked without it.
  const checkable = env.spec.chance !== 'sampled';
  const history = record.history.map((entry, i): PublicHistoryEntry => {
    // A free-text move of a text env has no alternatives to compare: only the views show what was public.
    if (!checkable || entry.kind === 'text') return blank(entry);
    if (entry.kind === 'joint') {
      const actions = entry.actions.map((action, seat) => (action !== null && isHidden(env, states, record.history, i, finalView, seat) ? null : action));
      const hidden = entry.actions.flatMap((action, seat) => (action !== null && actions[seat] === null ? [seat] : []));
      return hidden.length === 0 ? { kind: 'joint', actions: entry.actions.slice() } : { kind: 'joint', actions, hidden };
    }
    if (isHidden(env, states, record.history, i, finalView, undefined)) return blank(entry);
    // A decision's raw reply text (a language model's) stays with the operator: it may think aloud about its cards.
    return entry.kind === 'chance' ? { ...entry } : { kind: 'decision', seat: entry.seat, action: entry.action };
  });
  const moves = history.map((entry, i) => moveText(env, states[i], entry));
  const returns = [...env.returns(states[states.length - 1])];
  return { format: record.format, env: record.env, version: record.version, params: record.params, redacted: true, history, views, moves, returns };
}

/** The move list line of a public entry: what was played, as the env words it; hidden ones say so. */
function moveText(env: AnyEnv, state: unknown, entry: PublicHistoryEntry): string {
  if (entry.kind === 'chance') return 'chance (hidden)';
  if (entry.kind === 'text') return `seat ${entry.seat}: (hidden)`;
  if (entry.kind === 'decision') return entry.action === null ? `seat ${entry.seat}: (hidden)` : env.actionText(state, entry.seat, entry.action);
  return entry.actions
    .map((a, seat) => (a === null ? (entry.hidden?.includes(seat) ? `seat ${seat} (hidden)` : undefined) : `seat ${seat} ${env.actionText(state, seat, a)}`))
    .filter((t): t is string => t !== undefined)
    .join(', ');
}

function blank(entry: HistoryEntry): PublicHistoryEntry {
  if (entry.kind === 'chance') return { kind: 'chance', action: null };
  if (entry.kind === 'decision') return { kind: 'decision', seat: entry.seat, action: null };
  if (entry.kind === 'text') return { kind: 'text', seat: entry.seat, text: null };
  return { kind: 'joint', actions: entry.actions.map(() => null), hidden: entry.actions.flatMap((a, seat) => (a === null ? [] : [seat])) };
}

/** The state before each entry, and the final state (length history + 1). */
function statesOf(env: AnyEnv, record: EpisodeRecord): unknown[] {
  const episode = new Episode(env, record.params, record.seed);
  const states: unknown[] = [episode.state];
  for (const entry of record.history) {
    if (entry.kind === 'chance') episode.resolveChance(entry.action);
    else if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
    else if (entry.kind === 'text') episode.stepText(entry.seat, entry.text);
    else episode.stepJoint(entry.actions);
    states.push(episode.state);
  }
  return states;
}

/** Whether entry `i` (or one seat's part of a joint entry) can be swapped without the spectator noticing. */
function isHidden(
  env: AnyEnv,
  states: readonly unknown[],
  history: readonly HistoryEntry[],
  i: number,
  finalView: string,
  jointSeat: number | undefined,
): boolean {
  const entry = history[i]!;
  const before = states[i];
  let replayable = 0;
  for (const alternative of alternativesOf(env, before, entry, jointSeat)) {
    const final = playOut(env, before, alternative, history, i);
    if (final === undefined) continue;
    replayable++;
    if (JSON.stringify(env.view(final, 'spectator')) === finalView) return true;
  }
  return entry.kind === 'chance' && replayable === 0;
}

function alternativesOf(env: AnyEnv, state: unknown, entry: HistoryEntry, jointSeat: number | undefined): HistoryEntry[] {
  if (entry.kind === 'chance') {
    return env
      .chanceOutcomes(state)
      .filter((o) => o.action !== entry.action)
      .map((o) => ({ kind: 'chance', action: o.action }));
  }
  if (entry.kind === 'decision') {
    return env
      .legalActions(state, entry.seat)
      .filter((a) => a !== entry.action)
      .map((action) => ({ kind: 'decision', seat: entry.seat, action }));
  }
  if (entry.kind === 'text') return [];
  const seat = jointSeat!;
  return env
    .legalActions(state, seat)
    .filter((a) => a !== entry.actions[seat])
    .map((action) => ({ kind: 'joint', actions: entry.actions.map((a, s) => (s === seat ? action : a)) }));
}

/** The final state with entry `i` replaced, or undefined when the rest of the game no longer fits. */
function playOut(env: AnyEnv, before: unknown, replacement: HistoryEntry, history: readonly HistoryEntry[], i: number): unknown {
  try {
    let state = applyEntry(env, before, replacement);
    for (let j = i + 1; j < history.length; j++) state = applyEntry(env, state, history[j]!);
    return state;
  } catch {
    return undefined;
  }
}

function applyEntry(env: AnyEnv, state: unknown, entry: HistoryEntry): unknown {
  if (entry.kind === 'chance') return env.apply(state, 'chance', entry.action);
  if (entry.kind === 'decision') return env.apply(state, entry.seat, entry.action);
  if (entry.kind === 'text') {
    if (env.applyText === undefined) throw new Error('no text moves in this env');
    return env.applyText(state, entry.seat, entry.text).state;
  }
  return env.applyJoint(state, entry.actions);
}
