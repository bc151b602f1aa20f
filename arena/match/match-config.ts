/**
 * How a match is set up: the env, params and seed, who sits where, and the settings
 * (clocks, timeout policy, reconnect window, rate limit), zod-parsed with defaults.
 */
import { z } from 'zod';
import { formatZodError, LudusError } from '../../envs/index.ts';
import type { AnyEnv } from '../../envs/index.ts';
import { closedObject } from '../../protocol/closed-object.ts';
import { MAX_ID_CHARS, type RatingChange } from '../../protocol/messages.ts';
import type { Agent } from '../../agents/agent.ts';
import type { Seat } from '../../envs/index.ts';
import type { Clock } from './clocks.ts';
import type { TickStats } from './tick-stats.ts';
import type { FinishedMatch } from './match-log.ts';
import { DEFAULT_RATE_POLICY } from './rate-limiter.ts';
import type { SeatSpec } from './seat-map.ts';
import { TimeoutPolicySchema } from './timeout-policy.ts';

/** Closed: a misspelled key is an error naming the known ones (README: "Match settings"). */
export const MatchSettingsSchema = closedObject({
  /** Time per move; a seat's deadline is this, cut short by its time bank. */
  moveTimeMs: z
    .number()
    .positive()
    .max(7 * 24 * 3600 * 1000)
    .default(30_000),
  /** Optional total thinking time per seat for the whole match. */
  totalTimeMs: z.number().positive().optional(),
  /** How long a dropped seat may come back before the timeout policy plays for it. */
  reconnectWindowMs: z.number().min(0).default(30_000),
  timeoutPolicy: TimeoutPolicySchema.default('random'),
  /** In-process agents' moves land no sooner than this after their turn began: watchable live matches. 0 = at once. */
  agentMoveDelayMs: z.number().min(0).max(60_000).default(0),
  /** Real-time matches only (envs whose dims declare `realtime`). */
  realtime: closedObject({
    /** Overrides the env's tick rate (stress tests, slow motion). */
    tickHz: z.number().positive().max(1000).optional(),
    /** Message transports get the spectator view every N ticks (Colyseus syncs it at this rate too). Default: about 10 a second. */
    spectatorEvery: z.number().int().min(1).max(1000).optional(),
    /** An agent spec that plays a seat while its connection is gone (default: the seat's default action). */
    fallbackAgent: z.string().min(1).max(200).optional(),
  }).optional(),
  /** Per seat over the match; defaults from the server's one rate policy (rate-limiter.ts). */
  rateLimit: closedObject({
    capacity: z.number().int().positive().default(DEFAULT_RATE_POLICY.match.capacity),
    refillPerSecond: z.number().positive().default(DEFAULT_RATE_POLICY.match.refillPerSecond),
    maxViolations: z.number().int().positive().default(DEFAULT_RATE_POLICY.match.maxViolations),
  }).prefault({}),
});
export type MatchSettings = z.infer<typeof MatchSettingsSchema>;
export type MatchSettingsInput = z.input<typeof MatchSettingsSchema>;

export interface MatchRunnerOptions {
  readonly matchId: string;
  readonly env: AnyEnv;
  readonly params?: unknown;
  /** Chance seed of the episode; never sent to clients. */
  readonly seed: number;
  /** One entry per seat. */
  readonly seats: readonly SeatSpec[];
  readonly settings?: MatchSettingsInput;
  /** Start as soon as every seat is connected (see MatchRunner.startIfSeated). Default false: the owner calls start(). */
  readonly autoStart?: boolean;
  /** Defaults to the system clock; tests inject a fake one. */
  readonly clock?: Clock;
  /**
   * Called as the match ends, before match:end is sent: the arena stores the result and its
   * ratings here, and the rating change it returns rides on match:end (and on the result).
   * When it returns a promise, match:end and the 'finished' event wait for it (whenIdle too).
   * A throw or rejection is logged; match:end then goes out without a rating change.
   */
  readonly rate?: (result: FinishedMatch) => readonly RatingChange[] | undefined | Promise<readonly RatingChange[] | undefined>;
  /** Real-time matches: builds the agent that plays a seat while it is disconnected (settings.realtime.fallbackAgent). */
  readonly fallbackAgent?: (seat: Seat) => Agent | undefined;
  /** Real-time matches: where tick timings are counted (one collector per server). */
  readonly tickStats?: TickStats;
  /** Called once when the match ends, after the listeners got the 'finished' event. */
  readonly onFinished?: (result: FinishedMatch) => void | Promise<void>;
}

export class MatchConfigError extends LudusError<'bad-match-config'> {
  constructor(message: string, hint = '') {
    super('bad-match-config', message, hint);
    this.name = 'MatchConfigError';
  }
}

export function parseMatchSettings(input: MatchSettingsInput | undefined): MatchSettings {
  const parsed = MatchSettingsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new MatchConfigError(`bad match settings: ${formatZodError(parsed.error)}`, 'fix the named fields or omit them');
  return parsed.data;
}

/** Checks what the schemas cannot: the match id, one seat per player, distinct usable tokens. */
export function checkSeats(options: MatchRunnerOptions, numPlayers: number): void {
  const { matchId, seats } = options;
  if (typeof matchId !== 'string' || matchId.length === 0 || matchId.length > MAX_ID_CHARS) {
    throw new MatchConfigError(`bad match id "${String(matchId)}"`, `use 1 to ${MAX_ID_CHARS} characters`);
  }
  if (seats.length !== numPlayers) {
    throw new MatchConfigError(`${options.env.key} needs ${numPlayers} seats, got ${seats.length}`, 'give one seat spec per player');
  }
  const tokens = seats.flatMap((spec) => (spec.kind === 'remote' ? [spec.token] : []));
  if (tokens.some((t) => typeof t !== 'string' || t.length === 0 || t.length > MAX_ID_CHARS)) {
    throw new MatchConfigError('a seat token is empty or too long', `use 1 to ${MAX_ID_CHARS} characters`);
  }
  if (new Set(tokens).size !== tokens.length) throw new MatchConfigError('two seats share a token', 'give every remote seat its own token');
}
