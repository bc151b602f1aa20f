/**
 * Who holds which seat of a match: a remote connection (by sessionId, authenticated once by
 * its seat token) or an in-process agent; plus the spectators. A sessionId may hold several
 * seats (one agent worker playing both sides) but is never both a player and a spectator.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Agent } from '../../agents/agent.ts';
import type { Seat } from '../../envs/index.ts';
import type { Cancel } from './clocks.ts';

export type SeatSpec =
  | { readonly kind: 'remote'; readonly token: string; readonly name?: string }
  | { readonly kind: 'agent'; readonly agent: Agent; readonly name?: string };

export interface SeatBinding {
  readonly seat: Seat;
  readonly kind: 'remote' | 'agent';
  readonly name: string;
  readonly agent: Agent | undefined;
  /** The connection holding the seat now; null before the first join and while disconnected. */
  sessionId: string | null;
  /** The reconnect window closed: the timeout policy plays for this seat until it is back. */
  isAbandoned: boolean;
  /** Cancels the running reconnect window, if any. */
  cancelWindow: Cancel | null;
}

export interface PlayerInfo {
  readonly seat: Seat;
  readonly kind: 'remote' | 'agent';
  readonly name: string;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export class SeatMap {
  private readonly bindings: SeatBinding[];
  private readonly tokenDigests: (Buffer | null)[];
  private readonly spectatorIds = new Set<string>();

  constructor(specs: readonly SeatSpec[]) {
    this.bindings = specs.map((spec, seat) => ({
      seat,
      kind: spec.kind,
      name: spec.name ?? (spec.kind === 'agent' ? spec.agent.name : `seat ${seat}`),
      agent: spec.kind === 'agent' ? spec.agent : undefined,
      sessionId: null,
      isAbandoned: false,
      cancelWindow: null,
    }));
    this.tokenDigests = specs.map((spec) => (spec.kind === 'remote' ? digest(spec.token) : null));
  }

  get size(): number {
    return this.bindings.length;
  }

  binding(seat: Seat): SeatBinding | undefined {
    return this.bindings[seat];
  }

  /** The remote seat this token opens, compared in constant time; undefined for a wrong token. */
  seatForToken(token: string): Seat | undefined {
    const given = digest(token);
    let found: Seat | undefined;
    this.tokenDigests.forEach((expected, seat) => {
      if (expected !== null && timingSafeEqual(expected, given)) found = seat;
    });
    return found;
  }

  /** Binds a remote seat to a session; returns the session that held it before, if another. */
  bind(seat: Seat, sessionId: string): string | null {
    const binding = this.bindings[seat]!;
    const previous = binding.sessionId !== sessionId ? binding.sessionId : null;
    binding.sessionId = sessionId;
    binding.isAbandoned = false;
    this.spectatorIds.delete(sessionId);
    return previous;
  }

  /** Unbinds a session from its seats and from the spectators; returns the seats it held. */
  release(sessionId: string): Seat[] {
    this.spectatorIds.delete(sessionId);
    const seats = this.seatsOf(sessionId);
    for (const seat of seats) this.bindings[seat]!.sessionId = null;
    return seats;
  }

  seatsOf(sessionId: string): Seat[] {
    return this.bindings.filter((b) => b.sessionId === sessionId).map((b) => b.seat);
  }

  sessionOf(seat: Seat): string | null {
    return this.bindings[seat]?.sessionId ?? null;
  }

  agentOf(seat: Seat): Agent | undefined {
    return this.bindings[seat]?.agent;
  }

  /** Agent seats are always connected; a remote seat is while a session holds it. */
  isConnected(seat: Seat): boolean {
    const binding = this.bindings[seat];
    return binding !== undefined && (binding.kind === 'agent' || binding.sessionId !== null);
  }

  addSpectator(sessionId: string): void {
    this.spectatorIds.add(sessionId);
  }

  isSpectator(sessionId: string): boolean {
    return this.spectatorIds.has(sessionId);
  }

  spectators(): string[] {
    return [...this.spectatorIds];
  }

  /** Every session bound to the match, players first. */
  sessions(): string[] {
    const players = this.bindings.map((b) => b.sessionId).filter((id): id is string => id !== null);
    return [...new Set(players), ...this.spectatorIds];
  }

  players(): PlayerInfo[] {
    return this.bindings.map(({ seat, kind, name }) => ({ seat, kind, name }));
  }

  connectedFlags(): boolean[] {
    return this.bindings.map((b) => this.isConnected(b.seat));
  }
}
