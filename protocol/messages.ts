/**
 * The wire protocol: zod schemas for every message between the arena and its clients
 * (agent workers, external agents, the web viewer). Transports (Colyseus, socket.io) carry
 * these objects as they are; each message has a `type`. Importable by clients: zod only.
 *
 * Client -> server: `act`, `join`, `spectate`, `ping`. Server -> client: `match:start`,
 * `decision`, `state`, `match:end`, `error`, `pong`, and the `Ack` answering each client
 * message. A seed is never sent: it would let a client replay the hidden chance draws.
 */
import { z } from 'zod';
import { ArenaErrorCodeSchema, WireErrorSchema } from './errors.ts';

/** Largest client message, as UTF-8 JSON. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** Longest free-text action reply (language-model agents). */
export const MAX_TEXT_REPLY_CHARS = 4 * 1024;
/** Longest match id or seat token. */
export const MAX_ID_CHARS = 128;

const IdSchema = z.string().min(1).max(MAX_ID_CHARS);
const SeatSchema = z.number().int().min(0);
const StepIndexSchema = z.number().int().min(0);

/** One action in one of three forms: the dense id, the env's action struct, or free text. */
export const ActionPayloadSchema = z.union([
  z.strictObject({ id: z.number().int().min(0) }),
  z.strictObject({ struct: z.unknown().refine((value) => value !== undefined, 'struct is required') }),
  z.strictObject({ text: z.string().max(MAX_TEXT_REPLY_CHARS) }),
]);
export type ActionPayload = z.infer<typeof ActionPayloadSchema>;

// ---- client -> server

/** `seat` is needed only by a connection holding several seats; it defaults to the one that acts. */
export const ActMessageSchema = z.object({
  type: z.literal('act'),
  matchId: IdSchema,
  stepIndex: StepIndexSchema,
  seat: SeatSchema.optional(),
  action: ActionPayloadSchema,
});
export type ActMessage = z.infer<typeof ActMessageSchema>;

export const JoinMessageSchema = z.object({
  type: z.literal('join'),
  matchId: IdSchema,
  seatToken: IdSchema,
  /** false: no per-step `state` messages (an agent needs only `decision` and `match:end`). Default true. */
  states: z.boolean().optional(),
  /** Real-time matches: a `tick` message with this seat's observation every N ticks (default 1). */
  tickEvery: z.number().int().min(1).max(1000).optional(),
});
export type JoinMessage = z.infer<typeof JoinMessageSchema>;

export const SpectateMessageSchema = z.object({
  type: z.literal('spectate'),
  matchId: IdSchema,
  /** false: no `state` messages (a transport that syncs the spectator view itself, e.g. Colyseus patches). Default true. */
  states: z.boolean().optional(),
});
export type SpectateMessage = z.infer<typeof SpectateMessageSchema>;

export const PingMessageSchema = z.object({ type: z.literal('ping'), t: z.number().optional() });
export type PingMessage = z.infer<typeof PingMessageSchema>;

/**
 * Real-time matches: a seat's input, applied at the next tick (and, for envs whose input is
 * held, at every tick after until the next input). Never stale, never acknowledged on success:
 * `seq` orders a seat's inputs (a lower or equal `seq` than the last one is dropped) and comes
 * back as `lastSeq` in the seat's `tick` messages.
 */
export const InputMessageSchema = z.object({
  type: z.literal('input'),
  matchId: IdSchema,
  seat: SeatSchema.optional(),
  action: z.number().int().min(0),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type InputMessage = z.infer<typeof InputMessageSchema>;

export const ClientMessageSchema = z.discriminatedUnion('type', [
  ActMessageSchema,
  JoinMessageSchema,
  SpectateMessageSchema,
  PingMessageSchema,
  InputMessageSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const CLIENT_MESSAGE_TYPES = ['act', 'join', 'spectate', 'ping', 'input'] as const;

/**
 * For transports that deliver (type, payload) pairs (Colyseus `onMessage('*')`, socket.io
 * events): the message object the schemas expect. A non-object payload fails the envelope.
 */
export function toClientMessage(type: unknown, payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { type, payload };
  return { ...(payload as Record<string, unknown>), type };
}

// ---- server -> client

export const ObservationPayloadSchema = z.object({
  tensor: z.array(z.number()),
  shape: z.array(z.number().int()),
  text: z.string(),
});
export type ObservationPayload = z.infer<typeof ObservationPayloadSchema>;

export const LegalActionSchema = z.object({ id: z.number().int().min(0), text: z.string() });
export type LegalAction = z.infer<typeof LegalActionSchema>;

export const PlayerInfoSchema = z.object({
  seat: SeatSchema,
  kind: z.enum(['remote', 'agent']),
  name: z.string(),
});

/** How a real-time match runs (absent in turn-based matches). */
export const RealtimeInfoSchema = z.object({
  tickHz: z.number().positive(),
  input: z.enum(['held', 'consumed']),
  defaultActions: z.array(z.number().int().min(0)),
  numDistinctActions: z.number().int().positive(),
  /** Shape of the `tensor` in this match's `tick` messages. */
  observationShape: z.array(z.number().int().min(0)),
});
export type RealtimeInfo = z.infer<typeof RealtimeInfoSchema>;

/** Sent to a connection when it is bound (join, spectate, reconnect) and to all when the match starts. */
export const MatchStartMessageSchema = z.object({
  type: z.literal('match:start'),
  protocolVersion: z.number().int().positive(),
  matchId: IdSchema,
  env: z.string(),
  params: z.unknown(),
  numPlayers: z.number().int().positive(),
  /** The seats this connection holds; empty for a spectator. */
  seats: z.array(SeatSchema),
  players: z.array(PlayerInfoSchema),
  rulesText: z.string(),
  moveTimeMs: z.number().positive(),
  /** Every move so far as text (see StateMessage.lastMove), so a late joiner has the whole move list. */
  moves: z.array(z.object({ step: StepIndexSchema, seats: z.array(SeatSchema), text: z.string() })).optional(),
  /** Present for real-time matches: send `input` messages, read `tick` messages. */
  realtime: RealtimeInfoSchema.optional(),
});
export type MatchStartMessage = z.infer<typeof MatchStartMessageSchema>;

/**
 * Real-time matches: one seat's observation after a tick (every `tickEvery` ticks, as asked at
 * join). `lastSeq` is the seq of the seat's last input applied so far (null before any).
 */
export const TickMessageSchema = z.object({
  type: z.literal('tick'),
  matchId: IdSchema,
  seat: SeatSchema,
  tick: z.number().int().min(0),
  tensor: z.array(z.number()),
  lastSeq: z.number().int().nullable(),
});
export type TickMessage = z.infer<typeof TickMessageSchema>;

/** Envs that judge free text: replies are moves the env judges, up to `maxChars` characters (and the wire's limit). */
export const TextActionsInfoSchema = z.object({ maxChars: z.number().int().positive() });

/** A request to act; answer with `act` echoing `stepIndex` (and `seat`) before `deadline`. */
export const DecisionMessageSchema = z.object({
  type: z.literal('decision'),
  matchId: IdSchema,
  seat: SeatSchema,
  stepIndex: StepIndexSchema,
  /** ms since the epoch, server clock. */
  deadline: z.number(),
  observation: ObservationPayloadSchema,
  /** Empty in text-only envs: answer with `{ text }`. */
  legalActions: z.array(LegalActionSchema),
  /** Present when the env judges free text itself: a `{ text }` answer is a move, judged by the env's rules. */
  textActions: TextActionsInfoSchema.optional(),
  /** Text envs: a system-prompt-ready briefing for this seat's role (rules, role, private facts). */
  rolePrompt: z.string().optional(),
});
export type DecisionMessage = z.infer<typeof DecisionMessageSchema>;

export const TurnPayloadSchema = z.object({
  kind: z.enum(['decision', 'simultaneous', 'chance', 'terminal']),
  /** Seats that still owe an answer at this step. */
  seats: z.array(SeatSchema),
});

/** The match as one viewer may see it: a seat's view, or the spectator's. */
export const StateMessageSchema = z.object({
  type: z.literal('state'),
  matchId: IdSchema,
  viewer: z.union([SeatSchema, z.literal('spectator')]),
  stepIndex: StepIndexSchema,
  turn: TurnPayloadSchema,
  view: z.json(),
  text: z.string(),
  /** Per seat: the move deadline (ms epoch) while it owes an answer, else null. */
  deadlines: z.array(z.number().nullable()),
  /** Per seat: remaining total time in ms, or null without a time bank. */
  timeBanks: z.array(z.number().nullable()),
  connected: z.array(z.boolean()),
  /**
   * The latest move: the last decision (or simultaneous joint move) so far, its text, and the
   * step it led to (a move list dedups on `step`). Chance outcomes are never named: their text
   * could show a dealt card. Null before the first move.
   */
  lastMove: z
    .object({ step: StepIndexSchema, seats: z.array(SeatSchema), text: z.string() })
    .nullable()
    .optional(),
});
export type StateMessage = z.infer<typeof StateMessageSchema>;

export const END_REASONS = ['terminal', 'forfeit', 'aborted'] as const;
export const EndReasonSchema = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReasonSchema>;

export const RatingChangeSchema = z.object({
  seat: SeatSchema,
  agentId: z.string().optional(),
  before: z.number(),
  after: z.number(),
});
/** One seat's Elo before and after a rated match. */
export type RatingChange = z.infer<typeof RatingChangeSchema>;

export const MatchEndMessageSchema = z.object({
  type: z.literal('match:end'),
  matchId: IdSchema,
  returns: z.array(z.number()),
  reason: EndReasonSchema,
  /** The seat that forfeited, when `reason` is 'forfeit'. */
  forfeitedBy: SeatSchema.optional(),
  ratingChange: z.array(RatingChangeSchema).optional(),
});
export type MatchEndMessage = z.infer<typeof MatchEndMessageSchema>;

export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  matchId: IdSchema.optional(),
  code: ArenaErrorCodeSchema,
  message: z.string(),
  hint: z.string(),
});
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

export const PongMessageSchema = z.object({ type: z.literal('pong'), t: z.number().optional(), serverTime: z.number() });
export type PongMessage = z.infer<typeof PongMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  MatchStartMessageSchema,
  DecisionMessageSchema,
  StateMessageSchema,
  MatchEndMessageSchema,
  ErrorMessageSchema,
  PongMessageSchema,
  TickMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

// ---- the answer to each client message (socket.io ack, Colyseus request reply)

/** Waiting for opponents in the env queue (protocol/assignment.ts); `position` is 0-based. */
export const QueuedSchema = z.object({ type: z.literal('queued'), env: z.string(), position: z.number().int().min(0) });
/** Left the queue of these envs. */
export const UnqueuedSchema = z.object({ type: z.literal('unqueued'), envs: z.array(z.string()) });

/**
 * The env's verdict on a free-text move (envs that judge text): `move` when it moved the game
 * (`action`: the id it became, in envs that have ids), `invalid` when the env's invalid-move
 * rule applied (an error counted, a retry allowed, or with `final` the game lost). An invalid
 * move is a game event, not a rejection: the match went on to the next step.
 */
export const TextVerdictSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('move'), action: z.number().int().min(0).optional(), summary: z.string() }),
  z.object({ kind: z.literal('invalid'), code: z.string(), reason: z.string(), final: z.boolean() }),
]);
export type TextVerdictPayload = z.infer<typeof TextVerdictSchema>;

/**
 * The action an accepted `act` became, echoed in its acknowledgement: the dense id and the
 * env's text for it. A text reply is parsed on the server; this is how its sender learns
 * what the server read. A text move of an env that judges text carries the env's `verdict`;
 * `id` is then present only when the move named an action id, and `text` is the verdict in
 * words (the move's summary, or `invalid: <reason>`).
 */
export const PlayedActionSchema = z.object({ id: z.number().int().min(0).optional(), text: z.string(), verdict: TextVerdictSchema.optional() });
export type PlayedAction = z.infer<typeof PlayedActionSchema>;

export const AcceptedSchema = z.discriminatedUnion('type', [
  /** The action was applied; `stepIndex` is the step it answered. */
  z.object({ type: z.literal('committed'), seat: SeatSchema, stepIndex: StepIndexSchema, nextStepIndex: StepIndexSchema, action: PlayedActionSchema }),
  /** Simultaneous step: the action is held until every acting seat has answered. */
  z.object({ type: z.literal('held'), seat: SeatSchema, stepIndex: StepIndexSchema, action: PlayedActionSchema }),
  z.object({ type: z.literal('joined'), seats: z.array(SeatSchema) }),
  z.object({ type: z.literal('spectating') }),
  /** A real-time input was taken; it applies at tick `tick` (only answered when asked, e.g. socket.io with an ack). */
  z.object({ type: z.literal('input'), seat: SeatSchema, seq: z.number().int().min(0), tick: z.number().int().min(0) }),
  z.object({ type: z.literal('pong'), t: z.number().optional(), serverTime: z.number() }),
  QueuedSchema,
  UnqueuedSchema,
]);
export type Accepted = z.infer<typeof AcceptedSchema>;

export const AckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: AcceptedSchema }),
  z.object({ ok: z.literal(false), error: WireErrorSchema }),
]);
export type Ack = z.infer<typeof AckSchema>;
