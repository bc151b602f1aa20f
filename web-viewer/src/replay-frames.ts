/**
 * Re-simulates a finished match's EpisodeRecord with the env's own pure rules, in the browser:
 * the state after every recorded transition, and the move list. Views are then taken per
 * viewer with `env.view(state, viewer)`, so a card the viewer never saw stays hidden. Chance
 * outcomes are never written out: their text could name a dealt card.
 */
import { Episode, EpisodeRecordSchema, getEnv, type AnyEnv, type EpisodeRecord, type Viewer } from '../../envs/index.ts';

export interface Frame {
  readonly state: unknown;
  /** The transition that led here (undefined for the initial state). */
  readonly move: string | undefined;
  readonly seats: readonly number[];
}

export interface Replay {
  readonly env: AnyEnv;
  readonly record: EpisodeRecord;
  readonly frames: readonly Frame[];
  readonly numPlayers: number;
  /** Real-time envs: the tick rate, at which a replay plays (one frame per tick). */
  readonly tickHz: number | undefined;
}

export function buildReplay(input: unknown): Replay {
  const record = EpisodeRecordSchema.parse(input);
  const env = getEnv(`${record.env}-v${record.version}`);
  const episode = new Episode(env, record.params, record.seed);
  const frames: Frame[] = [{ state: episode.state, move: undefined, seats: [] }];
  for (const entry of record.history) {
    const before = episode.state;
    if (entry.kind === 'chance') {
      episode.resolveChance(entry.action);
      frames.push({ state: episode.state, move: 'chance (hidden)', seats: [] });
    } else if (entry.kind === 'decision') {
      const text = env.actionText(before, entry.seat, entry.action);
      episode.step(entry.seat, entry.action);
      frames.push({ state: episode.state, move: text, seats: [entry.seat] });
    } else if (entry.kind === 'text') {
      // A free-text move (language games): the text is the move; the env judged it when stepped.
      episode.stepText(entry.seat, entry.text);
      const line = entry.text.length > 120 ? `${entry.text.slice(0, 117)}...` : entry.text;
      frames.push({ state: episode.state, move: `seat ${entry.seat}: ${line}`, seats: [entry.seat] });
    } else {
      const texts = entry.actions.map((a, seat) => (a === null ? undefined : `seat ${seat} ${env.actionText(before, seat, a)}`)).filter((t): t is string => t !== undefined);
      episode.stepJoint(entry.actions);
      frames.push({ state: episode.state, move: texts.join(', '), seats: entry.actions.flatMap((a, seat) => (a === null ? [] : [seat])) });
    }
  }
  const dims = env.dims(episode.params);
  return { env, record, frames, numPlayers: dims.numPlayers, tickHz: dims.realtime?.tickHz };
}

export const viewAt = (replay: Replay, step: number, viewer: Viewer): unknown => replay.env.view(replay.frames[step]!.state as never, viewer);
export const textAt = (replay: Replay, step: number, viewer: Viewer): string => replay.env.observationText(replay.frames[step]!.state as never, viewer);
export const returnsOf = (replay: Replay): readonly number[] => replay.env.returns(replay.frames[replay.frames.length - 1]!.state as never);
