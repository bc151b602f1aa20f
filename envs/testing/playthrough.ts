/**
 * Golden playthroughs (OpenSpiel's playthrough_test.py approach): a deterministic text
 * transcript of one seeded random playout: per step the turn, the legal action texts,
 * every seat's and the spectator's observation text and tensor, the chosen action, and the
 * returns at the end. Any change to rules, encoding or observations changes the transcript,
 * which must then come with a version bump.
 */
import type { AnyEnv, Viewer } from '../core/env.ts';
import { Episode, type HistoryEntry } from '../core/episode.ts';
import { viewersOf } from './observation-checks.ts';
import { randomPlayout } from './random-playout.ts';
import { fail, type Where } from './where.ts';

export interface PlaythroughOptions {
  readonly params?: unknown;
  /** Seeds both chance and the random policy. Default 0. */
  readonly seed?: number;
  /** Steps written out in full; later ones are only counted. Default 100. */
  readonly maxSteps?: number;
}

/** A stored transcript; `expected` is undefined when the file does not exist. */
export interface GoldenPlaythrough {
  readonly expected: string | undefined;
  /** Where it is stored, for messages: `test/envs/playthroughs/<key>.txt`. */
  readonly source: string;
  /** Steps written out in full (default 100); real-time envs print a few ticks, then the count and returns. */
  readonly maxSteps?: number;
}

export const PLAYTHROUGH_UPDATE_HINT = 'if the change is intended, bump the env version and run `npm run playthroughs:update`';

const formatNumber = (x: number): string => String(Number(x.toPrecision(6)) + 0); // + 0 turns -0 into 0

/** Binary tensors as 0/1 runs grouped by the last dimension; others as sparse index:value pairs. */
export function tensorText(tensor: Float32Array, shape: readonly number[]): string {
  if (tensor.every((x) => x === 0 || x === 1)) {
    const width = shape[shape.length - 1] ?? tensor.length;
    const groups: string[] = [];
    for (let i = 0; i < tensor.length; i += width) groups.push(Array.from(tensor.subarray(i, i + width)).join(''));
    return groups.join(' ');
  }
  const pairs: string[] = [];
  tensor.forEach((x, i) => {
    if (x !== 0) pairs.push(`${i}:${formatNumber(x)}`);
  });
  return pairs.length ? pairs.join(' ') : 'all zero';
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
const viewerName = (viewer: Viewer): string => (viewer === 'spectator' ? 'spectator' : `seat ${viewer}`);

function renderState(env: AnyEnv, episode: Episode, lines: string[]): void {
  const { state, turn } = episode;
  const dims = env.dims(episode.params);
  lines.push(
    `== step ${episode.stepIndex}: ${
      turn.kind === 'decision' ? `decision, seat ${turn.seat}` : turn.kind === 'simultaneous' ? `simultaneous, seats ${turn.seats.join(' ')}` : turn.kind
    }`,
  );
  lines.push(`returns: ${episode.returns.map(formatNumber).join(' ')}`);
  if (turn.kind === 'chance') {
    const outcomes = env.chanceOutcomes(state).map((o) => `${o.action} ${env.actionText(state, 'chance', o.action)} (p=${formatNumber(o.probability)})`);
    lines.push(`chance outcomes: ${outcomes.join(' | ')}`);
  }
  for (let seat = 0; seat < dims.numPlayers; seat++) {
    const legal = env.legalActions(state, seat);
    if (legal.length) lines.push(`legal, seat ${seat}: ${legal.map((a) => `${a} ${env.actionText(state, seat, a)}`).join(' | ')}`);
  }
  for (const viewer of viewersOf(dims)) {
    lines.push(`-- ${viewerName(viewer)} text:`, indent(env.observationText(state, viewer)));
    lines.push(`-- ${viewerName(viewer)} tensor: ${tensorText(env.observationTensor(state, viewer), dims.observationShape)}`);
  }
}

function renderEntry(env: AnyEnv, state: unknown, entry: HistoryEntry): string {
  if (entry.kind === 'chance') return `> chance: ${entry.action} ${env.actionText(state, 'chance', entry.action)}`;
  if (entry.kind === 'decision') {
    const said = entry.text === undefined ? '' : ` (from text ${JSON.stringify(entry.text)})`;
    return `> seat ${entry.seat}: ${entry.action} ${env.actionText(state, entry.seat, entry.action)}${said}`;
  }
  if (entry.kind === 'text') return `> seat ${entry.seat} says: ${JSON.stringify(entry.text)}`;
  const moves = entry.actions.map((a, seat) => (a === null ? `seat ${seat}: -` : `seat ${seat}: ${a} ${env.actionText(state, seat, a)}`));
  return `> joint: ${moves.join(' | ')}`;
}

function replayEntry(episode: Episode, entry: HistoryEntry): void {
  if (entry.kind === 'chance') episode.resolveChance(entry.action);
  else if (entry.kind === 'decision') episode.step(entry.seat, entry.action);
  else if (entry.kind === 'text') episode.stepText(entry.seat, entry.text);
  else episode.stepJoint(entry.actions);
}

/** The transcript of `randomPlayout(env, params, seed)`. */
export function renderPlaythrough(env: AnyEnv, options: PlaythroughOptions = {}): string {
  const seed = options.seed ?? 0;
  const maxSteps = options.maxSteps ?? 100;
  const { episode: played } = randomPlayout(env, options.params ?? {}, seed, { freeze: false });
  const dims = env.dims(played.params);
  const lines = [
    `# Playthrough of ${env.key} (${env.spec.title}), random legal actions, seed ${seed}.`,
    `# Generated by envs/testing/playthrough.ts; ${PLAYTHROUGH_UPDATE_HINT}.`,
    `params: ${JSON.stringify(played.params)}`,
    `dims: ${JSON.stringify(dims)}`,
    '',
  ];
  const episode = new Episode(env, played.params, seed);
  for (const entry of played.history) {
    if (episode.stepIndex >= maxSteps) break;
    renderState(env, episode, lines);
    lines.push(renderEntry(env, episode.state, entry), '');
    replayEntry(episode, entry);
  }
  const hidden = played.history.length - episode.stepIndex;
  if (hidden > 0) {
    lines.push(`... ${hidden} more steps not shown`, '', `== end after ${played.history.length} steps`);
    lines.push(`returns: ${played.returns.map(formatNumber).join(' ')}`);
  } else {
    renderState(env, episode, lines); // the terminal state, replayed
  }
  return `${lines.join('\n')}\n`;
}

/** Where two transcripts first differ, or undefined when they are equal. */
export function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `line ${i + 1}: expected ${JSON.stringify(a[i] ?? '<end of file>')}, got ${JSON.stringify(b[i] ?? '<end of file>')}`;
}

/** Fails unless the stored transcript equals `renderPlaythrough(env)` (default params, seed 0). */
export function checkGoldenPlaythrough(env: AnyEnv, golden: GoldenPlaythrough): void {
  const where: Where = { key: env.key, params: env.parseParams() };
  if (golden.expected === undefined) {
    fail(where, `no golden playthrough at ${golden.source}; generate it with \`npm run playthroughs:update\``);
  }
  const difference = firstDifference(golden.expected, renderPlaythrough(env, golden.maxSteps === undefined ? {} : { maxSteps: golden.maxSteps }));
  if (difference !== undefined) {
    fail(where, `the seed-0 playthrough differs from ${golden.source} at ${difference}; ${PLAYTHROUGH_UPDATE_HINT}`);
  }
}
