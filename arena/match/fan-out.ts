/**
 * Builds the server -> client messages of a match, each for ONE viewer: a seat gets its own
 * observation and view, a spectator the spectator's. Nothing here reads another seat's
 * private data: every env call passes the viewer (boardgame.io's filter-player-view).
 */
import { actingSeats, textMoveLimits } from '../../envs/index.ts';
import type { AnyEnv, Episode, Seat, Viewer } from '../../envs/index.ts';
import type { WireError } from '../../protocol/errors.ts';
import type {
  DecisionMessage,
  EndReason,
  ErrorMessage,
  MatchEndMessage,
  MatchStartMessage,
  RatingChange,
  RealtimeInfo,
  StateMessage,
  TickMessage,
} from '../../protocol/messages.ts';
import { MAX_TEXT_REPLY_CHARS } from '../../protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';
import type { MatchClocks } from './clocks.ts';
import type { SeatMap } from './seat-map.ts';

/** What the builders read of a running match. */
export interface FanOutContext {
  readonly matchId: string;
  readonly env: AnyEnv;
  readonly episode: Episode;
  readonly seats: SeatMap;
  readonly clocks: MatchClocks;
  readonly moveTimeMs: number;
  /** Seats that still owe an answer at the current step. */
  pendingSeats(): Seat[];
  /** The latest decision or joint move as text (never a chance outcome). */
  readonly lastMove?: { readonly step: number; readonly seats: readonly Seat[]; readonly text: string } | null;
  /** Every move so far as text. */
  readonly moveLog?: readonly { readonly step: number; readonly seats: readonly Seat[]; readonly text: string }[];
  /** Real-time matches: how they run. */
  readonly realtime?: RealtimeInfo | undefined;
  /** Real-time matches: the seq of a seat's last applied input. */
  lastAppliedSeq?(seat: Seat): number | null;
}

export function startMessage(ctx: FanOutContext, seats: readonly Seat[]): MatchStartMessage {
  return {
    type: 'match:start',
    protocolVersion: PROTOCOL_VERSION,
    matchId: ctx.matchId,
    env: ctx.env.key,
    params: ctx.episode.params,
    numPlayers: ctx.seats.size,
    seats: seats.slice(),
    players: ctx.seats.players(),
    rulesText: ctx.env.spec.rulesText,
    moveTimeMs: ctx.moveTimeMs,
    moves: (ctx.moveLog ?? []).map((m) => ({ step: m.step, seats: m.seats.slice(), text: m.text })),
    ...(ctx.realtime === undefined ? {} : { realtime: ctx.realtime }),
  };
}

/** Real-time matches: one seat's observation tensor after a tick (nothing of other seats). */
export function tickMessage(ctx: FanOutContext, seat: Seat, tick: number): TickMessage {
  const { episode, env } = ctx;
  return {
    type: 'tick',
    matchId: ctx.matchId,
    seat,
    tick,
    tensor: Array.from(env.observationTensor(episode.state, seat)),
    lastSeq: ctx.lastAppliedSeq?.(seat) ?? null,
  };
}

export function decisionMessage(ctx: FanOutContext, seat: Seat): DecisionMessage {
  const { episode, env } = ctx;
  const observation = episode.observe(seat);
  return {
    type: 'decision',
    matchId: ctx.matchId,
    seat,
    stepIndex: episode.stepIndex,
    deadline: ctx.clocks.deadline(seat) ?? 0,
    observation: { tensor: Array.from(observation.tensor), shape: observation.shape.slice(), text: observation.text },
    legalActions: observation.legal.map((id) => ({ id, text: env.actionText(episode.state, seat, id) })),
    ...textDecisionFields(env, episode, seat),
  };
}

/** Envs that judge free text: the reply bound (within the wire's) and the seat's role briefing. */
function textDecisionFields(env: AnyEnv, episode: Episode, seat: Seat): Pick<DecisionMessage, 'textActions' | 'rolePrompt'> {
  const limits = textMoveLimits(env, episode.params);
  if (limits === undefined) return {};
  const rolePrompt = env.rolePrompt?.(episode.state, seat);
  return { textActions: { maxChars: Math.min(limits.maxChars, MAX_TEXT_REPLY_CHARS) }, ...(rolePrompt === undefined ? {} : { rolePrompt }) };
}

export function stateMessage(ctx: FanOutContext, viewer: Viewer): StateMessage {
  const { episode, env } = ctx;
  const turn = episode.turn;
  const pending = ctx.pendingSeats();
  return {
    type: 'state',
    matchId: ctx.matchId,
    viewer,
    stepIndex: episode.stepIndex,
    turn: { kind: turn.kind, seats: actingSeats(turn).filter((seat) => pending.includes(seat)) },
    view: env.view(episode.state, viewer) as StateMessage['view'], // envs' JsonValue is the readonly twin of zod's JSON type
    text: env.observationText(episode.state, viewer),
    deadlines: ctx.clocks.allDeadlines(),
    timeBanks: ctx.clocks.timeBanks(),
    connected: ctx.seats.connectedFlags(),
    lastMove: ctx.lastMove ? { step: ctx.lastMove.step, seats: ctx.lastMove.seats.slice(), text: ctx.lastMove.text } : null,
  };
}

export function endMessage(
  matchId: string,
  returns: readonly number[],
  reason: EndReason,
  forfeitedBy: Seat | undefined,
  ratingChange?: readonly RatingChange[],
): MatchEndMessage {
  const message: MatchEndMessage = { type: 'match:end', matchId, returns: returns.slice(), reason };
  if (forfeitedBy !== undefined) message.forfeitedBy = forfeitedBy;
  if (ratingChange !== undefined) message.ratingChange = ratingChange.map((change) => ({ ...change }));
  return message;
}

export function errorMessage(matchId: string, error: WireError): ErrorMessage {
  return { type: 'error', matchId, ...error };
}
