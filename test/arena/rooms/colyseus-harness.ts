/**
 * A real fastify server on an ephemeral loopback port with Colyseus attached, over a tiny
 * in-test MatchManagerApi holding real MatchRunners (fake clock: no timer ever fires), and
 * SDK clients that record every message they receive.
 */
import '../../../arena/rooms/node20-shim.ts';
import { Client, type Room } from '@colyseus/sdk';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { getEnv } from '../../../envs/index.ts';
import { attachColyseus, type ColyseusAttachment } from '../../../arena/rooms/attach-colyseus.ts';
import { MatchRunner } from '../../../arena/match/match-runner.ts';
import { ratePolicy } from '../../../arena/match/rate-limiter.ts';
import type { CreatedMatch, MatchManagerApi, MatchPage, MatchSummaryView } from '../../../arena/lobby/match-manager-api.ts';
import type { MatchSettingsInput } from '../../../arena/match/match-config.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

const UNLIMITED = { capacity: 1e9, refillPerSecond: 1e9, maxViolations: 1e9 };

export const seatToken = (matchId: string, seat: number): string => `${matchId}-token-${seat}`;

/** Just enough of a match manager: matches added by hand, looked up by id or token. */
export class FakeMatches implements MatchManagerApi {
  readonly runners = new Map<string, MatchRunner>();
  readonly clock = new FakeClock();

  add(matchId: string, envKey: string, seed: number, settings: MatchSettingsInput = {}, params: unknown = {}): MatchRunner {
    const env = getEnv(envKey);
    const numPlayers = env.dims(env.parseParams(params)).numPlayers;
    const runner = new MatchRunner({
      autoStart: true,
      matchId,
      env,
      params,
      seed,
      clock: this.clock,
      settings,
      seats: Array.from({ length: numPlayers }, (_, seat) => ({ kind: 'remote' as const, token: seatToken(matchId, seat) })),
    });
    this.runners.set(matchId, runner);
    return runner;
  }

  async create(): Promise<CreatedMatch> {
    throw new Error('FakeMatches.create is not used by these tests');
  }

  get(matchId: string): MatchRunner | undefined {
    return this.runners.get(matchId);
  }

  activeMatches(): number {
    return 0;
  }

  byToken(token: string): { readonly matchId: string; readonly seat: number } | undefined {
    for (const [matchId, runner] of this.runners) {
      const seat = runner.seats.seatForToken(token);
      if (seat !== undefined) return { matchId, seat };
    }
    return undefined;
  }

  async list(): Promise<MatchPage> {
    return { matches: [], nextOffset: null };
  }

  async summary(): Promise<MatchSummaryView | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    for (const runner of this.runners.values()) runner.abort();
  }
}

export interface Received {
  readonly type: string;
  readonly payload: unknown;
}

/** An SDK room plus everything it received, and a way to wait for the next message of a type. */
export class Recorder {
  readonly room: Room;
  readonly inbox: Received[] = [];
  private waiters: { type: string; from: number; resolve: (r: Received) => void }[] = [];
  private readonly listeners: { type: string; callback: (payload: unknown) => void }[] = [];

  constructor(room: Room) {
    this.room = room;
    room.onMessage('*', (type, payload) => {
      this.inbox.push({ type: String(type), payload });
      const index = this.inbox.length - 1;
      this.waiters = this.waiters.filter((w) => {
        if (w.type !== String(type) || index < w.from) return true;
        w.resolve(this.inbox[index]!);
        return false;
      });
      for (const l of this.listeners) if (l.type === String(type)) l.callback(payload);
    });
  }

  /** Calls `callback` for every message of `type`, those already received first. */
  listen(type: string, callback: (payload: unknown) => void): void {
    this.listeners.push({ type, callback });
    for (const m of this.inbox) if (m.type === type) callback(m.payload);
  }

  /** Resolves once the synced room state satisfies `predicate`. */
  until(predicate: (state: Record<string, unknown>) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => this.room.state !== undefined && predicate(this.room.state as Record<string, unknown>);
      if (check()) return resolve();
      const handler = () => {
        if (check()) {
          this.room.onStateChange.remove(handler);
          resolve();
        }
      };
      this.room.onStateChange(handler);
    });
  }

  of(type: string): unknown[] {
    return this.inbox.filter((m) => m.type === type).map((m) => m.payload);
  }

  /** The first message of `type` at or after inbox position `from` (default: the next one). */
  next(type: string, from = this.inbox.length): Promise<Received> {
    const found = this.inbox.slice(from).find((m) => m.type === type);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ type, from, resolve }));
  }

  /** Sends one message and returns the 'ack' that answers it. */
  async send(type: string, payload?: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
    const from = this.inbox.length;
    this.room.send(type, payload);
    return (await this.next('ack', from)).payload as { ok: boolean; error?: { code: string } };
  }
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly matches: FakeMatches;
  readonly endpoint: string;
  readonly attachment: ColyseusAttachment;
  sdk(): Client;
  close(): Promise<void>;
}

/** `setup` adds the test's own routes and upgrade handlers before the server listens. */
export async function startServer(setup?: (app: FastifyInstance) => void): Promise<TestServer> {
  const app = Fastify();
  const matches = new FakeMatches();
  // The rooms' shared buckets stay out of the way here; the rate tests set their own.
  const attachment = await attachColyseus(app, matches, { rates: ratePolicy({ rooms: UNLIMITED, matchmake: UNLIMITED }) });
  setup?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}/colyseus`;
  return {
    app,
    matches,
    endpoint,
    attachment,
    sdk: () => new Client(endpoint),
    async close() {
      await attachment.close();
      await matches.close();
      await app.close();
    },
  };
}

/** Resolves once the SDK room has its first state. */
export function firstState(room: Room): Promise<void> {
  return new Promise((resolve) => {
    if (room.state !== undefined && (room.state as { matchId?: string }).matchId) resolve();
    else room.onStateChange.once(() => resolve());
  });
}
