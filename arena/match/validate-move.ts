/**
 * The move-validation pipeline, in its one order (docs/ARCHITECTURE.md, The path of one move):
 *   1 rate (the runner's RateLimiter) -> 2 envelope (size, JSON, zod) -> 3 identity (this
 *   match, this session holds the seat; spectators cannot act) -> 4 game over -> 5 stale
 *   step -> 6 turn -> 7 action schema (id | struct | text) -> 8 legality -> 9 commit.
 * Steps 2-8 live here and are pure reads of the match: a rejection never changes anything.
 * In envs that judge free text themselves (`dims.textActions`) a text reply is not parsed
 * here: within the env's length bound it is a move, and the env's verdict on it (a valid
 * move, or its invalid-move rule) is a game event, never a rejection.
 */
import { actingSeats, ActionParseError, formatZodError, parseActionText, textMoveLimits } from '../../envs/index.ts';
import type { ActionId, AnyEnv, Episode, Seat } from '../../envs/index.ts';
import { toWireError } from '../arena-error.ts';
import { wireError, type WireError } from '../../protocol/errors.ts';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessageSchema,
  MAX_MESSAGE_BYTES,
  MAX_TEXT_REPLY_CHARS,
  type ActionPayload,
  type ActMessage,
  type ClientMessage,
  type InputMessage,
} from '../../protocol/messages.ts';
import type { SeatMap } from './seat-map.ts';

export type Verdict<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

const accept = <T>(value: T): Verdict<T> => ({ ok: true, value });
const reject = (error: WireError): { ok: false; error: WireError } => ({ ok: false, error });

/** What validation reads of a match. */
export interface MatchContext {
  readonly matchId: string;
  readonly env: AnyEnv;
  readonly episode: Episode;
  readonly seats: SeatMap;
  readonly isStarted: boolean;
  readonly isOver: boolean;
  /** The seat already answered the current (simultaneous) step. */
  hasAnswered(seat: Seat): boolean;
}

const clip = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/** Size in UTF-8 bytes of a raw frame (a JSON string) or of an already-decoded value. */
function messageBytes(raw: unknown): number {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly errors?: readonly (readonly IssueLike[])[];
}

/** A too-long text reply, also when zod reports it inside a union's alternatives. */
const isTextTooBig = (issue: IssueLike): boolean =>
  (issue.code === 'too_big' && issue.path[issue.path.length - 1] === 'text') || (issue.errors ?? []).some((alternative) => alternative.some(isTextTooBig));

/**
 * Step 2: size limit, JSON (when given a string), known type, schema. A value that throws
 * when read (a hostile decoded object) is a bad envelope too, never an exception.
 */
export function parseEnvelope(raw: unknown): Verdict<ClientMessage> {
  try {
    if (messageBytes(raw) > MAX_MESSAGE_BYTES) {
      return reject(wireError('payload-too-large', `message over ${MAX_MESSAGE_BYTES} bytes`, 'send smaller messages'));
    }
    return parseValue(typeof raw === 'string' ? JSON.parse(raw) : raw);
  } catch {
    return reject(wireError('bad-envelope', 'message is not valid JSON', 'send one JSON object with a "type" field'));
  }
}

function parseValue(value: unknown): Verdict<ClientMessage> {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && !(CLIENT_MESSAGE_TYPES as readonly string[]).includes(type)) {
    return reject(wireError('unknown-message', `unknown message type "${clip(type, 40)}"`, `send one of: ${CLIENT_MESSAGE_TYPES.join(', ')}`));
  }
  const parsed = ClientMessageSchema.safeParse(value);
  if (parsed.success) return accept(parsed.data);
  if ((parsed.error.issues as readonly IssueLike[]).some(isTextTooBig)) {
    return reject(wireError('payload-too-large', `text reply over ${MAX_TEXT_REPLY_CHARS} characters`, 'answer with a shorter text'));
  }
  return reject(wireError('bad-envelope', `bad message: ${clip(formatZodError(parsed.error))}`, 'see protocol/messages.ts for the message schemas'));
}

/** Step 3: the match, then the session's seat (the one named, else the one that owes an answer). */
export function checkIdentity(ctx: MatchContext, sessionId: string, msg: Pick<ActMessage, 'matchId' | 'seat'>): Verdict<Seat> {
  if (msg.matchId !== ctx.matchId) {
    return reject(wireError('unknown-match', `no match "${clip(msg.matchId, 40)}" here`, `this connection is in match "${ctx.matchId}"`));
  }
  if (ctx.seats.isSpectator(sessionId)) {
    return reject(wireError('spectator-cannot-act', 'spectators cannot act', 'join with a seat token to play'));
  }
  const held = ctx.seats.seatsOf(sessionId);
  if (held.length === 0) return reject(wireError('not-your-seat', 'this connection holds no seat', 'send join with your seat token first'));
  if (msg.seat !== undefined && !held.includes(msg.seat)) {
    return reject(wireError('not-your-seat', `this connection does not hold seat ${msg.seat}`, `it holds seat ${held.join(', ')}`));
  }
  if (msg.seat !== undefined) return accept(msg.seat);
  const acting = actingSeats(ctx.episode.turn);
  return accept(held.find((seat) => acting.includes(seat) && !ctx.hasAnswered(seat)) ?? held[0]!);
}

/** Steps 4-6: the match is on, the step is the current one, the seat owes an answer. */
export function checkTiming(ctx: MatchContext, seat: Seat, stepIndex: number): Verdict<Seat> {
  if (ctx.isOver) return reject(wireError('game-over', 'the match is over', 'wait for the next match'));
  const current = ctx.episode.stepIndex;
  if (stepIndex !== current) {
    return reject(wireError('stale', `message for step ${stepIndex}, the match is at step ${current}`, 'answer the latest decision request'));
  }
  if (!ctx.isStarted) return reject(wireError('not-your-turn', 'the match has not started', 'wait for the decision request'));
  if (!actingSeats(ctx.episode.turn).includes(seat)) {
    return reject(wireError('not-your-turn', `seat ${seat} is not to act at step ${current}`, 'wait for a decision request'));
  }
  if (ctx.hasAnswered(seat)) {
    return reject(wireError('not-your-turn', `seat ${seat} already answered step ${current}`, 'wait for the other seats'));
  }
  return accept(seat);
}

/** Step 7: the action's id, from any of its three forms. */
export function resolveAction(ctx: MatchContext, seat: Seat, payload: ActionPayload): Verdict<ActionId> {
  if ('id' in payload) return accept(payload.id);
  const state = ctx.episode.state;
  if ('struct' in payload) {
    let id: ActionId | undefined;
    try {
      id = ctx.env.encodeAction(state, seat, payload.struct);
    } catch {
      id = undefined; // an env that throws on odd input still answers with a clean rejection
    }
    return id === undefined
      ? reject(wireError('bad-action', 'the action struct does not fit the action schema', `see the ${ctx.env.key} action schema`))
      : accept(id);
  }
  try {
    return accept(parseActionText(ctx.env, state, seat, payload.text));
  } catch (error) {
    if (!(error instanceof ActionParseError)) throw error;
    // 'bad-action', or 'ambiguous-action' for a reply naming several distinct legal actions.
    const wire = toWireError(error);
    return reject(wireError(wire.code === 'ambiguous-action' ? wire.code : 'bad-action', clip(wire.message), clip(wire.hint)));
  }
}

/** A validated move: a legal action id, or free text for the env to judge. */
export type Move = { readonly kind: 'id'; readonly id: ActionId } | { readonly kind: 'text'; readonly text: string };

/**
 * Steps 7-8 for the text path: an env that judges text takes a reply within its bound as it
 * is; a text-only env (no action ids) takes nothing else. Undefined: the reply goes the id way.
 */
function resolveTextMove(ctx: MatchContext, payload: ActionPayload): Verdict<Move> | undefined {
  const params = ctx.episode.params;
  const limits = textMoveLimits(ctx.env, params);
  if (limits === undefined) return undefined;
  if ('text' in payload) {
    if (payload.text.length > limits.maxChars) {
      return reject(wireError('payload-too-large', `text reply over ${limits.maxChars} characters, the limit of ${ctx.env.key}`, 'answer with a shorter text'));
    }
    return accept({ kind: 'text', text: payload.text });
  }
  if (ctx.env.dims(params).numDistinctActions > 0) return undefined;
  return reject(wireError('bad-action', `${ctx.env.key} takes free text, not action ids or structs`, 'answer with { "text": "..." }'));
}

/** Step 8: the id is legal for this seat now. */
export function checkLegal(ctx: MatchContext, seat: Seat, action: ActionId): Verdict<ActionId> {
  const state = ctx.episode.state;
  if (ctx.env.isLegal(state, seat, action)) return accept(action);
  const legal = ctx.episode.legalActions(seat).map((id) => `${id} ${ctx.env.actionText(state, seat, id)}`);
  return reject(wireError('illegal-action', `action ${action} is not legal for seat ${seat}`, clip(`legal: ${legal.join(', ')}`)));
}

/** Steps 3-8 for an `act` message: the seat and the move it plays (a legal id, or text for the env). */
export function validateAct(ctx: MatchContext, sessionId: string, msg: ActMessage): Verdict<{ seat: Seat; move: Move }> {
  const identity = checkIdentity(ctx, sessionId, msg);
  if (!identity.ok) return identity;
  const timing = checkTiming(ctx, identity.value, msg.stepIndex);
  if (!timing.ok) return timing;
  const seat = timing.value;
  const text = resolveTextMove(ctx, msg.action);
  if (text !== undefined) return text.ok ? accept({ seat, move: text.value }) : text;
  const action = resolveAction(ctx, seat, msg.action);
  if (!action.ok) return action;
  const legal = checkLegal(ctx, seat, action.value);
  return legal.ok ? accept({ seat, move: { kind: 'id', id: legal.value } }) : legal;
}

/** Steps 3, 4 and 7 for a real-time `input`: the seat, and an action id the env knows. */
export function validateInput(ctx: MatchContext, sessionId: string, msg: InputMessage): Verdict<{ seat: Seat; action: ActionId }> {
  const identity = checkIdentity(ctx, sessionId, msg);
  if (!identity.ok) return identity;
  if (ctx.isOver) return reject(wireError('game-over', 'the match is over', 'wait for the next match'));
  const numActions = ctx.env.dims(ctx.episode.params).numDistinctActions;
  if (msg.action >= numActions) {
    return reject(wireError('bad-action', `action ${msg.action} is not an action of ${ctx.env.key}`, `send an id from 0 to ${numActions - 1}`));
  }
  return accept({ seat: identity.value, action: msg.action });
}
