/**
 * Re-simulates a finished match's EpisodeRecord with the env's own pure rules, in the browser:
 * the state after every recorded transition, and the move list. Views are then taken per
 * viewer with `env.view(state, viewer)`, so a card the viewer never saw stays hidden. Chance
 * outcomes are never written out: their text could name a dealt card.
 */
import { Episode, EpisodeRecordSchema, getEnv, type AnyEnv, type EpisodeRecord, type Viewer } from '../../envs/index.ts';
import { PublicReplaySchema, type PublicReplay } from '../../protocol/http-api.ts';

export interface Frame {
  /** Undefined in a public replay of an imperfect-information match: its frames are the spectator's views. */
  readonly state: unknown;
  /** The spectator's view, when the server sent views instead of a record it could re-simulate. */
  readonly view?: unknown;
  /** The transition that led here (undefined for the initial state). */
  readonly move: string | undefined;
  readonly seats: readonly number[];
}

export interface Replay {
  readonly env: AnyEnv;
  readonly record: EpisodeRecord | PublicReplay;
  /** A public replay: spectator views only (no seed, unseen cards blanked); seat views are not available. */
  readonly redacted?: boolean;
  readonly returns?: readonly number[];
  readonly frames: readonly Frame[];
  readonly numPlayers: number;
  /** Real-time envs: the tick rate, at which a replay plays (one frame per tick). */
  readonly tickHz: number | undefined;
}

export function buildReplay(input: unknown): Replay {
  const pub = PublicReplaySchema.safeParse(input);
  if (pub.success) return publicReplayFrames(pub.data);
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
      const texts = entry.actions
        .map((a, seat) => (a === null ? undefined : `seat ${seat} ${env.actionText(before, seat, a)}`))
        .filter((t): t is string => t !== undefined);
      episode.stepJoint(entry.actions);
      frames.push({ state: episode.state, move: texts.join(', '), seats: entry.actions.flatMap((a, seat) => (a === null ? [] : [seat])) });
    }
  }
  const dims = env.dims(episode.params);
  return { env, record, frames, numPlayers: dims.numPlayers, tickHz: dims.realtime?.tickHz };
}

/** The frames of a public replay: the server's spectator views, the move list it wrote. */
function publicReplayFrames(pub: PublicReplay): Replay {
  const env = getEnv(`${pub.env}-v${pub.version}`);
  const frames: Frame[] = pub.views.map((view, i) => {
    const entry = i === 0 ? undefined : pub.history[i - 1];
    const seats =
      entry === undefined || entry.kind === 'chance'
        ? []
        : entry.kind === 'joint'
          ? entry.actions.flatMap((a, seat) => (a === null ? [] : [seat]))
          : [entry.seat];
    return { state: undefined, view, move: i === 0 ? undefined : pub.moves[i - 1], seats };
  });
  const dims = env.dims(env.parseParams(pub.params));
  return { env, record: pub, frames, redacted: true, returns: pub.returns, numPlayers: dims.numPlayers, tickHz: dims.realtime?.tickHz };
}

export const viewAt = (replay: Replay, step: number, viewer: Viewer): unknown => {
  const frame = replay.frames[step]!;
  return frame.view !== undefined ? frame.view : replay.env.view(frame.state as never, viewer);
};
export const textAt = (replay: Replay, step: number, viewer: Viewer): string => {
  const frame = replay.frames[step]!;
  return frame.view !== undefined ? JSON.stringify(frame.view, null, 1) : replay.env.observationText(frame.state as never, viewer);
};
export const returnsOf = (replay: Replay): readonly number[] => replay.returns ?? replay.env.returns(replay.frames[replay.frames.length - 1]!.state as never);
